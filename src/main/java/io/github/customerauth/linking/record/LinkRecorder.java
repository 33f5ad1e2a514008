package io.github.customerauth.linking.record;

import io.github.customerauth.identifier.CustomerIdentifiers;
import io.github.customerauth.linking.message.LinkEvent;
import io.github.customerauth.linking.message.MessageType;
import io.github.customerauth.linking.store.AnnouncedIdentifiers;
import io.github.customerauth.linking.store.CustomerSequence;
import io.github.customerauth.linking.store.KafkaOutbox;
import io.github.customerauth.linking.store.LinkEntity;
import io.github.customerauth.linking.store.LinkStore;
import io.github.customerauth.linking.store.Outbox;
import io.github.customerauth.linking.store.Sighting;
import jakarta.persistence.FlushModeType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.storage.StorageId;

/** Turns what happened to a customer into links and outbox messages, in the caller's transaction. */
public final class LinkRecorder {

    private static final Logger LOG = Logger.getLogger(LinkRecorder.class);

    static final String USER_DISABLED = "user_disabled";

    private final KeycloakSession session;
    private final LinkStore store;

    public LinkRecorder(KeycloakSession session) {
        this.session = session;
        this.store = LinkStore.of(session);
    }

    static boolean enabledIn(RealmModel realm) {
        return realm.getEventsListenersStream().anyMatch(LinkingEventListener.PROVIDER_ID::equals);
    }

    /** Sessions seen on their channels, after Keycloak's commit, in the caller's transaction: links, then messages. */
    void write(List<Sighting> sightings, List<Message> messages) {
        store.recordSeen(sightings, this::usersStillThere);
        enqueue(messages);
    }

    /**
     * A login, in Keycloak's own transaction: its link and messages are committed with the login or not at all (a
     * database error here fails the login). A login's session is mostly new, so the user's row is locked before the
     * one look-up of its link. Keycloak's flush mode is given back.
     */
    void writeInRequest(Sighting sighting, Message message) {
        FlushModeType before = store.flushAtCommit();
        try {
            store.recordSeen(List.of(sighting), this::usersStillThere, true);
            enqueue(List.of(message));
        } finally {
            store.flushMode(before);
        }
    }

    /** Locks the user's row for the rest of the transaction (see {@link UserRows}). */
    void lockUser(String userId) {
        if (StorageId.isLocalStorage(userId)) {
            store.lockExistingUsers(Set.of(userId));
        }
    }

    /** Sightings that no receiver wants a message of, after Keycloak's commit: links only. */
    void counted(List<Sighting> sightings) {
        store.recordSeen(sightings, this::usersStillThere);
    }

    /**
     * The users of these sightings that still exist: a user deleted meanwhile (whose links are gone) gets no new
     * link, which nothing would delete. A user of Keycloak's database is checked under a lock on its row, which
     * Keycloak's removal of the user takes too ({@link UserRows}); a federated user that Keycloak does not store has
     * no row, and is asked of the user API instead, which can still answer for a user whose removal is under way.
     */
    private Set<String> usersStillThere(List<Sighting> sightings) {
        Set<String> local = new HashSet<>();
        Set<String> existing = new HashSet<>();
        for (Sighting sighting : sightings) {
            if (sighting.userId() == null) {
                continue;
            }
            if (StorageId.isLocalStorage(sighting.userId())) {
                local.add(sighting.userId());
            } else if (!existing.contains(sighting.userId()) && federatedUserStillThere(sighting)) {
                existing.add(sighting.userId());
            }
        }
        existing.addAll(store.lockExistingUsers(local));
        return existing;
    }

    private boolean federatedUserStillThere(Sighting sighting) {
        RealmModel realm = session.realms().getRealm(sighting.realmId());
        if (realm == null) {
            return false;
        }
        RealmModel before = session.getContext().getRealm();
        try {
            // Keycloak's user cache asks the session's realm (organizations): a writer's session has none of its own.
            session.getContext().setRealm(realm);
            return session.users().getUserById(realm, sighting.userId()) != null;
        } catch (RuntimeException e) {
            // The check must never cost the event its message: without an answer, the link is made.
            LOG.debugf(e, "Could not tell whether a user of realm %s still exists; recording the link", realm.getName());
            return true;
        } finally {
            session.getContext().setRealm(before);
        }
    }

    /**
     * A logout through {@code clientId}: every open link of the session ends. {@code LOGOUT} goes out on the logout's
     * channel, and each link on another channel gets its own {@code SESSION_ENDED}, so that a receiver of that channel
     * alone hears that its session ended.
     */
    void loggedOut(RealmModel realm, String eventId, long time, String customerId, String clientId, String sessionId) {
        List<LinkEntity> ended = sessionId == null ? List.of() : store.endSession(realm.getId(), sessionId, "logout", time);
        Set<String> channels = new HashSet<>();
        ended.forEach(link -> channels.add(link.getClientId()));
        List<Message> messages = new ArrayList<>();
        messages.add(Message.to(realm, new LinkEvent(eventId, MessageType.LOGOUT, time, realm.getName(), customerId, clientId,
                sessionId, null), channels));
        ended.stream().filter(link -> !link.getClientId().equals(clientId))
                .forEach(link -> messages.add(endedMessage(realm, link, time)));
        enqueue(messages);
    }

    /** A session that ended (expiry, admin revocation): each of its open links is ended; returns how many. */
    public int sessionEnded(RealmModel realm, String sessionId, long now, String reason) {
        List<LinkEntity> ended = store.endSession(realm.getId(), sessionId, truncate(reason), now);
        enqueue(ended.stream().map(link -> endedMessage(realm, link, now)).toList());
        return ended.size();
    }

    /**
     * An admin disabled the user: Keycloak keeps its sessions (their tokens no longer refresh), so the platform is
     * told here that each of them ended ({@code end_reason: user_disabled}).
     */
    void userDisabled(RealmModel realm, String userId, long now) {
        userLoggedOut(realm, userId, now, USER_DISABLED, sessionId -> false);
    }

    /**
     * Every open link of the user ends, each with its {@code SESSION_ENDED}, but those of the sessions
     * {@code livesOn} keeps; returns how many. One locking read takes the links in the writers' order.
     */
    int userLoggedOut(RealmModel realm, String userId, long now, String reason, Predicate<String> livesOn) {
        // All in one enqueue: sequence rows are then locked in (realm, customer) order, as the writer locks them.
        List<Message> messages = store.endOpenLinksOfUser(realm.getId(), userId, reason, now, livesOn).stream()
                .map(link -> endedMessage(realm, link, now)).toList();
        enqueue(messages);
        return messages.size();
    }

    private Message endedMessage(RealmModel realm, LinkEntity link, long now) {
        // Every node's sweep may see the same ended session: one event id for it, so a duplicate is harmless.
        String eventId = eventId(realm.getId(), link.getSessionId(), link.getClientId(), "ended");
        return Message.to(realm, new LinkEvent(eventId, MessageType.SESSION_ENDED, now, realm.getName(), link.getCustomerId(),
                link.getClientId(), link.getSessionId(), null), Set.of(link.getClientId()));
    }

    /** The link table's END_REASON holds 32 characters. */
    private static String truncate(String reason) {
        return reason.length() <= 32 ? reason : reason.substring(0, 32);
    }

    /**
     * The user is gone: its links, the announced identifier and the sequence rows of its identifiers are deleted,
     * whether or not the realm still runs the listener, and when it does the platform is told for each identifier
     * the user had ({@code identifiers}: what its account number derives to, under the current and any previous key,
     * and what the index holds), whether or not links remain.
     */
    public void customerDeleted(RealmModel realm, String userId, Set<String> identifiers, long now) {
        Set<String> customers = new TreeSet<>(identifiers);
        customers.addAll(store.customersOfUser(realm.getId(), userId));
        AnnouncedIdentifiers announced = AnnouncedIdentifiers.of(session);
        announced.announced(realm.getId(), userId).ifPresent(customers::add);
        // An identifier the index gives to another user (the account number moved on) is that customer's: neither
        // announced as erased nor stripped of its order.
        customers.removeIf(customerId -> CustomerIdentifiers.userIdOf(session, realm, customerId)
                .filter(owner -> !owner.equals(userId)).isPresent());
        Set<String> channels = Set.copyOf(store.channelsOfUser(realm.getId(), userId));
        store.deleteLinksOfUser(realm.getId(), userId);
        announced.deleteUser(realm.getId(), userId);
        if (enabledIn(realm)) {
            enqueue(customers.stream().map(customerId -> Message.to(realm, new LinkEvent(
                    eventId(realm.getId(), userId, customerId, "deleted"), MessageType.CUSTOMER_DELETED, now, realm.getName(),
                    customerId, null, null, null), channels)).toList());
        }
        CustomerSequence.delete(session, realm.getId(), customers);
    }

    /**
     * After an admin's change of the user: when the identifier differs from what the platform last heard of the user
     * (or, the first time, from the latest link), one {@code CUSTOMER_IDENTIFIER_CHANGED} with
     * {@code previous_customer_id}, and without {@code customer_id} when the identifier was removed. Its id is the
     * change's, the same however often it is sent.
     */
    void identifierMaybeChanged(RealmModel realm, String userId, String currentCustomerId, long now) {
        AnnouncedIdentifiers.of(session).record(realm.getId(), userId, currentCustomerId,
                () -> store.latestCustomerOfUser(realm.getId(), userId)).ifPresent(change -> {
            String eventId = eventId(realm.getId(), userId, String.valueOf(change.number()), "identifier-changed");
            LinkEvent changed = new LinkEvent(eventId, MessageType.IDENTIFIER_CHANGED, now, realm.getName(),
                    currentCustomerId, null, null, change.previous());
            enqueue(List.of(Message.to(realm, changed, Set.copyOf(store.channelsOfUser(realm.getId(), userId)))));
        });
    }

    /** The same id whoever derives it from the same parts: a message sent twice is recognised as one. */
    private static String eventId(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("/", parts).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * The messages of the events, in the caller's transaction (webhook and Kafka outbox rows): one sequence
     * increment per customer for all of its events, numbered in the order given. Customers go in a fixed order, so
     * that two transactions lock their sequence rows alike and cannot deadlock.
     */
    private void enqueue(List<Message> messages) {
        Map<String, List<Message>> byCustomer = new TreeMap<>();
        messages.stream().filter(Message::wanted).forEach(message -> byCustomer
                .computeIfAbsent(message.realmId() + '\n' + message.event().orderingCustomerId(), k -> new ArrayList<>())
                .add(message));
        Outbox outbox = Outbox.of(session);
        KafkaOutbox kafka = KafkaOutbox.of(session);
        for (List<Message> ofCustomer : byCustomer.values()) {
            Message first = ofCustomer.get(0);
            String customerId = first.event().orderingCustomerId();
            long seq = CustomerSequence.next(session, first.realmId(), customerId, ofCustomer.size()) - ofCustomer.size();
            for (Message message : ofCustomer) {
                long eventSeq = ++seq;
                message.webhookIds().forEach(webhookId -> outbox.enqueue(message.realmId(), webhookId,
                        message.event(), eventSeq, message.event().timeMillis()));
                message.kafkaAggregateTypes().forEach(type -> kafka.write(type, message.event(), eventSeq));
            }
        }
    }
}
