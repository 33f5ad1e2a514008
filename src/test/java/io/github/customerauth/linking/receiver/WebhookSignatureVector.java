package io.github.customerauth.linking.receiver;

/** Computed with openssl, see WebhookSignatureTest. */
final class WebhookSignatureVector {
    static final String EXPECTED = "1819f6f405546c92fd5ced9073d4f0d3cfa216070721326916cc79cc377c76d5";

    private WebhookSignatureVector() {
    }
}
