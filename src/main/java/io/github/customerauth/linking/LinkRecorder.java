package io.github.customerauth.linking;

import java.util.List;
import java.util.UUID;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** Turns what happened to a customer into links and outbox messages, in the caller's transaction. */
final class LinkRecorder {

    static final String SESSION_ENDED = "SESSION_ENDED";
    static final String CUSTOMER_DELETED = "CUSTOMER_DELETED";
    static final String IDENTIFIER_CHANGED = "CUSTOMER_IDENTIFIER_CHANGED";
    static final String LOGOUT = "LOGOUT";

    private final KeycloakSession session;
    private final LinkStore store;

    LinkRecorder(KeycloakSession session) {
        this.session = session;
        this.store = LinkStore.of(session);
    }

    static boolean enabledIn(RealmModel realm) {
        return realm.getEventsListenersStream().anyMatch(LinkingEventListenerFactory.PROVIDER_ID::equals);
    }

    /** A login, token, refresh or exchange: the session is seen on that channel. */
    void seen(RealmModel realm, String eventId, String type, long time, String customerId, String userId,
              String clientId, String sessionId) {
        if (sessionId != null && clientId != null) {
            store.recordSeen(realm.getId(), customerId, userId, clientId, sessionId, time);
        }
        notify(realm, new LinkEvent(eventId, type, time, realm.getName(), customerId, clientId, sessionId, null));
    }

    void loggedOut(RealmModel realm, String eventId, long time, String customerId, String clientId, String sessionId) {
        if (sessionId != null) {
            store.endSession(realm.getId(), sessionId, "logout", time);
        }
        notify(realm, new LinkEvent(eventId, LOGOUT, time, realm.getName(), customerId, clientId, sessionId, null));
    }

    /** A session that ended (expiry, admin revocation): each of its open links is ended; returns how many. */
    int sessionEnded(RealmModel realm, String sessionId, long now, String reason) {
        List<LinkEntity> ended = store.endSession(realm.getId(), sessionId, truncate(reason), now);
        for (LinkEntity link : ended) {
            // Every node's sweep may see the same ended session: one event id for it, so a duplicate is harmless.
            String eventId = UUID.nameUUIDFromBytes((realm.getId() + '/' + sessionId + '/' + link.getClientId()
                    + "/ended").getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
            notify(realm, new LinkEvent(eventId, SESSION_ENDED, now, realm.getName(),
                    link.getCustomerId(), link.getClientId(), sessionId, null));
        }
        return ended.size();
    }

    /** The link table's END_REASON holds 32 characters. */
    private static String truncate(String reason) {
        return reason.length() <= 32 ? reason : reason.substring(0, 32);
    }

    /**
     * The user is gone: links are deleted, whether or not the realm still runs the listener, and the platform is
     * told for each identifier the user had when it does.
     */
    void customerDeleted(RealmModel realm, String userId, long now) {
        List<String> customers = store.customersOfUser(realm.getId(), userId);
        store.deleteLinksOfUser(realm.getId(), userId);
        if (!enabledIn(realm)) {
            return;
        }
        for (String customerId : customers) {
            notify(realm, new LinkEvent(UUID.randomUUID().toString(), CUSTOMER_DELETED, now, realm.getName(),
                    customerId, null, null, null));
        }
    }

    /** The account number changed: the platform learns the new identifier and the one it replaces. */
    void identifierMaybeChanged(RealmModel realm, String userId, String currentCustomerId, long now) {
        String previous = store.latestCustomerOfUser(realm.getId(), userId);
        if (previous != null && !previous.equals(currentCustomerId)) {
            notify(realm, new LinkEvent(UUID.randomUUID().toString(), IDENTIFIER_CHANGED, now, realm.getName(),
                    currentCustomerId, null, null, previous));
        }
    }

    private void notify(RealmModel realm, LinkEvent event) {
        List<Webhook> webhooks = Webhook.enabledIn(realm).toList();
        if (webhooks.isEmpty()) {
            return;
        }
        long seq = CustomerSequence.next(session, realm.getId(), event.customerId());
        Outbox outbox = Outbox.of(session);
        webhooks.forEach(webhook -> outbox.enqueue(realm.getId(), webhook.id(), event, seq, event.timeMillis()));
    }
}
