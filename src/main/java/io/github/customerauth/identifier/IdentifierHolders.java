package io.github.customerauth.identifier;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Who holds an identifier: the one rule that the token mapper, the linking listener, the account-number validator,
 * the reservation at save and the admin's reindex all apply. A user holds an identifier while its account number,
 * as it is now, derives to it; an index row's owner that no longer does (its account number changed, or it is gone)
 * keeps the row for tracing, but loses it to the new holder.
 */
final class IdentifierHolders {

    private IdentifierHolders() {
    }

    static boolean holds(UserModel user, String attribute, IdentifierDerivation derivation, String identifier) {
        if (user == null) {
            return false;
        }
        String canonical = AccountNumbers.canonical(user.getFirstAttribute(attribute));
        return !canonical.isEmpty() && derivation.derive(canonical).equals(identifier);
    }

    static boolean stillHolds(KeycloakSession session, RealmModel realm, String userId, String attribute,
                              IdentifierDerivation derivation, String identifier) {
        return holds(session.users().getUserById(realm, userId), attribute, derivation, identifier);
    }

    /**
     * Records {@code user} as the identifier's owner in the index, in the caller's transaction, unless a user that
     * still holds it owns it already; returns whether {@code user} owns it now.
     */
    static boolean claim(KeycloakSession session, RealmModel realm, UserModel user, String identifier,
                         IdentifierDerivation derivation, String attribute) {
        return IdentifierIndex.of(session).claim(realm.getId(), identifier, derivation.keyId(), user.getId(),
                owner -> stillHolds(session, realm, owner, attribute, derivation, identifier));
    }
}
