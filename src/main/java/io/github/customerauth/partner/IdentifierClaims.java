package io.github.customerauth.partner;

import io.github.customerauth.identifier.RealmIdentifier;
import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The names under which the realm's identifier travels in tokens, read from the realm's identifier (never assumed),
 * so that partner answers follow a renamed claim. Null names when the realm has no usable identifier.
 */
record IdentifierClaims(String current, String previous) {

    static final IdentifierClaims NONE = new IdentifierClaims(null, null);

    static IdentifierClaims of(KeycloakSession session, RealmModel realm) {
        return RealmIdentifier.of(session, realm)
                .map(identifier -> new IdentifierClaims(identifier.claimName(), identifier.previousClaimName()))
                .orElse(NONE);
    }

    boolean isIdentifier(String claim) {
        return claim != null && (claim.equals(current) || claim.equals(previous));
    }

    Optional<String> currentName() {
        return Optional.ofNullable(current);
    }
}
