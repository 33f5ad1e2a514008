package io.github.customerauth.identifier;

import io.github.customerauth.support.VaultReference;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;

/** Typed, defaulted view of one identifier mapper's configuration. */
public final class IdentifierMapperConfig {

    static final String USER_ATTRIBUTE = "user.attribute";
    static final String ALGORITHM = "algorithm";
    static final String KEY = "key.vault.reference";
    static final String KEY_ID = "key.id";
    static final String PREVIOUS_KEY = "previous.key.vault.reference";
    static final String PREVIOUS_KEY_ID = "previous.key.id";
    static final String PREVIOUS_UNTIL = "previous.claim.until";
    static final String MISSING_ATTRIBUTE = "missing.attribute";

    static final String DEFAULT_USER_ATTRIBUTE = "accountNumber";
    static final String DEFAULT_CLAIM = "customer_id";
    static final String DEFAULT_KEY = "${vault.customer-id-key}";
    static final String DEFAULT_KEY_ID = "1";
    static final String PREVIOUS_CLAIM_SUFFIX = "_previous";

    /** What to do for a user without an account number. */
    enum MissingAttribute { OMIT, REFUSE }

    private final Map<String, String> raw;
    /** Computed once: a configuration is read, never changed, while this view of it lives. */
    private List<String> definingFields;

    IdentifierMapperConfig(Map<String, String> raw) {
        this.raw = raw;
    }

    String userAttribute() {
        return valueOr(USER_ATTRIBUTE, DEFAULT_USER_ATTRIBUTE);
    }

    String claimName() {
        return valueOr(OIDCAttributeMapperHelper.TOKEN_CLAIM_NAME, DEFAULT_CLAIM);
    }

    String algorithm() {
        return valueOr(ALGORITHM, IdentifierDerivation.ALGORITHM);
    }

    String keyReference() {
        return valueOr(KEY, DEFAULT_KEY);
    }

    String keyId() {
        return valueOr(KEY_ID, DEFAULT_KEY_ID);
    }

    /** Null when no previous key is configured. */
    String previousKeyReference() {
        return valueOr(PREVIOUS_KEY, null);
    }

    String previousKeyId() {
        return valueOr(PREVIOUS_KEY_ID, null);
    }

    /** Whether the previous identifier is still emitted at {@code epochMillis}: through the whole "until" day (UTC). */
    boolean emitsPreviousAt(long epochMillis) {
        String until = valueOr(PREVIOUS_UNTIL, null);
        if (previousKeyReference() == null || until == null) {
            return false;
        }
        long endExclusive = LocalDate.parse(until).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        return epochMillis < endExclusive;
    }

    MissingAttribute missingAttribute() {
        return MissingAttribute.valueOf(valueOr(MISSING_ATTRIBUTE, "omit").toUpperCase(Locale.ROOT));
    }

    /**
     * What makes the identifier what it is. Every identifier mapper of a realm must have the same, or the same
     * customer would get different values on different channels. Token types and the missing-attribute rule may
     * differ per mapper.
     */
    List<String> definingFields() {
        List<String> fields = definingFields;
        if (fields == null) {
            fields = computeDefiningFields();
            definingFields = fields;
        }
        return fields;
    }

    private List<String> computeDefiningFields() {
        return List.of(userAttribute(), algorithm(), keyReference(), keyId(), claimName(),
                Objects.toString(previousKeyReference(), ""), Objects.toString(previousKeyId(), ""),
                Objects.toString(valueOr(PREVIOUS_UNTIL, null), ""));
    }

    boolean agreesWith(IdentifierMapperConfig other) {
        return definingFields().equals(other.definingFields());
    }

    /** The first static problem of this configuration, for configurations that did not pass {@link #validateStatic}. */
    Optional<String> problem() {
        try {
            validateStatic();
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Checks everything that does not need the vault; messages name the field an admin has to change. */
    void validateStatic() {
        if (!IdentifierDerivation.ALGORITHM.equals(algorithm())) {
            throw new IllegalArgumentException("Unknown algorithm '" + algorithm() + "': only "
                    + IdentifierDerivation.ALGORITHM + " is supported.");
        }
        requireVaultReference("Key", keyReference());
        requireKeyId("Key version", keyId());
        if (previousKeyReference() != null) {
            requireVaultReference("Previous key", previousKeyReference());
            requireKeyId("Previous key version", previousKeyId());
            if (previousKeyId().equals(keyId())) {
                throw new IllegalArgumentException("Previous key version must differ from the key version.");
            }
            String until = valueOr(PREVIOUS_UNTIL, null);
            if (until == null) {
                throw new IllegalArgumentException("Emit previous identifier until: a date (YYYY-MM-DD) is required with a previous key.");
            }
            try {
                LocalDate.parse(until);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("Emit previous identifier until: '" + until + "' is not a date (YYYY-MM-DD).");
            }
        }
        try {
            missingAttribute();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Customer without account number: '" + raw.get(MISSING_ATTRIBUTE)
                    + "' is not one of omit, refuse.");
        }
        if (claimName().contains(".")) {
            // Keycloak would nest the claim ({"customer": {"id": ...}}); partners and linking read it at the top level.
            throw new IllegalArgumentException("Token claim name must not contain '.': '" + claimName() + "'.");
        }
        if (userAttribute().isBlank()) {
            throw new IllegalArgumentException("Account number attribute must not be empty.");
        }
    }

    private static void requireVaultReference(String label, String value) {
        if (!VaultReference.isReference(value)) {
            throw new IllegalArgumentException(label + " must be a vault reference such as ${vault.customer-id-key}; "
                    + "key material in the mapper configuration is refused.");
        }
    }

    private static void requireKeyId(String label, String value) {
        try {
            IdentifierKey.requireValidKeyId(value);
        } catch (IdentifierKey.InvalidKeyException e) {
            throw new IllegalArgumentException(label + ": " + e.getMessage() + ".");
        }
    }

    private String valueOr(String key, String fallback) {
        String value = raw.get(key);
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
