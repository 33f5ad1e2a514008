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

    /** Null before the first check. */
    private static volatile Long offsetMillis;

    private DatabaseClock() {
    }

    /** Compares this node's clock with the database's, in the session's transaction (its first statement). */
    public static void check(KeycloakSession session) {
        long before = System.currentTimeMillis();
        Instant database = session.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createQuery("select instant", Instant.class).getSingleResult();
        long after = System.currentTimeMillis();
        record(database.toEpochMilli() - (before + after) / 2, after - before);
    }

    static void record(long offset, long roundTrip) {
        if (roundTrip > MAX_ROUND_TRIP_MILLIS) {
            return;
        }
        boolean wasTrusted = trusted();
        boolean first = offsetMillis == null;
        offsetMillis = offset;
        if (!trusted() && (wasTrusted || first)) {
            LOG.warnf("This node's clock is %d ms %s the database's (more than %d ms): until it is set right (NTP),"
                    + " the node marks every webhook message it writes as late, and each of its claims checks its"
                    + " customers' order in the whole backlog", Math.abs(offset), offset < 0 ? "ahead of" : "behind",
                    TOLERANCE_MILLIS);
        } else if (trusted() && !wasTrusted && !first) {
            LOG.infof("This node's clock is back within %d ms of the database's", TOLERANCE_MILLIS);
        }
    }

    public static boolean trusted() {
        Long offset = offsetMillis;
        return offset != null && Math.abs(offset) <= TOLERANCE_MILLIS;
    }

    /** The database's clock minus this node's at the last check, in seconds; NaN before the first. */
    public static double offsetSeconds() {
        Long offset = offsetMillis;
        return offset == null ? Double.NaN : offset / 1000.0;
    }

    /** Forgets the checks (tests). */
    static void reset() {
        offsetMillis = null;
    }
}
