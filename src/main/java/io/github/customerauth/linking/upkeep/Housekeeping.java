package io.github.customerauth.linking.upkeep;

import io.github.customerauth.linking.delivery.LinkingMetrics;
import io.github.customerauth.linking.delivery.LinkingSettings;
import io.github.customerauth.linking.store.DatabaseClock;
import io.github.customerauth.linking.store.LateMessages;
import io.github.customerauth.linking.store.LinkStore;
import io.github.customerauth.linking.store.Outbox;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Background upkeep of linking, one pass at a time on an executor of its own: the session sweep, retention of
 * delivered and dead-lettered messages and of ended links (each at most {@code sweep-interval-ms} apart), and the
 * outbox gauges (every five seconds, or less often while counting a large backlog takes long: at most a fiftieth
 * of the database's time and every five minutes; a million pending messages took 0.7-1.3 s to count on PostgreSQL
 * here, reading the whole table past the database's buffers, which a claim then reads back), and the node's clock
 * against the database's every minute ({@link DatabaseClock}).
 */
public final class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);
    private static final long GAUGE_MILLIS = 5_000;
    private static final int GAUGE_SHARE = 50;
    private static final long MAX_GAUGE_MILLIS = 300_000;
    private static final long CLOCK_CHECK_MILLIS = 60_000;

    private final KeycloakSessionFactory factory;
    private final LinkingSettings settings;
    private final LinkingMetrics metrics;
    private final SessionSweep sweep;
    private final AtomicBoolean running = new AtomicBoolean();
    private final ExecutorService executor;
    private volatile boolean stopped;
    private long nextSweep;
    private long nextGauges;
    private long nextClockCheck;
    private volatile long lastGaugeMillis;

    public Housekeeping(KeycloakSessionFactory factory, LinkingSettings settings, LinkingMetrics metrics,
                        SessionSweep sweep, ExecutorService executor) {
        this.factory = factory;
        this.executor = executor;
        this.settings = settings;
        this.metrics = metrics;
        this.sweep = sweep;
    }

    /**
     * Starts a pass on housekeeping's executor when the sweep or the gauges are due. Run by Keycloak's timer, whose
     * one thread serves every scheduled task of the node: never throws, never waits.
     */
    public void startIfDue() {
        try {
            startIfDue(System.currentTimeMillis());
        } catch (Throwable t) {
            LOG.errorf(t, "Customer linking housekeeping could not start; trying again at the next tick");
        }
    }

    /** No pass starts after this, nor a step of a pass under way: a node shutting down sweeps nothing. */
    public void stop() {
        stopped = true;
    }

    private void startIfDue(long now) {
        if (stopped) {
            return;
        }
        boolean sweepDue = now >= nextSweep;
        boolean gaugesDue = now >= nextGauges;
        boolean clockDue = now >= nextClockCheck;
        if ((!sweepDue && !gaugesDue && !clockDue) || !running.compareAndSet(false, true)) {
            return;
        }
        if (clockDue) {
            // Checked more often while off (or not yet known): the node takes the slower way meanwhile.
            nextClockCheck = now + (DatabaseClock.trusted() ? CLOCK_CHECK_MILLIS : GAUGE_MILLIS);
        }
        if (gaugesDue) {
            nextGauges = now + Math.min(MAX_GAUGE_MILLIS, Math.max(GAUGE_MILLIS, GAUGE_SHARE * lastGaugeMillis));
        }
        if (sweepDue) {
            nextSweep = now + settings.get(LinkingSettings.SWEEP_INTERVAL);
        }
        try {
            executor.execute(() -> pass(sweepDue, gaugesDue, clockDue));
        } catch (RuntimeException e) {
            running.set(false);
            throw e;
        }
    }

    private void pass(boolean sweepDue, boolean gaugesDue, boolean clockDue) {
        try {
            if (clockDue) {
                step("clock check", () -> KeycloakModelUtils.runJobInTransaction(factory, DatabaseClock::check));
            }
            if (sweepDue) {
                long started = System.nanoTime();
                if (step("session sweep", sweep)) {
                    metrics.swept(System.nanoTime() - started);
                }
                step("retention", () -> purge(System.currentTimeMillis()));
            }
            if (gaugesDue) {
                long started = System.nanoTime();
                step("gauges", () -> metrics.refresh(factory));
                lastGaugeMillis = (System.nanoTime() - started) / 1_000_000;
            }
        } finally {
            running.set(false);
        }
    }

    /**
     * Each step on its own: a sweep that fails must not stop retention, nor retention the gauges.
     *
     * @return whether the step ran to its end
     */
    private boolean step(String name, Runnable step) {
        if (stopped) {
            return false;
        }
        try {
            step.run();
            return true;
        } catch (Throwable t) {
            LOG.errorf(t, "Customer linking housekeeping (%s) failed; trying again at the next pass", name);
            return false;
        }
    }

    private void purge(long now) {
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            Outbox outbox = Outbox.of(session);
            int delivered = outbox.purgeDeliveredBefore(now - settings.get(LinkingSettings.DELIVERED_RETENTION));
            int dead = outbox.purgeDeadBefore(now - settings.get(LinkingSettings.DEAD_RETENTION));
            int links = LinkStore.of(session).purgeEndedBefore(now - settings.get(LinkingSettings.ENDED_LINK_RETENTION));
            LateMessages.purge(session);
            if (delivered + dead + links > 0) {
                LOG.debugf("Retention: deleted %d delivered messages, %d dead letters and %d links of ended sessions",
                        delivered, dead, links);
            }
        });
    }
}
