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

    /**
     * A secret as read from the vault, without the line break that {@code echo} or {@code openssl rand > file}
     * leave at the end of a file ({@code \n} or {@code \r\n}, any number): Keycloak's file vault hands the file's
     * bytes back as they are, and a key with a line break in it would sign with another key than the one the
     * platform was given.
     */
    public static String withoutLineBreaksAtEnd(String secret) {
        if (secret == null) {
            return null;
        }
        int end = secret.length();
        while (end > 0 && (secret.charAt(end - 1) == '\n' || secret.charAt(end - 1) == '\r')) {
            end--;
        }
        return secret.substring(0, end);
    }
}
