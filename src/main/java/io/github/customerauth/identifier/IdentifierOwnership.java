package io.github.customerauth.identifier;

import io.github.customerauth.support.BoundedMap;
import io.github.customerauth.support.WarnOnce;
import java.util.HashSet;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Makes sure an identifier is recorded in the index for the user it is issued to, and that no two live customers
 * share one. The write goes into the request's own transaction (a request thread never opens a second one, which
 * under load would wait for a connection its own request holds); a node-local memory of confirmed pairs keeps the
 * database off the hot path.
 */
final class IdentifierOwnership {

    private static final Logger LOG = Logger.getLogger(IdentifierOwnership.class);
    private static final int REMEMBERED = 100_000;
    private static final String CLAIMED_IN_REQUEST = "customer-auth.identifier.claimed-in-request";

    private final WarnOnce warnings = new WarnOnce();
    private final BoundedMap<String, String> confirmedOwners = new BoundedMap<>(REMEMBERED);

    /**
     * @return whether {@code user} may carry {@code identifier}; false only when a live customer already owns it. A
     *     database error fails the caller's request: no token goes out with an identifier the index does not hold.
     */
    boolean claim(KeycloakSession session, RealmModel realm, UserModel user, String identifier,
                  IdentifierDerivation derivation, String userAttribute) {
        String rememberedKey = realm.getId() + ' ' + identifier;
        if (user.getId().equals(confirmedOwners.get(rememberedKey))) {
            return true;
        }
        Set<String> claimedInRequest = claimedInRequest(session);
        if (claimedInRequest.contains(rememberedKey + ' ' + user.getId())) {
            return true;
        }
        boolean owned = IdentifierHolders.claim(session, realm, user, identifier, derivation, userAttribute);
        if (!owned) {
            if (warnings.first(realm.getId() + '/' + identifier + '/' + user.getId())) {
                LOG.warnf("Two users of realm %s have the same account number; the identifier is not issued. "
                        + "Make the account number unique (see the user id at DEBUG).", realm.getName());
            }
            LOG.debugf("Identifier owned by another user, refused to user %s", user.getId());
            return false;
        }
        claimedInRequest.add(rememberedKey + ' ' + user.getId());
        rememberOnceCommitted(session, rememberedKey, user.getId());
        return true;
    }

    /** What this request has claimed: its other tokens skip the index, though nothing is committed yet. */
    @SuppressWarnings("unchecked")
    private static Set<String> claimedInRequest(KeycloakSession session) {
        Set<String> claimed = session.getAttribute(CLAIMED_IN_REQUEST, Set.class);
        if (claimed == null) {
            claimed = new HashSet<>();
            session.setAttribute(CLAIMED_IN_REQUEST, claimed);
        }
        return claimed;
    }

    /** Only once committed: until then, another request of this node must not trust a row that may roll back. */
    private void rememberOnceCommitted(KeycloakSession session, String rememberedKey, String userId) {
        if (!session.getTransactionManager().isActive()) {
            return;
        }
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                confirmedOwners.put(rememberedKey, userId);
            }

            @Override
            protected void rollbackImpl() {
            }
        });
    }
}
