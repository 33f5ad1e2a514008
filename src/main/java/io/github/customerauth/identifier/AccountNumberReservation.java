package io.github.customerauth.identifier;

import jakarta.persistence.PersistenceException;
import org.jboss.logging.Logger;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Writes the identifier index row of an account number being saved, in the same database transaction as the user,
 * just before it commits. The index's unique key (realm, identifier) is a keyed digest of the canonical account
 * number, so of two saves of one account number that run at the same time, only one can commit; the other fails
 * with a conflict instead of both passing the validator.
 */
final class AccountNumberReservation extends AbstractKeycloakTransaction {

    private static final Logger LOG = Logger.getLogger(AccountNumberReservation.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final String attribute;
    private final IdentifierDerivation derivation;
    private final String identifier;
    private final String userId;
    private final String username;
    private final String staleRowId;

    /**
     * For an existing user pass its id; for one being created, its username (the id exists only at commit).
     * {@code staleRowId}: the index row of a former holder that the validator decided may be taken over, or null.
     */
    AccountNumberReservation(KeycloakSession session, RealmModel realm, String attribute,
                             IdentifierDerivation derivation, String identifier, String userId, String username,
                             String staleRowId) {
        this.session = session;
        this.realm = realm;
        this.attribute = attribute;
        this.derivation = derivation;
        this.identifier = identifier;
        this.userId = userId;
        this.username = username;
        this.staleRowId = staleRowId;
    }

    static void enlist(KeycloakSession session, RealmModel realm, String attribute, IdentifierDerivation derivation,
                       String identifier, UserModel user, String username, String staleRowId) {
        String once = AccountNumberReservation.class.getName() + '/' + realm.getId() + '/' + identifier;
        if (session.getAttribute(once) != null) {
            return;
        }
        session.setAttribute(once, Boolean.TRUE);
        session.getTransactionManager().enlistPrepare(new AccountNumberReservation(session, realm, attribute,
                derivation, identifier, user == null ? null : user.getId(), username, staleRowId));
    }

    @Override
    protected void commitImpl() {
        UserModel holder = userId != null ? session.users().getUserById(realm, userId) : createdUser();
        // A form shown again with errors still commits: reserve only what was really saved.
        if (!IdentifierHolders.holds(holder, attribute, derivation, identifier)) {
            LOG.debugf("No saved account number to reserve in realm %s", realm.getId());
            return;
        }
        boolean reserved;
        try {
            reserved = IdentifierIndex.of(session).reserve(realm.getId(), identifier, derivation.keyId(), holder.getId(),
                    staleRowId);
        } catch (PersistenceException concurrent) {
            LOG.debugf(concurrent, "Account number reserved concurrently in realm %s", realm.getId());
            throw new ModelDuplicateException(UniqueAccountNumberValidator.MESSAGE, concurrent);
        }
        if (!reserved) {
            LOG.debugf("Account number taken meanwhile in realm %s", realm.getId());
            throw new ModelDuplicateException(UniqueAccountNumberValidator.MESSAGE);
        }
    }

    private UserModel createdUser() {
        return username == null ? null : session.users().getUserByUsername(realm, username);
    }

    @Override
    protected void rollbackImpl() {
        // Nothing was written outside the user's own transaction.
    }
}
