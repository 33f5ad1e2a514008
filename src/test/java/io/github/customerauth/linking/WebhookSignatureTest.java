package io.github.customerauth.linking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The README's verification recipe, as a receiver would run it. */
class WebhookSignatureTest {

    static final String BODY = "{\"id\":\"e1\",\"type\":\"LOGIN\"}";

    @Test
    void matchesTheDocumentedVector() {
        // printf '%s' '1795620000.{"id":"e1","type":"LOGIN"}' | openssl dgst -sha256 -hmac test-only-webhook-secret
        assertThat(WebhookSignature.header("test-only-webhook-secret", 1795620000L, BODY))
                .isEqualTo("t=1795620000,v1=" + WebhookSignatureVector.EXPECTED);
    }

    @Test
    void verifiesItsOwnSignatureWithinTheTolerance() {
        String header = WebhookSignature.header("s3cret", 1000, BODY);

        assertThat(WebhookSignature.verify("s3cret", header, BODY, 1100, 300)).isTrue();
        assertThat(WebhookSignature.verify("s3cret", header, BODY, 1400, 300)).isFalse();
        assertThat(WebhookSignature.verify("other", header, BODY, 1000, 300)).isFalse();
        assertThat(WebhookSignature.verify("s3cret", header, BODY + " ", 1000, 300)).isFalse();
        assertThat(WebhookSignature.verify("s3cret", "v1=abc", BODY, 1000, 300)).isFalse();
        assertThat(WebhookSignature.verify("s3cret", null, BODY, 1000, 300)).isFalse();
    }
}
