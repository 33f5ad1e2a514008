package io.github.customerauth.linking.receiver;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a receiver's messages are signed: this project's {@code Customer-Auth-Signature} header, or Standard Webhooks
 * (standardwebhooks.com), which receivers verify with the Standard Webhooks libraries. Either way a message carries
 * one signature per secret, so that a receiver that knows only the new secret, or still only the old one, accepts it
 * while a secret is rotated.
 */
enum SignatureFormat {

    CUSTOMER_AUTH("customer-auth"),
    STANDARD_WEBHOOKS("standard-webhooks");

    private final String value;

    SignatureFormat(String value) {
        this.value = value;
    }

    String value() {
        return value;
    }

    /** Every format's configured value, as the console lists them and a refusal names them. */
    static List<String> configuredValues() {
        return Arrays.stream(values()).map(SignatureFormat::value).toList();
    }

    /** The configured format; no value is this project's own; an unknown one is null. */
    static SignatureFormat of(String value) {
        if (value == null || value.isBlank()) {
            return CUSTOMER_AUTH;
        }
        for (SignatureFormat format : values()) {
            if (format.value.equals(value.trim())) {
                return format;
            }
        }
        return null;
    }

    /** Why a secret cannot sign in this format, or null; never the secret itself. */
    String problemWith(String secret) {
        if (this == STANDARD_WEBHOOKS) {
            return StandardWebhooksSignature.problemWith(secret);
        }
        return secret == null || secret.isBlank() ? "is empty" : null;
    }

    /** The signature headers of one message (besides the event id header, which every message has). */
    Map<String, String> headers(String eventId, long unixSeconds, String body, List<String> secrets) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (this == STANDARD_WEBHOOKS) {
            headers.put(StandardWebhooksSignature.ID_HEADER, eventId);
            headers.put(StandardWebhooksSignature.TIMESTAMP_HEADER, Long.toString(unixSeconds));
            headers.put(StandardWebhooksSignature.SIGNATURE_HEADER,
                    StandardWebhooksSignature.header(secrets, eventId, unixSeconds, body));
        } else {
            headers.put(WebhookSignature.HEADER, WebhookSignature.header(secrets, unixSeconds, body));
        }
        return headers;
    }
}
