package io.github.customerauth.linking;

import java.util.List;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Keycloak emits no event when a session expires or an admin revokes it: find open links whose session is gone
 * and end them (and tell the platform). Works through the open links a page per run, oldest first, continuing
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
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            List<LinkEntity> open = LinkStore.of(session).openLinksSeenBefore(now - GRACE_MILLIS, afterSeen, afterId, PAGE);
            advance(open);
            LinkRecorder recorder = new LinkRecorder(session);
            for (LinkEntity link : open) {
                if (link.getEndedAt() != null) {
                    continue;
                }
                RealmModel realm = session.realms().getRealm(link.getRealmId());
                if (realm == null) {
                    continue;
                }
                session.getContext().setRealm(realm);
                boolean alive = session.sessions().getUserSession(realm, link.getSessionId()) != null
                        || session.sessions().getOfflineUserSession(realm, link.getSessionId()) != null;
                if (!alive) {
                    recorder.sessionEnded(realm, link.getSessionId(), now, "expired");
                }
            }
        });
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
