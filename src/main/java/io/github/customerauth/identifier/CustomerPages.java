package io.github.customerauth.identifier;

import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Every customer of a realm with its active identifier, for the export and the reindex: a page of users at a time,
 * each page in a Keycloak session and transaction of its own. A session keeps every user it reads (Keycloak's user
 * cache and the persistence context), so one session for a whole realm grows with it: 200,000 customers did not
 * fit a 192 MiB heap that way ({@code IdentifierExportAtSizeIT}). Users of federated storage are read as Keycloak
 * reads them.
 */
final class CustomerPages {

    static final int PAGE = 500;

    /** What is done with one customer, in the session and realm of its page. */
    interface Action {
        void accept(KeycloakSession session, RealmModel realm, UserModel user, String identifier);
    }

    private CustomerPages() {
    }

    static void forEach(KeycloakSessionFactory factory, String realmId, RealmIdentifier active, Action action) {
        for (int first = 0; ; first += PAGE) {
            int start = first;
            int seen = KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
                RealmModel realm = session.realms().getRealm(realmId);
                // As in the request: Keycloak's user cache asks the session's realm (organizations, for one).
                session.getContext().setRealm(realm);
                int[] count = {0};
                session.users().searchForUserStream(realm, Map.of(UserModel.INCLUDE_SERVICE_ACCOUNT, "false"),
                        start, PAGE).forEach(user -> {
                            count[0]++;
                            active.identifierOf(user).ifPresent(identifier -> action.accept(session, realm, user,
                                    identifier));
                        });
                return count[0];
            });
            if (seen < PAGE) {
                return;
            }
        }
    }
}
