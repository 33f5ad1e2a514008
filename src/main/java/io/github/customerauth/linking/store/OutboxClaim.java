package io.github.customerauth.linking.store;

import io.github.customerauth.support.Tables;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One claim of a receiver's due messages, in the delivery run's transaction.
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
final class OutboxClaim {

    private static final int WINDOW_PER_MESSAGE = 10;
    /**
     * The window is read this short first: in a backlog it holds a full batch, and the rest could not change what is
     * taken ({@link ClaimWindow#leadingDueOfEachCustomer} stops at the batch). Each row read costs a visit to its page.
     */
    private static final int FIRST_LOOK_PER_MESSAGE = 2;
    private static final int MAX_WINDOW = 5_000;

    private final EntityManager em;
    private final Outbox outbox;

    OutboxClaim(EntityManager em, Outbox outbox) {
        this.em = em;
        this.outbox = outbox;
    }

    List<OutboxEntity> claim(String webhookId, String claimId, long now, long leaseUntil, int max,
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
        List<OutboxEntity> messages = Tables.onPostgres(em) ? claimReturningWon(due, claimId, now, leaseUntil)
                : claimThenReadWon(due, claimId, now, leaseUntil);
        messages.forEach(em::detach);
        List<String> behindALoss = ClaimWindow.behindALoss(due, ClaimWindow.customersOf(oldest), messages);
        if (!behindALoss.isEmpty()) {
            outbox.release(behindALoss, claimId);
            messages = messages.stream().filter(message -> !behindALoss.contains(message.getId())).toList();
        }
        return messages;
    }

    /** PostgreSQL: the claim's update returns the rows it won, which saves a primary-key look per row. */
    private List<OutboxEntity> claimReturningWon(List<String> due, String claimId, long now, long leaseUntil) {
        Query claim = em.createNamedQuery("CaClaimReturning").setParameter("claim", claimId)
                .setParameter("until", leaseUntil).setParameter("pending", OutboxStatus.PENDING.name())
                .setParameter("now", now);
        IdList.bind(claim, "ids", due);
        @SuppressWarnings("unchecked")
        List<OutboxEntity> won = NativeUpdates.of(claim, OutboxEntity.class).getResultList();
        return won.stream().sorted(Comparator.comparingLong(OutboxEntity::getSeq).thenComparing(OutboxEntity::getId))
                .toList();
    }

    private List<OutboxEntity> claimThenReadWon(List<String> due, String claimId, long now, long leaseUntil) {
        Query claim = em.createNamedQuery("CaClaim").setParameter("claim", claimId).setParameter("until", leaseUntil)
                .setParameter("pending", OutboxStatus.PENDING.name()).setParameter("now", now);
        IdList.bind(claim, "ids", due);
        NativeUpdates.of(claim, OutboxEntity.class).executeUpdate();
        Query won = em.createNamedQuery("CaClaimed").setParameter("claim", claimId)
                .setParameter("pending", OutboxStatus.PENDING.name());
        IdList.bind(won, "ids", due);
        @SuppressWarnings("unchecked")
        List<OutboxEntity> messages = NativeUpdates.of(won, OutboxEntity.class).getResultList();
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
        // After the window's read: a late message of a customer in the window committed before that customer's next
        // number was taken, so its mark is visible to this later read.
        if (from != PendingFront.FROM_THE_START && !due.isEmpty()
                && LateMessages.mayBeBehind(em, webhookId, from, now)) {
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
     * The window, read from the front, may have missed a customer's older message (marked late, or written while a
     * clock was off): that customer's messages wait for a window read from the start. A customer's next number is
     * only taken once its previous message has committed, so any older message of a customer in the window is
     * visible here.
     */
    private List<String> withoutCustomersBehind(String webhookId, List<Object[]> window, List<String> due, long from,
                                                PendingFront front) {
        Map<String, String> customerOf = ClaimWindow.customersOf(window);
        Query behind = em.createNamedQuery("CaCustomersPendingBefore")
                .setParameter("pending", OutboxStatus.PENDING.name()).setParameter("webhookId", webhookId)
                .setParameter("from", from);
        IdList.bind(behind, "customers", due.stream().map(customerOf::get).distinct().toList());
        @SuppressWarnings("unchecked")
        Set<String> customersBehind = new HashSet<>(NativeUpdates.of(behind, OutboxEntity.class).getResultList());
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
}
