package io.github.customerauth.identifier;

import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.ProtocolMapper;

/** The customer identifier a user holds in a realm, for features other than the mapper (e.g. linking). */
public final class CustomerIdentifiers {

    private CustomerIdentifiers() {
    }

    /**
     * Empty when the realm has no usable identifier, the user has no account number, or another live customer owns
     * the value: the same ownership decision as the mapper's, so that nothing is recorded under another customer.
     */
    public static Optional<String> current(KeycloakSession session, RealmModel realm, UserModel user) {
        if (user == null) {
            return Optional.empty();
        }
        return RealmIdentifier.of(session, realm).flatMap(identifier -> identifier.identifierOf(user)
                .filter(value -> mapper(session).ownership().claim(session.getKeycloakSessionFactory(), realm, user,
                        value, identifier.derivation(), identifier.userAttribute())));
    }

    /** The user an identifier was issued to in the realm, from the index (for audit details), or empty. */
    public static Optional<String> userIdOf(KeycloakSession session, RealmModel realm, String identifier) {
        return IdentifierIndex.of(session).find(realm.getId(), identifier).map(IdentifierIndexEntity::getUserId);
    }

    private static CustomerIdentifierMapper mapper(KeycloakSession session) {
        return (CustomerIdentifierMapper) session.getKeycloakSessionFactory()
                .getProviderFactory(ProtocolMapper.class, CustomerIdentifierMapper.PROVIDER_ID);
    }
}
