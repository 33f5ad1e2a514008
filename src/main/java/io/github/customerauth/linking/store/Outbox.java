package io.github.customerauth.linking.store;

import io.github.customerauth.linking.message.LinkEvent;
import io.github.customerauth.support.JdbcInTransaction;
import io.github.customerauth.support.Tables;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.sql.PreparedStatement;
import java.util.List;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/**
 * Every query and state change of {@code CA_OUTBOX}, in the session's transaction. A message is claimed under a
 * claim id (node and run) with a lease longer than the run can take; every later change is guarded by that claim
 * and the {@link OutboxStatus#PENDING} status, so a node whose lease ran out changes nothing.
 */
public final class Outbox {

    private final KeycloakSession session;
    private final EntityManager em;

    private Outbox(KeycloakSession session) {
        this.session = session;
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    public static Outbox of(KeycloakSession session) {
        return new Outbox(session);
    }

    /**
     * Inserted at once, in plain SQL on the transaction's connection, rather than persisted: Hibernate's flush of
     * the entity at Keycloak's commit took about twice the samples of writing the row (a flight recording of H2
     * logins). A failed insert fails here, and fails the transaction ({@link JdbcInTransaction}).
     */
    public void enqueue(String realmId, String webhookId, LinkEvent event, long seq, long now) {
        String id = TimeOrderedId.at(now);
        String insert = "INSERT INTO " + Tables.of(em, OutboxEntity.class) + " (ID, EVENT_ID, SEQ, REALM_ID, WEBHOOK_ID,"
                + " CUSTOMER_ID, BODY, STATUS, CREATED_AT, NEXT_ATTEMPT_AT, ATTEMPTS, CLAIMED_UNTIL)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)";
        JdbcInTransaction.run(em, connection -> {
            try (PreparedStatement row = connection.prepareStatement(insert)) {
                row.setString(1, id);
                row.setString(2, event.id());
                row.setLong(3, seq);
                row.setString(4, realmId);
                row.setString(5, webhookId);
                row.setString(6, event.orderingCustomerId());
                row.setString(7, event.toJson(seq));
                row.setString(8, OutboxStatus.PENDING.name());
                row.setLong(9, now);
                row.setLong(10, now);
                row.executeUpdate();
            }
        });
        LateMessages.watch(session, new LateMessages.Written(id, seq, webhookId));
    }

    /**
     * Every receiver with a message due now, read from the whole backlog: also finds the messages of receivers that
     * are no longer configured (they then fail and are dead-lettered). A pass over all pending rows, so run seldom.
     */
    public List<String> receiversWithDueMessages(long now) {
        return em.createNamedQuery("CaDueReceivers", String.class).setParameter("pending", OutboxStatus.PENDING)
                .setParameter("now", now).getResultList();
    }

    /**
     * Of these receivers, those with a message due now: one short index look each ({@code IDX_CA_OUTBOX_RECEIVER_DUE}),
     * whatever the backlog; each gets its own claim, so that none waits behind another's backlog.
     */
    public List<String> withDueMessages(List<String> webhookIds, long now) {
        return webhookIds.stream().filter(webhookId -> !em.createNamedQuery("CaDueOfOneReceiver", String.class)
                .setParameter("webhookId", webhookId).setParameter("pending", OutboxStatus.PENDING)
                .setParameter("now", now).setMaxResults(1).getResultList().isEmpty()).toList();
    }

    /**
     * Claims up to {@code max} of a receiver's due messages, each customer's from its oldest pending one on, and
     * returns the ones this claim won (another node may have won some), oldest first ({@link OutboxClaim}).
     */
    public List<OutboxEntity> claim(String webhookId, String claimId, long now, long leaseUntil, int max,
                                    PendingFront front) {
        return new OutboxClaim(em, this).claim(webhookId, claimId, now, leaseUntil, max, front);
    }

    /** @return false when the claim was lost meanwhile (another node sent it too) */
    public boolean markDelivered(String id, String claimId, long now) {
        Query delivered = em.createNamedQuery("CaMarkDelivered").setParameter("delivered", OutboxStatus.DELIVERED.name())
                .setParameter("now", now).setParameter("id", id).setParameter("claim", claimId)
                .setParameter("pending", OutboxStatus.PENDING.name());
        return NativeUpdates.of(delivered, OutboxEntity.class).executeUpdate() == 1;
    }

    public boolean retryLater(String id, String claimId, String error, long nextAttemptAt) {
        return em.createNamedQuery("CaRetryLater").setParameter("error", truncate(error)).setParameter("next", nextAttemptAt)
                .setParameter("id", id).setParameter("claim", claimId).setParameter("pending", OutboxStatus.PENDING)
                .executeUpdate() == 1;
    }

    /** A dead letter loses its late mark at once: a replay must write a fresh one that no purge can be deleting. */
    public boolean deadLetter(String id, String claimId, String error) {
        boolean dead = em.createNamedQuery("CaDeadLetter").setParameter("dead", OutboxStatus.DEAD)
                .setParameter("error", truncate(error)).setParameter("id", id).setParameter("claim", claimId)
                .setParameter("pending", OutboxStatus.PENDING).executeUpdate() == 1;
        if (dead) {
            em.createNamedQuery("CaLateDelete").setParameter("id", id).executeUpdate();
        }
        return dead;
    }

    /** Gives claimed messages back unsent and without counting an attempt (their receiver's breaker opened). */
    public void release(List<String> ids, String claimId) {
        if (ids.isEmpty()) {
            return;
        }
        Query release = em.createNamedQuery("CaRelease").setParameter("claim", claimId)
                .setParameter("pending", OutboxStatus.PENDING);
        IdList.bind(release, "ids", ids);
        release.executeUpdate();
    }

    /**
     * A dead letter pending again, with a fresh maximum age; it keeps its place in its customer's order, and is
     * marked late, since its number is older than any receiver's {@link PendingFront}.
     */
    public boolean replay(String realmId, String id, long now) {
        boolean replayed = em.createNamedQuery("CaReplay").setParameter("pending", OutboxStatus.PENDING)
                .setParameter("now", now).setParameter("id", id).setParameter("realmId", realmId)
                .setParameter("dead", OutboxStatus.DEAD).executeUpdate() == 1;
        if (replayed) {
            LateMessages.mark(em, id, em.find(OutboxEntity.class, id).getWebhookId(), now);
        }
        return replayed;
    }

    public OutboxEntity find(String id) {
        return em.find(OutboxEntity.class, id);
    }

    public List<OutboxEntity> page(String realmId, OutboxStatus status, int first, int max) {
        return em.createNamedQuery("CaMessagesByStatus", OutboxEntity.class).setParameter("realmId", realmId)
                .setParameter("status", status).setFirstResult(first).setMaxResults(max).getResultList();
    }

    public long count(OutboxStatus status) {
        return em.createNamedQuery("CaCountByStatus", Long.class).setParameter("status", status).getSingleResult();
    }

    public int purgeDeliveredBefore(long before) {
        return em.createNamedQuery("CaDeleteDeliveredBefore").setParameter("delivered", OutboxStatus.DELIVERED)
                .setParameter("before", before).executeUpdate();
    }

    public int purgeDeadBefore(long before) {
        return em.createNamedQuery("CaDeleteDeadBefore").setParameter("dead", OutboxStatus.DEAD)
                .setParameter("before", before).executeUpdate();
    }

    public void deleteRealm(String realmId) {
        em.createNamedQuery("CaDeleteOutboxOfRealm").setParameter("realmId", realmId).executeUpdate();
    }

    private static String truncate(String error) {
        return error == null || error.length() <= 255 ? error : error.substring(0, 255);
    }
}
