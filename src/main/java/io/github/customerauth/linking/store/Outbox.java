package io.github.customerauth.linking.store;

import io.github.customerauth.linking.message.LinkEvent;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/**
 * Every query and state change of {@code CA_OUTBOX}, in the session's transaction. A message is claimed under a
 * claim id (node and run) with a lease longer than the run can take; every later change is guarded by that claim
 * and the {@link OutboxStatus#PENDING} status, so a node whose lease ran out changes nothing.
 */
public final class Outbox {

    private static final int WINDOW_PER_MESSAGE = 10;
    /**
     * The window is read this short first: in a backlog it holds a full batch, and the rest could not change what is
     * taken ({@link ClaimWindow#leadingDueOfEachCustomer} stops at the batch). Each row read costs a visit to its page.
     */
    private static final int FIRST_LOOK_PER_MESSAGE = 2;
    private static final int MAX_WINDOW = 5_000;

    private final EntityManager em;

    private Outbox(EntityManager em) {
        this.em = em;
    }

    public static Outbox of(KeycloakSession session) {
        return new Outbox(session.getProvider(JpaConnectionProvider.class).getEntityManager());
    }

    public void enqueue(String realmId, String webhookId, LinkEvent event, long seq, long now) {
        OutboxEntity row = new OutboxEntity();
        row.setId(TimeOrderedId.at(now));
        row.setEventId(event.id());
        row.setSeq(seq);
        row.setRealmId(realmId);
        row.setWebhookId(webhookId);
        row.setCustomerId(event.orderingCustomerId());
        row.setPayload(event.toJson(seq));
        row.setStatus(OutboxStatus.PENDING);
        row.setCreatedAt(now);
        row.setNextAttemptAt(now);
        row.setAttempts(0);
        row.setClaimedUntil(0);
        em.persist(row);
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
     * returns the ones this claim won (another node may have won some), oldest first.
     * <p>
     * The receiver's oldest {@code WINDOW_PER_MESSAGE * max} pending messages are read in order (the first
     * {@code FIRST_LOOK_PER_MESSAGE * max} when they hold a full batch); a customer's messages among them are its
     * oldest pending ones, and those up to the first that may not go now (waiting for a retry, or claimed elsewhere)
     * are taken: no test per row (which made a look over a backlog of 10,000 take 100 ms on H2), and a customer with
     * a burst (a login, its code and a refresh) goes in one claim rather than one per claim
     * ({@link ClaimWindow#MAX_PER_CUSTOMER} at most, so that a customer with a long backlog leaves room for others).
     * Won messages behind one that another run won are given back. The run sends them in order and holds back the
     * rest of a customer whose message failed. Only when the window is full and holds fewer than half a batch that
     * may go (a customer with a long backlog stuck at the front) is every pending message tested, so no customer
     * waits behind another's backlog. The window starts at the receiver's {@link PendingFront}, which this updates.
     */
    public List<OutboxEntity> claim(String webhookId, String claimId, long now, long leaseUntil, int max,
                                    PendingFront front) {
        long from = front.from(now);
        Window read = window(webhookId, now, max, from, front);
        if (read.due().isEmpty() && from != PendingFront.FROM_THE_START) {
            // The run was started because a message is due: it may be one before the front.
            read = window(webhookId, now, max, PendingFront.FROM_THE_START, front);
        }
        List<Object[]> oldest = read.oldest();
        List<String> due = read.due();
        if (oldest.size() == windowRows(max) && due.size() < (max + 1) / 2) {
            due = em.createNamedQuery("CaDueOfReceiver", String.class)
                    .setParameter("webhookId", webhookId).setParameter("pending", OutboxStatus.PENDING)
                    .setParameter("now", now).setMaxResults(max).getResultList();
        }
        if (due.isEmpty()) {
            return List.of();
        }
        Query claim = em.createNamedQuery("CaClaim").setParameter("claim", claimId).setParameter("until", leaseUntil)
                .setParameter("pending", OutboxStatus.PENDING.name()).setParameter("now", now);
        IdList.bind(claim, "ids", due);
        NativeUpdates.of(claim, OutboxEntity.class).executeUpdate();
        Query won = em.createNamedQuery("CaClaimed", OutboxEntity.class).setParameter("claim", claimId)
                .setParameter("pending", OutboxStatus.PENDING);
        IdList.bind(won, "ids", due);
        @SuppressWarnings("unchecked")
        List<OutboxEntity> messages = won.getResultList();
        messages.forEach(em::detach);
        List<String> behindALoss = ClaimWindow.behindALoss(due, ClaimWindow.customersOf(oldest), messages);
        if (!behindALoss.isEmpty()) {
            release(behindALoss, claimId);
            messages = messages.stream().filter(message -> !behindALoss.contains(message.getId())).toList();
        }
        return messages;
    }

    /** The receiver's oldest pending messages from {@code from} on, and those of them this claim may take. */
    private Window window(String webhookId, long now, int max, long from, PendingFront front) {
        int window = windowRows(max);
        int firstLook = Math.min(window, FIRST_LOOK_PER_MESSAGE * max);
        List<Object[]> oldest = oldestPending(webhookId, firstLook, from);
        List<String> due = ClaimWindow.leadingDueOfEachCustomer(oldest, now, max);
        if (due.size() < max && oldest.size() == firstLook && firstLook < window) {
            oldest = oldestPending(webhookId, window, from);
            due = ClaimWindow.leadingDueOfEachCustomer(oldest, now, max);
        }
        front.read(from, oldest.isEmpty() ? null : ((Number) oldest.get(0)[4]).longValue(), now);
        if (from != PendingFront.FROM_THE_START && !due.isEmpty()) {
            due = withoutCustomersBehind(webhookId, oldest, due, from, front);
        }
        return new Window(oldest, due);
    }

    private record Window(List<Object[]> oldest, List<String> due) {
    }

    private static int windowRows(int max) {
        return Math.min(MAX_WINDOW, WINDOW_PER_MESSAGE * max);
    }

    /**
     * The window, read from the front, may have missed a customer's older message (committed late, or replayed):
     * that customer's messages wait for a window read from the start. A customer's next number is only taken once
     * its previous message has committed, so any older message of a customer in the window is visible here.
     */
    private List<String> withoutCustomersBehind(String webhookId, List<Object[]> window, List<String> due, long from,
                                                PendingFront front) {
        Map<String, String> customerOf = ClaimWindow.customersOf(window);
        Query behind = em.createNamedQuery("CaCustomersPendingBefore").setParameter("pending", OutboxStatus.PENDING)
                .setParameter("webhookId", webhookId).setParameter("from", from);
        IdList.bind(behind, "customers", due.stream().map(customerOf::get).distinct().toList());
        @SuppressWarnings("unchecked")
        Set<String> customersBehind = new HashSet<>(behind.getResultList());
        if (customersBehind.isEmpty()) {
            return due;
        }
        front.fellBehind();
        return due.stream().filter(id -> !customersBehind.contains(customerOf.get(id))).toList();
    }

    private List<Object[]> oldestPending(String webhookId, int rows, long from) {
        return em.createNamedQuery("CaPendingOfReceiver", Object[].class).setParameter("webhookId", webhookId)
                .setParameter("pending", OutboxStatus.PENDING).setParameter("from", from).setMaxResults(rows)
                .getResultList();
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

    public boolean deadLetter(String id, String claimId, String error) {
        return em.createNamedQuery("CaDeadLetter").setParameter("dead", OutboxStatus.DEAD)
                .setParameter("error", truncate(error)).setParameter("id", id).setParameter("claim", claimId)
                .setParameter("pending", OutboxStatus.PENDING).executeUpdate() == 1;
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

    /** A dead letter pending again, with a fresh maximum age; it keeps its place in its customer's order. */
    public boolean replay(String realmId, String id, long now) {
        return em.createNamedQuery("CaReplay").setParameter("pending", OutboxStatus.PENDING).setParameter("now", now)
                .setParameter("id", id).setParameter("realmId", realmId).setParameter("dead", OutboxStatus.DEAD)
                .executeUpdate() == 1;
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
