package io.github.customerauth.identifier;

import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** The customer identifier a user currently has in a realm, for features other than the mapper (e.g. linking). */
public final class CustomerIdentifiers {

    private CustomerIdentifiers() {
    }

    /** Empty when the realm has no identifier mapper, its key is unusable, or the user has no account number. */
    public static Optional<String> current(KeycloakSession session, RealmModel realm, UserModel user) {
        if (user == null) {
            return Optional.empty();
        }
        return RealmIdentifierSettings.usable(session, realm).flatMap(active -> active.identifierOf(user));
    }
}
