package io.github.customerauth.linking;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Background upkeep of linking, one pass at a time on an executor of its own: the session sweep, retention of
 * delivered and dead-lettered messages and of ended links (each at most {@code sweep-interval-ms} apart), and the
 * outbox gauges (every five seconds).
 */
final class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);
    private static final long GAUGE_MILLIS = 5_000;

    private final KeycloakSessionFactory factory;
    private final LinkingSettings settings;
    private final LinkingMetrics metrics;
    private final SessionSweep sweep;
    private final AtomicBoolean running = new AtomicBoolean();
    private ExecutorService executor;
    private long nextSweep;
    private long nextGauges;

    Housekeeping(KeycloakSessionFactory factory, LinkingSettings settings, LinkingMetrics metrics, SessionSweep sweep) {
        this.factory = factory;
        this.settings = settings;
        this.metrics = metrics;
        this.sweep = sweep;
    }

    void startIfDue(long now) {
        boolean sweepDue = now >= nextSweep;
        if ((!sweepDue && now < nextGauges) || !running.compareAndSet(false, true)) {
            return;
        }
        nextGauges = now + GAUGE_MILLIS;
        if (sweepDue) {
            nextSweep = now + settings.get(LinkingSettings.SWEEP_INTERVAL);
        }
        try {
            executor().execute(() -> pass(sweepDue));
        } catch (RuntimeException e) {
            running.set(false);
            throw e;
        }
    }

    private void pass(boolean sweepDue) {
        try {
            if (sweepDue) {
                step("session sweep", sweep);
                step("retention", () -> purge(System.currentTimeMillis()));
            }
            step("gauges", () -> metrics.refresh(factory));
        } finally {
            running.set(false);
        }
    }

    /** Each step on its own: a sweep that fails must not stop retention, nor retention the gauges. */
    private static void step(String name, Runnable step) {
        try {
            step.run();
        } catch (Throwable t) {
            LOG.errorf(t, "Customer linking housekeeping (%s) failed; trying again at the next pass", name);
        }
    }

    private void purge(long now) {
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            Outbox outbox = Outbox.of(session);
            int delivered = outbox.purgeDeliveredBefore(now - settings.get(LinkingSettings.DELIVERED_RETENTION));
            int dead = outbox.purgeDeadBefore(now - settings.get(LinkingSettings.DEAD_RETENTION));
            int links = LinkStore.of(session).purgeEndedBefore(now - settings.get(LinkingSettings.ENDED_LINK_RETENTION));
            if (delivered + dead + links > 0) {
                LOG.debugf("Retention: deleted %d delivered messages, %d dead letters and %d links of ended sessions",
                        delivered, dead, links);
            }
        });
    }

    private ExecutorService executor() {
        if (executor == null) {
            executor = KeycloakModelUtils.runJobInTransactionWithResult(factory, session ->
                    session.getProvider(ExecutorsProvider.class).getExecutor("linking-housekeeping"));
        }
        return executor;
    }
}
