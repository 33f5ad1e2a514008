package io.github.customerauth.identifier;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A derivation key: at least 256 bits, given as hex in the vault entry, with the admin-chosen version label that
 * becomes part of every identifier derived with it.
 */
public final class IdentifierKey {

    public static final int MIN_KEY_BYTES = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9-]{1,32}");

    private final String keyId;
    private final byte[] secret;

    private IdentifierKey(String keyId, byte[] secret) {
        this.keyId = keyId;
        this.secret = secret;
    }

    /**
     * @throws InvalidKeyException with a message naming what is wrong, never the key material itself
     */
    public static IdentifierKey of(String keyId, String hexSecret) {
        requireValidKeyId(keyId);
        if (hexSecret == null || hexSecret.isBlank()) {
            throw new InvalidKeyException("the vault entry is empty or missing");
        }
        byte[] secret;
        try {
            secret = HexFormat.of().parseHex(hexSecret.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("the vault entry is not hex (expected at least 64 hex characters)");
        }
        if (secret.length < MIN_KEY_BYTES) {
            throw new InvalidKeyException("the key has " + secret.length * 8 + " bits; at least 256 bits (64 hex characters) are required");
        }
        return new IdentifierKey(keyId, secret);
    }

    public static void requireValidKeyId(String keyId) {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new InvalidKeyException("the key version must be 1 to 32 letters, digits or '-'");
        }
    }

    public String keyId() {
        return keyId;
    }

    byte[] secret() {
        return Arrays.copyOf(secret, secret.length);
    }

    @Override
    public String toString() {
        return "IdentifierKey[" + keyId + "]";
    }

    public static final class InvalidKeyException extends IllegalArgumentException {
        public InvalidKeyException(String message) {
            super(message);
        }
    }
}
