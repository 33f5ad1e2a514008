package io.github.customerauth.linking.store;

/**
 * Where one receiver's pending messages start, as far as this node's last claim saw: the claim's window is read from
 * there on. Every delivered message leaves a dead entry at the front of the claim index's pending range until vacuum
 * removes it, so a window read from the start walks past every message delivered since the last vacuum (at a
 * million pending, a hundred thousand and more); read from the front, it walks past those of the last claim.
 * <p>
 * A message committed after the last claim's read can have an older number than the front ({@code seq} is taken
 * inside the transaction, from the node's clock in microseconds): the front is kept {@link #LATE_COMMIT_MILLIS}
 * before that read (Keycloak's default transaction timeout), so that such a message is in the next window. One that
 * commits later still, or comes from a node whose clock is off, or a replayed dead letter, can fall before the
 * front: it is marked ({@link LateMessages}), and while its receiver has a mark a claim leaves the customers with a
 * message behind the front alone ({@link OutboxClaim}). The window is also read from the start every
 * {@link #FULL_LOOK_MILLIS}, and whenever this node's clock has gone back. Not thread-safe: used under the
 * receiver's claim lock.
 */
public final class PendingFront {

    static final long LATE_COMMIT_MILLIS = 60_000;
    static final long FULL_LOOK_MILLIS = 10_000;
    static final long FROM_THE_START = Long.MIN_VALUE;

    private long from = FROM_THE_START;
    private long lastFullLook;
    private boolean looked;

    /** The lowest {@code seq} the window read at {@code now} needs to see. */
    long from(long now) {
        boolean fullLookDue = !looked || now - lastFullLook >= FULL_LOOK_MILLIS || now < lastFullLook;
        return fullLookDue ? FROM_THE_START : from;
    }

    /**
     * The window read at {@code now} from {@code readFrom} found {@code firstSeq} first, or nothing when null; taken
     * before the read's transaction began, {@code now} errs on the safe side.
     */
    void read(long readFrom, Long firstSeq, long now) {
        if (readFrom == FROM_THE_START) {
            looked = true;
            lastFullLook = now;
        }
        long notYetCommitted = (now - LATE_COMMIT_MILLIS) * 1000;
        from = firstSeq == null ? notYetCommitted : Math.min(firstSeq, notYetCommitted);
    }

    /** A customer had a pending message before the front: the next window is read from the start. */
    void fellBehind() {
        looked = false;
    }
}
