package io.github.customerauth.linking.record;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * An admin ended a session ({@code DELETE sessions/{id}}, the console's "Sign out") or all of a user's
 * ({@code POST users/{id}/logout}): Keycloak sends an admin event and no user event, so the links end here rather
 * than at the sweep's next pass ({@code end_reason: admin_revoked} or {@code admin_logout}). They end once the
 * admin's transaction has committed, in a transaction of their own: a failure here never undoes the revocation (the
 * sweep then ends the links), and the user's row is locked first, as every writer of links does. A session whose
 * offline session lives on (the admin revoked only the online one) keeps its links, as the sweep would.
 */
final class AdminRevocation {

    private static final Logger LOG = Logger.getLogger(AdminRevocation.class);
    private static final Pattern SESSION = Pattern.compile("sessions/([^/?]+)");
    private static final Pattern USER_LOGOUT = Pattern.compile("users/([^/]+)/logout");
    static final String SESSION_REASON = "admin_revoked";
    static final String USER_REASON = "admin_logout";

    private AdminRevocation() {
    }

    /** @return whether the event was a revocation (then its links end after the commit) */
    static boolean endAfterCommit(KeycloakSession session, AdminEvent event) {
        Matcher revokedSession = SESSION.matcher(event.getResourcePath());
        Matcher loggedOutUser = USER_LOGOUT.matcher(event.getResourcePath());
        boolean sessionRevoked = event.getResourceType() == ResourceType.USER_SESSION
                && event.getOperationType() == OperationType.DELETE && revokedSession.matches();
        boolean userLoggedOut = event.getResourceType() == ResourceType.USER
                && event.getOperationType() == OperationType.ACTION && loggedOutUser.matches();
        if (!sessionRevoked && !userLoggedOut) {
            return false;
        }
        String id = sessionRevoked ? revokedSession.group(1) : loggedOutUser.group(1);
        // "offline": true revokes the offline session, and Keycloak removes the online one with it.
        boolean offlineToo = sessionRevoked && event.getRepresentation() != null
                && event.getRepresentation().replace(" ", "").contains("\"offline\":true");
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                try {
                    KeycloakModelUtils.runJobInTransaction(factory, own -> end(own, event, id, sessionRevoked,
                            offlineToo));
                } catch (RuntimeException e) {
                    LOG.errorf(e, "An admin's revocation in realm %s not recorded; the sweep ends the links",
                            event.getRealmId());
                }
            }

            @Override
            protected void rollbackImpl() {
            }
        });
        return true;
    }

    private static void end(KeycloakSession session, AdminEvent event, String id, boolean sessionRevoked,
                            boolean offlineToo) {
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        if (realm == null) {
            return;
        }
        session.getContext().setRealm(realm);
        LinkRecorder recorder = new LinkRecorder(session);
        int ended;
        if (sessionRevoked) {
            if (!offlineToo && session.sessions().getOfflineUserSession(realm, id) != null) {
                return;
            }
            ended = recorder.sessionEnded(realm, id, event.getTime(), SESSION_REASON);
        } else {
            recorder.lockUser(id);
            ended = recorder.userLoggedOut(realm, id, event.getTime(), USER_REASON,
                    sessionId -> session.sessions().getOfflineUserSession(realm, sessionId) != null);
        }
        LOG.debugf("%d customer links of realm %s ended by an admin's revocation", ended, realm.getName());
    }
}
