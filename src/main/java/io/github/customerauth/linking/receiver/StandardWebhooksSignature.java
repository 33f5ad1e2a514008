package io.github.customerauth.linking.receiver;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code webhook-signature: v1,<base64 HMAC-SHA-256>} over
 * {@code "<webhook-id>.<webhook-timestamp>.<body>"}, keyed with the base64 bytes of a {@code whsec_} secret; several
 * signatures are separated by spaces.
 */
final class StandardWebhooksSignature {

    static final String ID_HEADER = "webhook-id";
    static final String TIMESTAMP_HEADER = "webhook-timestamp";
    static final String SIGNATURE_HEADER = "webhook-signature";
    private static final String PREFIX = "whsec_";
    private static final int MIN_KEY_BYTES = 24;
    private static final int MAX_KEY_BYTES = 64;

    private StandardWebhooksSignature() {
    }

    static String header(List<String> secrets, String id, long unixSeconds, String body) {
        String signed = id + "." + unixSeconds + "." + body;
        return secrets.stream().map(secret -> "v1," + sign(secret, signed)).collect(Collectors.joining(" "));
    }

    /** Why the text is not a Standard Webhooks secret, or null. */
    static String problemWith(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return "does not start with " + PREFIX;
        }
        try {
            int length = Base64.getDecoder().decode(secret.substring(PREFIX.length())).length;
            return length < MIN_KEY_BYTES || length > MAX_KEY_BYTES
                    ? "is not " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES + " bytes after " + PREFIX : null;
        } catch (IllegalArgumentException e) {
            return "is not base64 after " + PREFIX;
        }
    }

    private static String sign(String secret, String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(PREFIX.length())), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }
}
