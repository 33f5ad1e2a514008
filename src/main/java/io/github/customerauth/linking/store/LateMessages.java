package io.github.customerauth.linking.store;

import io.github.customerauth.support.InsertIfAbsent;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;

/**
 * Marks the pending messages whose number may lie before their receiver's {@link PendingFront}, so that a claim
 * reading a backlog more than {@link #RECENT_FRONT_MILLIS} old needs to look for customers behind its front only
 * while its receiver has such a mark ({@code CA_OUTBOX_LATE}, usually empty): that look, one index descent per
 * customer, cost 0.77 ms a claim at a million pending. A claim whose front is recent looks in any case.
 * <p>
 * A message's {@code seq} comes from its writer's clock in its transaction; the front lies
 * {@link PendingFront#LATE_COMMIT_MILLIS} before the claiming node's read. A message is marked in its own
 * transaction, just before it commits, when its number is more than {@link #LATE_MILLIS} old by then, or while the
 * writer's clock is not known to be within {@link DatabaseClock#TOLERANCE_MILLIS} of the database's; a replayed dead
 * letter is marked when replayed. An unmarked message whose commit follows its mark's check within 20 s thus
 * commits at most 40 s after its number by the database's clock, and the claiming node, whose clock is within 10 s
 * too, keeps its front 60 s back: such a message is never behind the front. One whose commit took longer (a
 * commit held up by a synchronous standby, say) is behind a front only if the front is recent, where claims look
 * anyway. A claiming node whose clock is not known to be within the tolerance always looks.
 */
public final class LateMessages {

    static final long LATE_MILLIS = 10_000;
    /** A front this recent means a small backlog: the claim then looks whatever the marks. */
    static final long RECENT_FRONT_MILLIS = 300_000;
    private static final String WATCH = LateMessages.class.getName();

    private final EntityManager em;
    private final List<Written> written = new ArrayList<>();

    private LateMessages(EntityManager em) {
        this.em = em;
    }

    /** A message as written: what its mark needs. */
    record Written(String id, long seq, String webhookId) {
    }

    /** A message written in the session's transaction: marked just before the transaction commits, if late by then. */
    static void watch(KeycloakSession session, Written message) {
        LateMessages watch = session.getAttribute(WATCH, LateMessages.class);
        if (watch == null) {
            watch = new LateMessages(session.getProvider(JpaConnectionProvider.class).getEntityManager());
            if (!session.getTransactionManager().isActive()) {
                watch.markIfLate(message, System.currentTimeMillis());
                return;
            }
            session.setAttribute(WATCH, watch);
            session.getTransactionManager().enlistPrepare(watch.beforeCommit(session));
        }
        watch.written.add(message);
    }

    private AbstractKeycloakTransaction beforeCommit(KeycloakSession session) {
        return new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                session.removeAttribute(WATCH);
                long now = System.currentTimeMillis();
                written.forEach(message -> markIfLate(message, now));
            }

            @Override
            protected void rollbackImpl() {
                session.removeAttribute(WATCH);
            }
        };
    }

    private void markIfLate(Written message, long now) {
        if (isLate(message.seq(), now, DatabaseClock.trusted())) {
            mark(em, message.id(), message.webhookId(), now);
        }
    }

    /** Whether a message numbered {@code seq} (microseconds) and committing at {@code now} must be marked. */
    static boolean isLate(long seq, long now, boolean clockTrusted) {
        return !clockTrusted || now * 1000 - seq > LATE_MILLIS * 1000;
    }

    static void mark(EntityManager em, String messageId, String webhookId, long now) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ID", messageId);
        row.put("WEBHOOK_ID", webhookId);
        row.put("MARKED_AT", now);
        InsertIfAbsent.insert(em, LateMessageEntity.class, row);
    }

    /**
     * Whether a claim of this receiver, read from {@code from} at {@code now}, must look for customers with a
     * message behind its front: the front is recent (no backlog older than {@link #RECENT_FRONT_MILLIS}, where the
     * look is cheap and also covers a commit that took long after its mark's check), one of the receiver's messages
     * is marked, or this node's clock is not known to be within the tolerance. Read after the window.
     */
    static boolean mayBeBehind(EntityManager em, String webhookId, long from, long now) {
        return frontIsRecent(from, now) || !DatabaseClock.trusted()
                || !em.createNamedQuery("CaLateOfReceiver", String.class).setParameter("webhookId", webhookId)
                .setMaxResults(1).getResultList().isEmpty();
    }

    static boolean frontIsRecent(long from, long now) {
        return from > (now - RECENT_FRONT_MILLIS) * 1000;
    }

    /** The marks of messages sent, dead-lettered or deleted since (housekeeping). */
    public static int purge(KeycloakSession session) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        return em.createNamedQuery("CaLateNoLongerPending").setParameter("pending", OutboxStatus.PENDING)
                .executeUpdate();
    }
}
