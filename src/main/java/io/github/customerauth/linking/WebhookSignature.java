package io.github.customerauth.linking;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
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

    public static String header(String secret, long unixSeconds, String body) {
        return header(List.of(secret), unixSeconds, body);
    }

    static String header(List<String> secrets, long unixSeconds, String body) {
        StringBuilder header = new StringBuilder("t=").append(unixSeconds);
        secrets.forEach(secret -> header.append(",v1=").append(hmacHex(secret, unixSeconds + "." + body)));
        return header.toString();
    }

    /** Whether {@code header} signs {@code body} with {@code secret}, no older than {@code toleranceSeconds}. */
    public static boolean verify(String secret, String header, String body, long nowSeconds, long toleranceSeconds) {
        if (header == null) {
            return false;
        }
        String t = null;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length == 2 && kv[0].equals("t")) {
                t = kv[1];
            } else if (kv.length == 2 && kv[0].equals("v1")) {
                signatures.add(kv[1]);
            }
        }
        if (t == null || signatures.isEmpty() || !t.matches("\\d{1,12}")) {
            return false;
        }
        if (Math.abs(nowSeconds - Long.parseLong(t)) > toleranceSeconds) {
            return false;
        }
        byte[] expected = hmacHex(secret, t + "." + body).getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        for (String signature : signatures) {
            matched |= MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
        }
        return matched;
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
