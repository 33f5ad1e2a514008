package io.github.customerauth.linking.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The id of a row kept per customer or per user of a realm: a SHA-256 of realm and key, in hex (64 characters), so
 * that the row is found by its key without an index of its own, and a database error about it (a unique violation,
 * say) never prints an identifier.
 */
final class DigestRowId {

    private DigestRowId() {
    }

    static String of(String realmId, String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((realmId + ':' + key).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
