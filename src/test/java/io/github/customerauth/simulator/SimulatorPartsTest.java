package io.github.customerauth.simulator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatorPartsTest {

    @Test
    void totpMatchesRfc6238Vectors() {
        // RFC 6238 appendix B, SHA-1, last 6 of the 8 digits
        assertThat(Totp.code("12345678901234567890", 59)).isEqualTo("287082");
        assertThat(Totp.code("12345678901234567890", 1111111109)).isEqualTo("081804");
        assertThat(Totp.code("12345678901234567890", 2000000000)).isEqualTo("279037");
    }

    @Test
    void readsStringFieldsOfLongJsonWithoutTrouble() {
        String token = "a".repeat(200_000);
        String json = "{\"access_token\":\"" + token + "\",\"note\":\"say \\\"hi\\\"\",\"expires_in\":300}";

        assertThat(Json.string(json, "access_token")).isEqualTo(token);
        assertThat(Json.string(json, "note")).isEqualTo("say \"hi\"");
        assertThat(Json.string(json, "expires_in")).isNull();
        assertThat(Json.string(null, "x")).isNull();
    }
}
