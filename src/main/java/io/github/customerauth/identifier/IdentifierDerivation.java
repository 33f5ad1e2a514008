package io.github.customerauth.identifier;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives the opaque customer identifier, scheme {@code v1}:
 * {@code "v1." + keyId + "." + base64url(first 20 bytes of HMAC-SHA-256(key, UTF-8(canonical account number)))}
 * without padding. 160 bits of keyed output: collisions are out of reach, and without the key a list of account
 * numbers cannot be turned into identifiers.
 */
public final class IdentifierDerivation {

    public static final String SCHEME = "v1";
    public static final String ALGORITHM = "HMAC-SHA256";
    static final int OUTPUT_BYTES = 20;
    private static final String JCA_ALGORITHM = "HmacSHA256";

    private final IdentifierKey key;
    private final SecretKeySpec keySpec;
    /** Initialised once with the key and cloned per use: a JCA look-up and key set-up per token cost more than the MAC. */
    private final Mac initialised;

    public IdentifierDerivation(IdentifierKey key) {
        this.key = key;
        this.keySpec = new SecretKeySpec(key.secret(), JCA_ALGORITHM);
        this.initialised = newMac();
    }

    /** @param canonicalAccountNumber output of {@link AccountNumbers#canonical(String)}, not empty */
    public String derive(String canonicalAccountNumber) {
        if (canonicalAccountNumber == null || canonicalAccountNumber.isEmpty()) {
            throw new IllegalArgumentException("no account number to derive from");
        }
        byte[] mac = hmac(canonicalAccountNumber.getBytes(StandardCharsets.UTF_8));
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(mac, OUTPUT_BYTES));
        return SCHEME + "." + key.keyId() + "." + encoded;
    }

    public String keyId() {
        return key.keyId();
    }

    private byte[] hmac(byte[] input) {
        Mac mac;
        try {
            mac = (Mac) initialised.clone();
        } catch (CloneNotSupportedException e) {
            mac = newMac();
        }
        return mac.doFinal(input);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(JCA_ALGORITHM);
            mac.init(keySpec);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available in this JVM", e);
        }
    }

    /** The key version an identifier names, or null when the text is not a {@code v1} identifier. */
    public static String keyIdOf(String identifier) {
        if (identifier == null) {
            return null;
        }
        String[] parts = identifier.split("\\.", -1);
        if (parts.length != 3 || !SCHEME.equals(parts[0]) || parts[2].length() != 27
                || !parts[2].matches("[A-Za-z0-9_-]+")) {
            return null;
        }
        try {
            IdentifierKey.requireValidKeyId(parts[1]);
        } catch (IdentifierKey.InvalidKeyException e) {
            return null;
        }
        return parts[1];
    }
}
