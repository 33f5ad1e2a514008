package io.github.customerauth.identifier;

import io.github.customerauth.support.WarnOnce;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Makes sure an identifier is recorded in the index for the user it is issued to, and that no two live customers
 * share one. The write runs in its own short transaction, so that a race with another node can never fail the
 * token request itself; a node-local memory of confirmed pairs keeps the database off the hot path.
 */
final class IdentifierOwnership {

    private static final Logger LOG = Logger.getLogger(IdentifierOwnership.class);
    private static final int REMEMBERED = 100_000;

    private final WarnOnce warnings = new WarnOnce();
    private final Map<String, String> confirmedOwners = Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > REMEMBERED;
                }
            });

    /** @return whether {@code user} may carry {@code identifier}; false only when a live customer already owns it */
    boolean claim(KeycloakSessionFactory factory, RealmModel realm, UserModel user, String identifier,
                  IdentifierDerivation derivation, String userAttribute) {
        String rememberedKey = realm.getId() + ' ' + identifier;
        if (user.getId().equals(confirmedOwners.get(rememberedKey))) {
            return true;
        }
        boolean owned;
        try {
            owned = recordInOwnTransaction(factory, realm.getId(), user.getId(), identifier, derivation, userAttribute);
        } catch (RuntimeException raced) {
            // Another node or request inserted the same value first: read what won.
            LOG.debugf(raced, "Identifier index write raced in realm %s, reading again", realm.getId());
            try {
                owned = recordInOwnTransaction(factory, realm.getId(), user.getId(), identifier, derivation, userAttribute);
            } catch (RuntimeException again) {
                LOG.warnf(again, "Identifier ownership in realm %s could not be recorded; the identifier is not issued "
                        + "to this login", realm.getName());
                return false;
            }
        }
        if (owned) {
            confirmedOwners.put(rememberedKey, user.getId());
        }
        return owned;
    }

    private boolean recordInOwnTransaction(KeycloakSessionFactory factory, String realmId, String userId,
                                           String identifier, IdentifierDerivation derivation, String userAttribute) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
            IdentifierIndex index = IdentifierIndex.of(session);
            Optional<IdentifierIndexEntity> existing = index.find(realmId, identifier);
            if (existing.isPresent() && !existing.get().getUserId().equals(userId)) {
                RealmModel realm = session.realms().getRealm(realmId);
                // A new session has no realm; Keycloak's user cache needs one to look the owner up.
                session.getContext().setRealm(realm);
                UserModel owner = session.users().getUserById(realm, existing.get().getUserId());
                if (owner != null && stillDerives(owner, userAttribute, derivation, identifier)) {
                    if (warnings.first(realmId + '/' + identifier + '/' + userId)) {
                        LOG.warnf("Two users of realm %s have the same account number; the identifier is not issued. "
                                + "Make the account number unique (see the user id at DEBUG).", realm.getName());
                    }
                    LOG.debugf("Identifier owned by user %s, refused to user %s", owner.getId(), userId);
                    return false;
                }
            }
            index.put(realmId, identifier, derivation.keyId(), userId);
            return true;
        });
    }

    /** An owner whose account number changed since keeps the row for tracing, but loses it to the new holder. */
    private static boolean stillDerives(UserModel owner, String userAttribute, IdentifierDerivation derivation,
                                        String identifier) {
        String canonical = AccountNumbers.canonical(owner.getFirstAttribute(userAttribute));
        return !canonical.isEmpty() && derivation.derive(canonical).equals(identifier);
    }
}
