package io.github.customerauth.linking.store;

import io.github.customerauth.support.BoundedMap;
import io.github.customerauth.support.InsertIfAbsent;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/**
 * Orders a customer's webhook messages by a counter in the database ({@code CA_CUSTOMER_SEQ}), incremented in the
 * transaction that records the event. The increment locks the customer's row until that transaction ends, so a
 * later event of the same customer gets a higher number only once the earlier one has committed or rolled back:
 * the order holds however late a transaction commits. The counter never falls behind this node's clock in
 * microseconds, so it interleaves with the clock-based numbers of messages recorded before it existed (or by a node
 * still running the previous release), and customers are served oldest event first.
 */
public final class CustomerSequence {

    private static final int REMEMBERED = 100_000;
    /**
     * Rows this node has seen exist, so that a returning customer's event skips the look for its row. A row goes
     * only with its realm; a realm imported again under the same id gets its rows back on first use.
     */
    private static final BoundedMap<String, Boolean> KNOWN_ROWS = new BoundedMap<>(REMEMBERED);

    private CustomerSequence() {
    }

    /** Takes {@code count} numbers for the customer's next events and returns the last of them. */
    public static long next(KeycloakSession session, String realmId, String customerId, int count) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        String id = DigestRowId.of(realmId, customerId);
        if (!KNOWN_ROWS.containsKey(id)) {
            create(em, realmId, id);
        }
        long nowMicros = System.currentTimeMillis() * 1000;
        Long last = take(em, id, nowMicros, count);
        if (last == null) {
            // A remembered row that went with its realm (a realm deleted and imported again with the same id).
            KNOWN_ROWS.remove(id);
            create(em, realmId, id);
            last = take(em, id, nowMicros, count);
            if (last == null) {
                throw new IllegalStateException("no sequence row for a customer of realm " + realmId);
            }
        }
        KNOWN_ROWS.put(id, Boolean.TRUE);
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
    public static void delete(KeycloakSession session, String realmId, Collection<String> customerIds) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        for (String customerId : customerIds) {
            String id = DigestRowId.of(realmId, customerId);
            KNOWN_ROWS.remove(id);
            em.createNamedQuery("CaSeqDelete").setParameter("id", id).executeUpdate();
        }
    }

    public static void deleteRealm(KeycloakSession session, String realmId) {
        // Row ids are digests, so the realm's cannot be picked out: this node forgets all (other nodes find out on
        // their next event of the realm, should it be imported again under the same id).
        KNOWN_ROWS.clear();
        session.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createNamedQuery("CaSeqDeleteOfRealm").setParameter("realmId", realmId).executeUpdate();
    }

    /**
     * The customer's row unless it exists, in the caller's transaction: a request thread opens no second transaction
     * (a burst of first events would hold every connection and wait for another), and a row another node creates at
     * the same moment is no error.
     */
    private static void create(EntityManager em, String realmId, String id) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ID", id);
        row.put("REALM_ID", realmId);
        row.put("NEXT_SEQ", 0L);
        InsertIfAbsent.insert(em, CustomerSequenceEntity.class, row);
    }
}
