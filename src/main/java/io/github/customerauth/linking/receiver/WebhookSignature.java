package io.github.customerauth.linking.receiver;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature header: {@code Customer-Auth-Signature: t=<unix seconds>,v1=<hex HMAC-SHA-256>} where the
 * MAC is over {@code "<t>." + body} with the webhook's secret (its UTF-8 bytes); while a secret is rotated, one
 * {@code v1} per secret. Receivers recompute it, accept any {@code v1} that matches (compared in constant time) and
 * reject old timestamps.
 */
public final class WebhookSignature {

    public static final String HEADER = "Customer-Auth-Signature";
    public static final String EVENT_ID_HEADER = "Customer-Auth-Event-Id";

    private WebhookSignature() {
    }

    static String header(List<String> secrets, long unixSeconds, String body) {
        StringBuilder header = new StringBuilder("t=").append(unixSeconds);
        secrets.forEach(secret -> header.append(",v1=").append(hmacHex(secret, unixSeconds + "." + body)));
        return header.toString();
    }

    private static String hmacHex(String secret, String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }
}
