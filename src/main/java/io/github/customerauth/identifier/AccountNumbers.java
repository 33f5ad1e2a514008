package io.github.customerauth.identifier;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Canonical form of an account number, the only input of the identifier derivation.
 *
 * <p>Unicode NFKC (full-width digits become ASCII), every whitespace, {@code -} and {@code .} removed, upper case.
 * Leading zeros are kept: in most account schemes they are significant. The README specifies the same steps for
 * anyone who recomputes identifiers outside Keycloak.
 */
public final class AccountNumbers {

    private AccountNumbers() {
    }

    /** The canonical form, or an empty string when nothing is left (treated as "no account number"). */
    public static String canonical(String raw) {
        if (raw == null) {
            return "";
        }
        String normalized = Normalizer.normalize(raw, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(normalized.length());
        normalized.codePoints()
                .filter(cp -> !Character.isWhitespace(cp) && !Character.isSpaceChar(cp) && cp != '-' && cp != '.')
                .forEach(out::appendCodePoint);
        return out.toString().toUpperCase(Locale.ROOT);
    }
}
