package io.github.customerauth.partner;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.AccessToken;

import static org.assertj.core.api.Assertions.assertThat;

class PartnerAnswersTest {

    private static final IdentifierClaims CLAIMS = new IdentifierClaims("customer_id", "customer_id_previous");

    private static PartnerPolicy allowing(String... claims) {
        return new PartnerPolicy("partner", Set.of("web-chat"), Set.of(claims), Set.of(), null, false);
    }

    @Test
    void aJsonTypedClaimIsAnsweredAndComparedAsPlainValues() {
        AccessToken token = new AccessToken();
        token.issuedFor("web-chat");
        token.getOtherClaims().put("customer_id", "v1.1.x");
        token.getOtherClaims().put("segments", JsonNodeFactory.instance.arrayNode().add("gold").add("eu"));
        token.getOtherClaims().put("tier", JsonNodeFactory.instance.textNode("gold"));

        Map<String, Object> visible = PartnerAnswers.visibleClaims(token, allowing("segments", "tier"), CLAIMS);

        assertThat(visible).containsEntry("segments", List.of("gold", "eu")).containsEntry("tier", "gold")
                .containsEntry("customer_id", "v1.1.x").containsEntry("client_id", "web-chat");
        assertThat(ClaimComparison.compare(visible, "segments", "eu", CLAIMS)).isEqualTo("match");
        assertThat(ClaimComparison.compare(visible, "tier", "gold", CLAIMS)).isEqualTo("match");
    }

    @Test
    void aTokenFieldIsReadFromTheTokensJsonFormAndOnlyAllowedExtrasAreAnswered() {
        AccessToken token = new AccessToken();
        token.setAcr("1");
        token.getOtherClaims().put("email", "someone@example.test");

        Map<String, Object> visible = PartnerAnswers.visibleClaims(token, allowing("acr"), CLAIMS);

        assertThat(visible).containsEntry("acr", "1").doesNotContainKey("email");
    }
}
