package io.github.customerauth.linking.delivery;

import io.github.customerauth.linking.store.PendingFront;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What this node knows of one receiver: how many delivery runs it has in flight (one after a failure or a slow
 * answer), and a circuit breaker. After {@code breaker-failures} failed deliveries in a row the receiver is left
 * alone for {@code breaker-open-ms}; then one run with one message probes it: success closes the breaker, failure
 * opens it again for twice as long (at most five minutes), and a probe that got no answer is tried again.
 */
final class ReceiverState {

    private static final long MAX_OPEN_MILLIS = 300_000;
    /**
     * An open breaker counts as a receiver left alone (a metric) this long after its last failure: a failing receiver
     * with messages is probed at least every {@link #MAX_OPEN_MILLIS}; one without any is not failing anyone.
     */
    private static final long STALE_OPEN_MILLIS = 2 * MAX_OPEN_MILLIS;

    private enum Breaker { CLOSED, OPEN, PROBING }

    /** Held while one of this node's runs claims the receiver's messages (not the monitor: the tick must not wait). */
    private final ReentrantLock claims = new ReentrantLock();
    private final PendingFront pendingFront = new PendingFront();
    private final int failureThreshold;
    private final long baseOpenMillis;
    private Breaker breaker = Breaker.CLOSED;
    private int runs;
    private int failuresInARow;
    private boolean slow;
    private long openUntil;
    private long openFor;
    private long lastFailure;
    private boolean moreWaiting;

    ReceiverState(int failureThreshold, long baseOpenMillis) {
        this.failureThreshold = failureThreshold;
        this.baseOpenMillis = baseOpenMillis;
    }

    /**
     * Whether {@link #startRun} would start one now: a receiver with no free run needs no look for due messages.
     * Open, it may have one probe once the wait is over; a receiver that just failed, or answers slowly, gets one
     * run, not several threads waiting on it at once.
     */
    synchronized boolean mayStartRun(long now, int maxRuns) {
        if (breaker == Breaker.OPEN) {
            return now >= openUntil && runs == 0;
        }
        return breaker == Breaker.CLOSED && runs < (failuresInARow > 0 || slow ? 1 : maxRuns);
    }

    /**
     * Starts a run if the receiver may be called now and has fewer than {@code maxRuns} in flight.
     *
     * @return the messages the run may claim: 0 (no run), 1 for a probe, else {@code batchSize}
     */
    synchronized int startRun(long now, int maxRuns, int batchSize) {
        if (!mayStartRun(now, maxRuns)) {
            return 0;
        }
        runs++;
        if (breaker == Breaker.OPEN) {
            breaker = Breaker.PROBING;
            return 1;
        }
        return batchSize;
    }

    /** A probe that ended without an answer (nothing to claim, a target problem) lets the next tick probe again. */
    synchronized void runEnded() {
        runs--;
        if (breaker == Breaker.PROBING) {
            breaker = Breaker.OPEN;
        }
    }

    /**
     * Whether this node's last run of the receiver ended with its time used up and messages left (a full batch
     * delivered, or claimed messages given back unsent): a backlog that the next tick can start on without looking
     * for due messages (in a backlog of a million, a look walks
     * past every message delivered since the last vacuum).
     */
    synchronized boolean moreWaiting() {
        return moreWaiting;
    }

    synchronized void moreWaiting(boolean more) {
        moreWaiting = more;
    }

    /** Whether the breaker is open or probing after a failure within {@link #STALE_OPEN_MILLIS} (a metric). */
    synchronized boolean leftAlone(long now) {
        return breaker != Breaker.CLOSED && now - lastFailure < STALE_OPEN_MILLIS;
    }

    /** Whether a run may send its next message (false once the breaker has opened). */
    synchronized boolean maySend() {
        return breaker != Breaker.OPEN;
    }

    /** A 2xx; one that took more than half the deadline marks the receiver slow (one run at a time, like a failure). */
    synchronized void succeeded(boolean slow) {
        breaker = Breaker.CLOSED;
        failuresInARow = 0;
        openFor = 0;
        this.slow = slow;
    }

    synchronized void failed(long now) {
        failuresInARow++;
        lastFailure = now;
        if (breaker == Breaker.PROBING || failuresInARow >= failureThreshold) {
            openFor = openFor == 0 ? baseOpenMillis : Math.min(MAX_OPEN_MILLIS, openFor * 2);
            openUntil = now + openFor;
            breaker = Breaker.OPEN;
        }
    }

    ReentrantLock claims() {
        return claims;
    }

    /** Where the receiver's window is read from; only under {@link #claims()}. */
    PendingFront pendingFront() {
        return pendingFront;
    }
}
