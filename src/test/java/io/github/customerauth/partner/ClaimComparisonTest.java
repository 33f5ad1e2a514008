package io.github.customerauth.partner;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClaimComparisonTest {

    private static final IdentifierClaims CLAIMS = new IdentifierClaims("customer_id", "customer_id_previous");

    private final Map<String, Object> visible = Map.of("customer_id", "v1.1.x", "exp", 1795620612, "aud", List.of("a", "b"));

    @Test
    void comparesAsText() {
        assertThat(ClaimComparison.compare(visible, "customer_id", "v1.1.x", CLAIMS)).isEqualTo("match");
        assertThat(ClaimComparison.compare(visible, "customer_id", "v1.1.y", CLAIMS)).isEqualTo("mismatch");
        assertThat(ClaimComparison.compare(visible, "exp", "1795620612", CLAIMS)).isEqualTo("match");
    }

    @Test
    void aListMatchesWhenItHoldsTheValue() {
        assertThat(ClaimComparison.compare(visible, "aud", "b", CLAIMS)).isEqualTo("match");
        assertThat(ClaimComparison.compare(visible, "aud", "c", CLAIMS)).isEqualTo("mismatch");
    }

    @Test
    void tellsAbsentStandardClaimsFromClaimsThePartnerMayNotSee() {
        assertThat(ClaimComparison.compare(visible, "sid", "s", CLAIMS)).isEqualTo("absent");
        assertThat(ClaimComparison.compare(visible, "email", "a@b", CLAIMS)).isEqualTo("not_allowed");
    }

    @Test
    void theIdentifierClaimsAreTheRealmsNotAFixedName() {
        IdentifierClaims renamed = new IdentifierClaims("cid", "cid_previous");

        assertThat(ClaimComparison.compare(Map.of(), "cid_previous", "v1.1.x", renamed)).isEqualTo("absent");
        assertThat(ClaimComparison.compare(Map.of(), "customer_id", "v1.1.x", renamed)).isEqualTo("not_allowed");
        assertThat(ClaimComparison.compare(Map.of(), "customer_id", "v1.1.x", IdentifierClaims.NONE))
                .isEqualTo("not_allowed");
    }
}
