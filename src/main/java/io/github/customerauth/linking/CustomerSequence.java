package io.github.customerauth.linking;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Orders a customer's webhook messages by a counter in the database ({@code CA_CUSTOMER_SEQ}), incremented in the
 * transaction that records the event. The increment locks the customer's row until that transaction ends, so a
 * later event of the same customer gets a higher number only once the earlier one has committed or rolled back:
 * the order holds however late a transaction commits. The counter never falls behind this node's clock in
 * microseconds, so it interleaves with the clock-based numbers of messages recorded before it existed (or by a node
 * still running the previous release), and customers are served oldest event first.
 */
final class CustomerSequence {

    private static final Logger LOG = Logger.getLogger(CustomerSequence.class);
    private static final int REMEMBERED = 100_000;
    /**
     * Rows this node has seen exist, so that a returning customer's event skips the look for its row. A row goes
     * only with its realm; a realm imported again under the same id gets its rows back on first use.
     */
    private static final Set<String> KNOWN_ROWS = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            }));

    private CustomerSequence() {
    }

    /**
     * Whether this node has seen the customer's row: then {@link #next} needs no transaction of its own, which a
     * request thread must not open while it holds its own connection (a burst of first logins would drain the pool).
     */
    static boolean known(String realmId, String customerId) {
        return KNOWN_ROWS.contains(DigestRowId.of(realmId, customerId));
    }

    /** Takes {@code count} numbers for the customer's next events and returns the last of them. */
    static long next(KeycloakSession session, String realmId, String customerId, int count) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        String id = DigestRowId.of(realmId, customerId);
        if (!KNOWN_ROWS.contains(id) && em.find(CustomerSequenceEntity.class, id) == null) {
            // Before any lock is taken here: the row is created by a transaction of its own, which must not wait on
            // a lock this one holds (MySQL's gap lock on a missing row would make it).
            create(session, realmId, id);
        }
        long nowMicros = System.currentTimeMillis() * 1000;
        Long last = take(em, id, nowMicros, count);
        if (last == null) {
            // A remembered row that went with its realm (a realm deleted and imported again with the same id).
            KNOWN_ROWS.remove(id);
            create(session, realmId, id);
            last = take(em, id, nowMicros, count);
            if (last == null) {
                throw new IllegalStateException("no sequence row for a customer of realm " + realmId);
            }
        }
        KNOWN_ROWS.add(id);
        return last;
    }

    /** The last of {@code count} numbers taken, or null when the customer has no row. */
    private static Long take(EntityManager em, String id, long nowMicros, int count) {
        Query fromClock = em.createNamedQuery("CaSeqFromClock").setParameter("id", id).setParameter("now", nowMicros)
                .setParameter("count", (long) count);
        if (NativeUpdates.of(fromClock, CustomerSequenceEntity.class).executeUpdate() == 1) {
            return nowMicros + count - 1;
        }
        Query increment = em.createNamedQuery("CaSeqIncrement").setParameter("id", id)
                .setParameter("count", (long) count);
        if (NativeUpdates.of(increment, CustomerSequenceEntity.class).executeUpdate() == 0) {
            return null;
        }
        return em.createNamedQuery("CaSeqValue", Long.class).setParameter("id", id).getSingleResult();
    }

    /** The rows of these customers of the realm (a deleted user's identifiers), in the caller's transaction. */
    static void delete(KeycloakSession session, String realmId, Collection<String> customerIds) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        for (String customerId : customerIds) {
            String id = DigestRowId.of(realmId, customerId);
            KNOWN_ROWS.remove(id);
            em.createNamedQuery("CaSeqDelete").setParameter("id", id).executeUpdate();
        }
    }

    static void deleteRealm(KeycloakSession session, String realmId) {
        // Row ids are digests, so the realm's cannot be picked out: this node forgets all (other nodes find out on
        // their next event of the realm, should it be imported again under the same id).
        KNOWN_ROWS.clear();
        session.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createNamedQuery("CaSeqDeleteOfRealm").setParameter("realmId", realmId).executeUpdate();
    }

    /** The customer's row, in a transaction of its own, so that two first events racing cannot fail a login. */
    private static void create(KeycloakSession session, String realmId, String id) {
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), own -> {
                EntityManager em = own.getProvider(JpaConnectionProvider.class).getEntityManager();
                if (em.find(CustomerSequenceEntity.class, id) == null) {
                    CustomerSequenceEntity row = new CustomerSequenceEntity();
                    row.setId(id);
                    row.setRealmId(realmId);
                    row.setNext(0);
                    em.persist(row);
                }
            });
        } catch (RuntimeException raced) {
            LOG.debugf("Sequence row of a customer of realm %s created concurrently", realmId);
        }
    }
}
