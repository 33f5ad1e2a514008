package io.github.customerauth.linking.store;

import io.github.customerauth.linking.message.LinkEvent;
import io.github.customerauth.support.InsertIfAbsent;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/** Every query and state change of {@code CA_LINK}, in the session's transaction. */
public final class LinkStore {

    /** A link found taken and then gone within one group: not made again by the group's later sightings. */
    private static final String DELETED = "";

    private final EntityManager em;

    private LinkStore(EntityManager em) {
        this.em = em;
    }

    public static LinkStore of(KeycloakSession session) {
        return new LinkStore(session.getProvider(JpaConnectionProvider.class).getEntityManager());
    }

    /** Which users may have the new links of these sightings; called once per group, before any link is written. */
    @FunctionalInterface
    public interface UsersOfNewLinks {
        Set<String> mayHaveLinks(List<Sighting> needingLinks);
    }

    /**
     * The sessions seen: each (session, channel, customer) link's last sighting and count, or a new link for a user
     * that {@code users} allows. Link ids are read first, then {@code users} is asked for the links not found (and
     * locks those users' rows, see {@link UserRows}), and only then are links written: user rows are always locked
     * before link rows. A new link is inserted unless the unique key on (realm, session, client, customer) is taken
     * ({@link InsertIfAbsent}): a link another transaction made meanwhile is then read with a locking read (which
     * also sees its commit under MySQL's repeatable read) and counted as seen again, so two nodes making the same
     * link leave one. A link deleted after it was read (its user or realm is gone) is not made again.
     */
    public void recordSeen(List<Sighting> group, UsersOfNewLinks users) {
        recordSeen(group, users, false);
    }

    /** {@code newLinksLikely}: no look-up before the users' rows are locked (a login's session is mostly new). */
    public void recordSeen(List<Sighting> group, UsersOfNewLinks users, boolean newLinksLikely) {
        flushAtCommit();
        // Rows in one fixed order, so that two nodes' groups lock them alike and cannot deadlock; a sighting keeps
        // the latest time whatever the order.
        List<Sighting> ordered = new ArrayList<>(group);
        ordered.removeIf(seen -> seen.event().sessionId() == null || seen.event().channel() == null);
        ordered.sort(Comparator.comparing(Sighting::key, LinkKey.LOCK_ORDER));
        // Each link's id: found before the users' rows are locked, or made (or found taken) after.
        Map<LinkKey, String> linkIds = new HashMap<>();
        List<Sighting> needingLinks = new ArrayList<>();
        for (Sighting seen : ordered) {
            String id = linkIds.get(seen.key());
            if (id == null && !newLinksLikely) {
                id = linkId(seen.key(), false);
            }
            if (id != null) {
                linkIds.put(seen.key(), id);
            } else {
                needingLinks.add(seen);
            }
        }
        Set<String> mayHaveLinks = needingLinks.isEmpty() ? Set.of() : users.mayHaveLinks(needingLinks);
        for (Sighting seen : ordered) {
            String id = linkIds.get(seen.key());
            if (DELETED.equals(id)) {
                continue;
            }
            if (id != null) {
                seenAgain(id, seen);
            } else if (mayHaveLinks.contains(seen.userId())) {
                id = madeOrSeenAgain(seen);
                linkIds.put(seen.key(), id == null ? DELETED : id);
            }
        }
    }

    /** See {@link UserRows#lockExisting}. */
    public Set<String> lockExistingUsers(Collection<String> userIds) {
        return UserRows.lockExisting(em, userIds);
    }

    /**
     * From here on, entities are written when the transaction commits; returns the mode to give back. What the
     * caller's transaction changed so far is written first, so that its locks (a user row updated by the same
     * request, say) come before this extension's, as they would without the switch.
     */
    public FlushModeType flushAtCommit() {
        FlushModeType before = em.getFlushMode();
        if (before != FlushModeType.COMMIT) {
            em.flush();
            em.setFlushMode(FlushModeType.COMMIT);
        }
        return before;
    }

    public void flushMode(FlushModeType mode) {
        em.setFlushMode(mode);
    }

    /**
     * By the unique key, without entities. {@code current}: an exclusive locking read, which sees a link committed
     * since this transaction began also under repeatable read (MySQL's default), where a plain read sees an older
     * snapshot; exclusive, because the link is updated next (two shared locks waiting for each other's would deadlock).
     */
    private String linkId(LinkKey key, boolean current) {
        TypedQuery<Object[]> query = em.createNamedQuery("CaLinkIdsOfSessionChannel", Object[].class)
                .setParameter("realmId", key.realmId()).setParameter("sessionId", key.sessionId())
                .setParameter("clientId", key.channel());
        if (current) {
            query.setLockMode(LockModeType.PESSIMISTIC_WRITE);
        }
        return query.getResultList().stream().filter(row -> key.customerId().equals(row[1]))
                .map(row -> (String) row[0]).findFirst().orElse(null);
    }

    /** By primary key, without entities; none when the link was deleted since it was read. */
    private void seenAgain(String id, Sighting seen) {
        Query seenAgain = em.createNamedQuery("CaLinkSeenAgain").setParameter("now", seen.event().timeMillis())
                .setParameter("id", id).setParameter("count", seen.count());
        NativeUpdates.of(seenAgain, LinkEntity.class).executeUpdate();
    }

    /**
     * The sighting's new link, in one statement unless another transaction made it first (then that link is seen
     * again); its id, or none when the link exists but was deleted before it could be read.
     */
    private String madeOrSeenAgain(Sighting seen) {
        LinkEvent event = seen.event();
        Map<String, Object> row = new LinkedHashMap<>();
        String id = UUID.randomUUID().toString();
        row.put("ID", id);
        row.put("REALM_ID", seen.realmId());
        row.put("CUSTOMER_ID", event.customerId());
        row.put("USER_ID", seen.userId());
        row.put("CLIENT_ID", event.channel());
        row.put("SESSION_ID", event.sessionId());
        row.put("FIRST_SEEN", event.timeMillis());
        row.put("LAST_SEEN", event.timeMillis());
        row.put("EVENT_COUNT", seen.count());
        if (InsertIfAbsent.insert(em, LinkEntity.class, row)) {
            return id;
        }
        String existing = linkId(seen.key(), true);
        if (existing != null) {
            seenAgain(existing, seen);
        }
        return existing;
    }

    /**
     * Ends every open link of a session; returns them. The links are read with an exclusive lock: of two nodes ending
     * one session (two sweeps, a sweep and a logout), the second waits and then finds none open, so the session's
     * end goes out once, not twice with different numbers.
     */
    public List<LinkEntity> endSession(String realmId, String sessionId, String reason, long now) {
        List<LinkEntity> open = em.createNamedQuery("CaOpenLinksOfSession", LinkEntity.class)
                .setParameter("realmId", realmId).setParameter("sessionId", sessionId)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        open.forEach(link -> end(link, reason, now));
        return open;
    }

    private static void end(LinkEntity link, String reason, long now) {
        link.setEndedAt(now);
        link.setEndReason(reason);
        link.setLastSeen(Math.max(link.getLastSeen(), now));
    }

    public List<String> customersOfUser(String realmId, String userId) {
        return em.createNamedQuery("CaCustomersOfUser", String.class)
                .setParameter("realmId", realmId).setParameter("userId", userId).getResultList();
    }

    /**
     * Ends the user's open links, but those of the sessions {@code livesOn} keeps; returns those ended. One read with
     * an exclusive lock, in the order writers lock links (customer, session, channel), so the two cannot deadlock.
     */
    public List<LinkEntity> endOpenLinksOfUser(String realmId, String userId, String reason, long now,
                                               Predicate<String> livesOn) {
        List<LinkEntity> ended = new ArrayList<>();
        List<LinkEntity> open = em.createNamedQuery("CaOpenLinksOfUser", LinkEntity.class)
                .setParameter("realmId", realmId).setParameter("userId", userId)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        for (LinkEntity link : open) {
            if (!livesOn.test(link.getSessionId())) {
                end(link, reason, now);
                ended.add(link);
            }
        }
        return ended;
    }

    /** The channels the user's links name, ended or not. */
    public List<String> channelsOfUser(String realmId, String userId) {
        return em.createNamedQuery("CaChannelsOfUser", String.class)
                .setParameter("realmId", realmId).setParameter("userId", userId).getResultList();
    }

    public String latestCustomerOfUser(String realmId, String userId) {
        return em.createNamedQuery("CaLatestLinkOfUser", LinkEntity.class)
                .setParameter("realmId", realmId).setParameter("userId", userId)
                .setMaxResults(1).getResultStream().map(LinkEntity::getCustomerId).findFirst().orElse(null);
    }

    public void deleteLinksOfUser(String realmId, String userId) {
        em.createNamedQuery("CaDeleteLinksOfUser").setParameter("realmId", realmId).setParameter("userId", userId)
                .executeUpdate();
    }

    public void deleteRealm(String realmId) {
        em.createNamedQuery("CaDeleteLinksOfRealm").setParameter("realmId", realmId).executeUpdate();
    }

    /** Open links last seen before {@code before}, in (last seen, id) order, after the given position. */
    public List<LinkEntity> openLinksSeenBefore(long before, long afterSeen, String afterId, int max) {
        return em.createNamedQuery("CaOpenLinksSeenBefore", LinkEntity.class).setParameter("before", before)
                .setParameter("afterSeen", afterSeen).setParameter("afterId", afterId)
                .setMaxResults(max).getResultList();
    }

    public int purgeEndedBefore(long before) {
        return em.createNamedQuery("CaDeleteEndedLinksBefore").setParameter("before", before).executeUpdate();
    }
}
