package io.github.customerauth.linking;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * The backstop for session ends without an event (Keycloak 26.5+ reports expiry with {@code USER_SESSION_DELETED},
 * but not an admin's revocation, and its background removal of timed-out sessions can come late): find open links
 * whose session is gone or no longer valid and end them (and tell the platform). Works through the open links a page per run, oldest first, continuing
 * where the previous run stopped and starting over after the newest: a page of long-lived sessions cannot hide the
 * links behind it. The position is per node; two nodes checking the same link end it under one event id.
 */
final class SessionSweep implements Runnable {

    private static final int PAGE = 500;
    private static final long GRACE_MILLIS = 1_000;

    private final KeycloakSessionFactory factory;
    private long afterSeen = Long.MIN_VALUE;
    private String afterId = "";

    SessionSweep(KeycloakSessionFactory factory) {
        this.factory = factory;
    }

    @Override
    public void run() {
        long now = System.currentTimeMillis();
        Map<String, String> dead = KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
            List<LinkEntity> open = LinkStore.of(session).openLinksSeenBefore(now - GRACE_MILLIS, afterSeen, afterId, PAGE);
            advance(open);
            Map<String, String> gone = new LinkedHashMap<>();
            for (LinkEntity link : open) {
                if (gone.containsKey(link.getSessionId())) {
                    continue;
                }
                RealmModel realm = session.realms().getRealm(link.getRealmId());
                if (realm == null) {
                    continue;
                }
                session.getContext().setRealm(realm);
                // Keycloak's own validity rule (idle timeout and maximum lifespan): Keycloak 26.5 still returns a
                // session that timed out until its background removal, which can come much later.
                UserSessionModel online = session.sessions().getUserSession(realm, link.getSessionId());
                boolean alive = (online != null && AuthenticationManager.isSessionValid(realm, online))
                        || session.sessions().getOfflineUserSession(realm, link.getSessionId()) != null;
                if (!alive) {
                    gone.put(link.getSessionId(), link.getRealmId());
                }
            }
            return gone;
        });
        // One short transaction per ended session: the customer's sequence row is locked only that long.
        dead.forEach((sessionId, realmId) -> KeycloakModelUtils.runJobInTransaction(factory, session -> {
            RealmModel realm = session.realms().getRealm(realmId);
            if (realm != null) {
                session.getContext().setRealm(realm);
                new LinkRecorder(session).sessionEnded(realm, sessionId, now, "expired");
            }
        }));
    }

    private void advance(List<LinkEntity> page) {
        if (page.size() < PAGE) {
            afterSeen = Long.MIN_VALUE;
            afterId = "";
        } else {
            LinkEntity last = page.get(page.size() - 1);
            afterSeen = last.getLastSeen();
            afterId = last.getId();
        }
    }
}
