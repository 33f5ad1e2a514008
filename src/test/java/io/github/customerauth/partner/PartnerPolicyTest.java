package io.github.customerauth.partner;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.keycloak.models.ClientModel;

import static org.assertj.core.api.Assertions.assertThat;

class PartnerPolicyTest {

    @Test
    void readsCommaOrSpaceSeparatedListsFromClientAttributes() {
        PartnerPolicy policy = PartnerPolicy.of(client("partner", Map.of(
                PartnerPolicy.CHANNELS, "web-chat, ios-app  android-app",
                PartnerPolicy.CLAIMS, "email",
                PartnerPolicy.REQUESTS_PER_SECOND, " 25 ")));

        assertThat(policy.partnerClientId()).isEqualTo("partner");
        assertThat(policy.channels()).isEqualTo(Set.of("web-chat", "ios-app", "android-app"));
        assertThat(policy.extraClaims()).isEqualTo(Set.of("email"));
        assertThat(policy.profileFields()).isEmpty();
        assertThat(policy.requestsPerSecond()).isEqualTo(25);
        assertThat(policy.limitMisconfigured()).isFalse();
    }

    @Test
    void nothingConfiguredMeansNothingAllowedAndTheServerLimit() {
        PartnerPolicy policy = PartnerPolicy.of(client("partner", Map.of()));

        assertThat(policy.channels()).isEmpty();
        assertThat(policy.requestsPerSecond()).isNull();
        assertThat(policy.limitMisconfigured()).isFalse();
    }

    @Test
    void aLimitThatIsNotAWholeNumberFromOneIsAMisconfigurationNotUnlimited() {
        for (String bad : new String[] {"lots", "0", "-5", "2.5", "99999999999"}) {
            PartnerPolicy policy = PartnerPolicy.of(client("partner", Map.of(PartnerPolicy.REQUESTS_PER_SECOND, bad)));

            assertThat(policy.limitMisconfigured()).as(bad).isTrue();
            assertThat(policy.requestsPerSecond()).as(bad).isNull();
        }
    }

    /** Only getClientId and getAttribute are read: a dynamic proxy is enough, no Keycloak model needed. */
    private static ClientModel client(String clientId, Map<String, String> attributes) {
        return (ClientModel) Proxy.newProxyInstance(ClientModel.class.getClassLoader(), new Class<?>[] {ClientModel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getClientId" -> clientId;
                    case "getAttribute" -> attributes.get((String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
