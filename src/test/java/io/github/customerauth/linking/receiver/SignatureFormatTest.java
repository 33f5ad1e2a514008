package io.github.customerauth.linking.receiver;

import io.github.customerauth.testsupport.SignatureVerifier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Both signature formats, one signature per secret, and which receivers want which message. */
class SignatureFormatTest {

    private static final String BODY = "{\"id\":\"e1\",\"type\":\"LOGIN\"}";

    @Test
    void standardWebhooksMatchesTheSpecificationsVector() {
        // The example of the Standard Webhooks libraries' own tests (checked with the npm package standardwebhooks).
        assertThat(StandardWebhooksSignature.header(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "{\"test\": 2432232314}"))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void standardWebhooksHeadersCarryIdTimestampAndASignaturePerSecret() {
        Map<String, String> headers = SignatureFormat.STANDARD_WEBHOOKS.headers("e1", 1000, BODY,
                List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_dGVzdC1vbmx5LXN0YW5kYXJkLXdlYmhvb2tzLWtleTE="));

        assertThat(headers).containsOnlyKeys("webhook-id", "webhook-timestamp", "webhook-signature")
                .containsEntry("webhook-id", "e1").containsEntry("webhook-timestamp", "1000");
        assertThat(headers.get("webhook-signature")).matches("v1,[A-Za-z0-9+/]{43}= v1,[A-Za-z0-9+/]{43}=");
    }

    @Test
    void customerAuthSignsOncePerSecretAndVerifiesWithEither() {
        String header = SignatureFormat.CUSTOMER_AUTH.headers("e1", 1000, BODY, List.of("old", "new"))
                .get(WebhookSignature.HEADER);

        assertThat(header).matches("t=1000,v1=[0-9a-f]{64},v1=[0-9a-f]{64}");
        assertThat(SignatureVerifier.verify("old", header, BODY, 1000, 300)).isTrue();
        assertThat(SignatureVerifier.verify("new", header, BODY, 1000, 300)).isTrue();
        assertThat(SignatureVerifier.verify("other", header, BODY, 1000, 300)).isFalse();
    }

    @Test
    void onlyWellFormedStandardSecretsAreAccepted() {
        assertThat(SignatureFormat.STANDARD_WEBHOOKS.problemWith("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).isNull();
        assertThat(SignatureFormat.STANDARD_WEBHOOKS.problemWith("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .isEqualTo("does not start with whsec_");
        assertThat(SignatureFormat.STANDARD_WEBHOOKS.problemWith("whsec_not base64!")).isEqualTo("is not base64 after whsec_");
        assertThat(SignatureFormat.STANDARD_WEBHOOKS.problemWith("whsec_c2hvcnQ=")).isEqualTo("is not 24 to 64 bytes after whsec_");
        assertThat(SignatureFormat.of(null)).isEqualTo(SignatureFormat.CUSTOMER_AUTH);
        assertThat(SignatureFormat.of("standard-webhooks")).isEqualTo(SignatureFormat.STANDARD_WEBHOOKS);
        assertThat(SignatureFormat.of("jws")).isNull();
    }

    @Test
    void aReceiverWantsWhatItChoseAndChannelLessMessagesOfItsOwnCustomers() {
        Webhook picky = new Webhook("w", "http://x", "${vault.a}", null, SignatureFormat.CUSTOMER_AUTH,
                Set.of("LOGIN", "CUSTOMER_DELETED"), Set.of("web-chat"), true);
        Webhook everything = new Webhook("w", "http://x", "${vault.a}", null, SignatureFormat.CUSTOMER_AUTH,
                Set.of(), Set.of(), true);

        assertThat(picky.wants("LOGIN", "web-chat", Set.of())).isTrue();
        assertThat(picky.wants("LOGIN", "ios-app", Set.of())).isFalse();
        assertThat(picky.wants("REFRESH_TOKEN", "web-chat", Set.of())).isFalse();
        assertThat(picky.wants("CUSTOMER_DELETED", null, Set.of("ios-app", "web-chat"))).isTrue();
        assertThat(picky.wants("CUSTOMER_DELETED", null, Set.of("ios-app"))).isFalse();
        assertThat(picky.wants("CUSTOMER_DELETED", null, Set.of())).isFalse();
        assertThat(everything.wants("CUSTOMER_DELETED", null, Set.of())).isTrue();
        assertThat(everything.wants("LOGIN", "ios-app", Set.of())).isTrue();
        assertThat(everything.wants("REFRESH_TOKEN", "ios-app", Set.of())).as("only when listed").isFalse();
        assertThat(new Webhook("w", "http://x", "${vault.a}", null, SignatureFormat.CUSTOMER_AUTH,
                Set.of("REFRESH_TOKEN"), Set.of(), true).wants("REFRESH_TOKEN", "ios-app", Set.of())).isTrue();
    }
}
