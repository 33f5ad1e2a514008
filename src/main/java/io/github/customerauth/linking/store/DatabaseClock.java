package io.github.customerauth.linking.store;

import java.time.Instant;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/**
 * How far this node's clock is from the database's, checked by housekeeping about once a minute. Messages are
 * numbered by their writer's clock and claims read from a front set by the claimer's: {@link LateMessages} can leave
 * a message unmarked only while the node's clock is known to be within {@link #TOLERANCE_MILLIS} of the database's.
 * Until the first check, and whenever a check finds it off, the node marks every message it writes and every claim
 * it makes looks for customers behind its front, as all did before the marks.
 */
public final class DatabaseClock {

    static final long TOLERANCE_MILLIS = 10_000;
    /** An answer slower than this says too little about when the database read its clock; the check is skipped. */
    static final long MAX_ROUND_TRIP_MILLIS = 2_000;
    private static final Logger LOG = Logger.getLogger(DatabaseClock.class);

    /** How long a check is trusted: a clock can be set wrong between checks. */
    static final long CHECK_VALID_MILLIS = 180_000;
    /** How far the wall clock may have moved against the monotonic clock since the check (a step, a resumed VM). */
    static final long MAX_STEP_MILLIS = 1_000;

    /** The last check; null before the first. */
    private static volatile Check last;

    private record Check(long offsetMillis, long wallMillis, long nanos) {
    }

    private DatabaseClock() {
    }

    /** Compares this node's clock with the database's, in the session's transaction (its first statement). */
    public static void check(KeycloakSession session) {
        long before = System.currentTimeMillis();
        Instant database = session.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createQuery("select instant", Instant.class).getSingleResult();
        long after = System.currentTimeMillis();
        record(database.toEpochMilli() - (before + after) / 2, after - before, after, System.nanoTime());
    }

    static void record(long offset, long roundTrip, long wallMillis, long nanos) {
        if (roundTrip > MAX_ROUND_TRIP_MILLIS) {
            return;
        }
        // Logged on what the checks found, not on trust: a check that merely grew old says nothing of the offset.
        Check previous = last;
        boolean wasOff = previous != null && off(previous.offsetMillis());
        last = new Check(offset, wallMillis, nanos);
        if (off(offset) && !wasOff) {
            LOG.warnf("This node's clock is %d ms %s the database's (more than %d ms): until it is set right (NTP),"
                    + " the node marks every webhook message it writes as late, and each of its claims checks its"
                    + " customers' order in the whole backlog", Math.abs(offset), offset < 0 ? "ahead of" : "behind",
                    TOLERANCE_MILLIS);
        } else if (!off(offset) && wasOff) {
            LOG.infof("This node's clock is back within %d ms of the database's", TOLERANCE_MILLIS);
        }
    }

    private static boolean off(long offsetMillis) {
        return Math.abs(offsetMillis) > TOLERANCE_MILLIS;
    }

    /**
     * Whether this node's clock is known to be within the tolerance now: the last check found it so, less than
     * {@link #CHECK_VALID_MILLIS} ago, and the clock has not been stepped since (wall and monotonic time agree).
     */
    public static boolean trusted() {
        return trustedAt(System.currentTimeMillis(), System.nanoTime());
    }

    static boolean trustedAt(long wallMillis, long nanos) {
        Check check = last;
        if (check == null || off(check.offsetMillis())) {
            return false;
        }
        long elapsed = (nanos - check.nanos()) / 1_000_000;
        return elapsed <= CHECK_VALID_MILLIS && Math.abs(wallMillis - check.wallMillis() - elapsed) <= MAX_STEP_MILLIS;
    }

    /** The database's clock minus this node's at the last check, in seconds; NaN before the first. */
    public static double offsetSeconds() {
        Check check = last;
        return check == null ? Double.NaN : check.offsetMillis() / 1000.0;
    }

    /** Forgets the checks (tests). */
    static void reset() {
        last = null;
    }
}
