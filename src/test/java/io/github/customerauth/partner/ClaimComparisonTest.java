package io.github.customerauth.partner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimComparisonTest {

    private final Map<String, Object> visible = Map.of("customer_id", "v1.1.x", "exp", 1795620612, "aud", List.of("a", "b"));

    @Test
    void comparesAsText() {
        assertThat(ClaimComparison.compare(visible, "customer_id", "v1.1.x")).isEqualTo("match");
        assertThat(ClaimComparison.compare(visible, "customer_id", "v1.1.y")).isEqualTo("mismatch");
        assertThat(ClaimComparison.compare(visible, "exp", "1795620612")).isEqualTo("match");
    }

    @Test
    void aListMatchesWhenItHoldsTheValue() {
        assertThat(ClaimComparison.compare(visible, "aud", "b")).isEqualTo("match");
        assertThat(ClaimComparison.compare(visible, "aud", "c")).isEqualTo("mismatch");
    }

    @Test
    void tellsAbsentStandardClaimsFromClaimsThePartnerMayNotSee() {
        assertThat(ClaimComparison.compare(visible, "sid", "s")).isEqualTo("absent");
        assertThat(ClaimComparison.compare(visible, "email", "a@b")).isEqualTo("not_allowed");
    }
}
