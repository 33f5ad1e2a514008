package io.github.customerauth.linking.receiver;

import io.github.customerauth.testsupport.SignatureVerifier;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The platform guide's verification recipe, as a receiver would run it. */
class WebhookSignatureTest {

    static final String BODY = "{\"id\":\"e1\",\"type\":\"LOGIN\"}";

    @Test
    void matchesTheDocumentedVector() {
        // printf '%s' '1795620000.{"id":"e1","type":"LOGIN"}' | openssl dgst -sha256 -hmac test-only-webhook-secret
        assertThat(WebhookSignature.header(List.of("test-only-webhook-secret"), 1795620000L, BODY))
                .isEqualTo("t=1795620000,v1=" + WebhookSignatureVector.EXPECTED);
    }

    @Test
    void verifiesItsOwnSignatureWithinTheTolerance() {
        String header = WebhookSignature.header(List.of("s3cret"), 1000, BODY);

        assertThat(SignatureVerifier.verify("s3cret", header, BODY, 1100, 300)).isTrue();
        assertThat(SignatureVerifier.verify("s3cret", header, BODY, 1400, 300)).isFalse();
        assertThat(SignatureVerifier.verify("other", header, BODY, 1000, 300)).isFalse();
        assertThat(SignatureVerifier.verify("s3cret", header, BODY + " ", 1000, 300)).isFalse();
        assertThat(SignatureVerifier.verify("s3cret", "v1=abc", BODY, 1000, 300)).isFalse();
        assertThat(SignatureVerifier.verify("s3cret", null, BODY, 1000, 300)).isFalse();
    }
}
