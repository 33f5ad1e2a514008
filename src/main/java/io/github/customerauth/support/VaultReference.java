package io.github.customerauth.support;

import java.util.regex.Pattern;

/** A Vault SPI reference such as {@code ${vault.customer-id-key}}: the only way secrets enter a configuration. */
public final class VaultReference {

    private static final Pattern REFERENCE = Pattern.compile("^\\$\\{vault\\.[^}]+}$");

    private VaultReference() {
    }

    /**
     * Keycloak's vault hands back any text that is not a reference unchanged, so key material typed into a field
     * would be used as the key: callers check this before every vault read, not only when an admin saves.
     */
    public static boolean isReference(String value) {
        return value != null && REFERENCE.matcher(value).matches();
    }
}
