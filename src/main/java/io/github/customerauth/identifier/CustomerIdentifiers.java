package io.github.customerauth.identifier;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** The customer identifier a user holds in a realm, for features other than the mapper (e.g. linking). */
public final class CustomerIdentifiers {

    private static final Logger LOG = Logger.getLogger(CustomerIdentifiers.class);

    private CustomerIdentifiers() {
    }

    /**
     * The user's identifier, claimed for it in the identifier index: a write in the caller's transaction the first
     * time (or when the row's former owner no longer holds it), as the mapper's. Empty when the realm has no usable
     * identifier, the user has no account number, or another live customer owns the value, so that nothing is
     * recorded under another customer.
     */
    public static Optional<String> claim(KeycloakSession session, RealmModel realm, UserModel user) {
        if (user == null) {
            return Optional.empty();
        }
        return RealmIdentifier.of(session, realm).flatMap(identifier -> identifier.identifierOf(user)
                .filter(value -> IdentifierNode.of(session).ownership().claim(session, realm, user, value,
                        identifier.derivation(), identifier.userAttribute())));
    }

    /**
     * The user's account number in canonical form (empty when it has none or the realm has no identifier), for checks
     * that must not let it out in any spelling. Never log it.
     */
    public static String accountNumberOf(KeycloakSession session, RealmModel realm, UserModel user) {
        return user == null ? "" : RealmIdentifier.of(session, realm)
                .map(identifier -> AccountNumbers.canonical(user.getFirstAttribute(identifier.userAttribute())))
                .orElse("");
    }

    /** Whether the realm has a usable identifier: without one, no user has an identifier, nor loses one. */
    public static boolean inUse(KeycloakSession session, RealmModel realm) {
        return RealmIdentifier.of(session, realm).isPresent();
    }

    /**
     * Every identifier the user may have been known by in the realm, for its erasure: what its account number
     * derives to under the realm's key and, during a key rotation, the previous key (no ownership check), and what
     * the index records for the user. Nothing is written.
     */
    public static Set<String> everHeld(KeycloakSession session, RealmModel realm, UserModel user) {
        Set<String> identifiers = new TreeSet<>(IdentifierIndex.of(session).identifiersOf(realm.getId(), user.getId()));
        String canonical = accountNumberOf(session, realm, user);
        if (canonical.isEmpty()) {
            return identifiers;
        }
        RealmIdentifier.of(session, realm).ifPresent(identifier -> {
            identifiers.add(identifier.derivation().derive(canonical));
            IdentifierMapperConfig config = identifier.config();
            if (config.previousKeyReference() != null) {
                try {
                    identifiers.add(IdentifierKeys.derivation(session, config.previousKeyReference(),
                            config.previousKeyId()).derive(canonical));
                } catch (RuntimeException e) {
                    // The erasure goes on with what else is known (the index, the links): a key that cannot be read
                    // must not keep an admin from deleting a user.
                    LOG.warnf("Previous identifier key of realm %s unreadable (%s); a deleted user's identifier under"
                            + " it is announced only if the index or a link has it", realm.getName(),
                            e.getClass().getSimpleName());
                }
            }
        });
        return identifiers;
    }

    /** The user an identifier was issued to in the realm, from the index (for audit details), or empty. */
    public static Optional<String> userIdOf(KeycloakSession session, RealmModel realm, String identifier) {
        return IdentifierIndex.of(session).find(realm.getId(), identifier).map(IdentifierIndexEntity::getUserId);
    }
}
