package io.github.customerauth.linking.delivery;

import io.github.customerauth.linking.store.DatabaseClock;
import io.github.customerauth.linking.store.Outbox;
import io.github.customerauth.linking.store.OutboxStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Linking's metrics on Keycloak's own metrics endpoint ({@code --metrics-enabled=true}): outbox backlog and dead
 * letters (gauges read from the database, so the same on every node: take their {@code max}), and this node's
 * deliveries, retries, dead-letterings, open breakers and sweep passes. Times are histograms with fixed buckets, not
 * percentiles, so that a dashboard can add the buckets of every node before it takes a quantile
 * ({@code docs/monitoring/}).
 */
public final class LinkingMetrics {

    private static LinkingMetrics global;

    private final Counter deliveries;
    private final Counter retries;
    private final Counter deadLetters;
    private final Timer lag;
    private final Timer sweepPasses;
    private final Counter sweepCheckFailures;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong dead = new AtomicLong();
    /** 0 until this node's first pass has ended: a node that restarts does not hide sweeps that fail everywhere. */
    private final AtomicLong lastSweepSeconds = new AtomicLong();
    private final MeterRegistry registry;

    LinkingMetrics(MeterRegistry registry) {
        this.registry = registry;
        deliveries = Counter.builder("customer_auth_webhook_deliveries").description("Webhook messages delivered")
                .register(registry);
        retries = Counter.builder("customer_auth_webhook_retries").description("Failed webhook attempts to be retried")
                .register(registry);
        deadLetters = Counter.builder("customer_auth_webhook_dead_lettered")
                .description("Webhook messages given up after the maximum age").register(registry);
        lag = Timer.builder("customer_auth_webhook_delivery_lag").description("Time from event to webhook delivery")
                .serviceLevelObjectives(seconds(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600))
                .register(registry);
        sweepPasses = Timer.builder("customer_auth_sweep_duration").description("Session sweep passes that ended")
                .serviceLevelObjectives(seconds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)).register(registry);
        Gauge.builder("customer_auth_sweep_last_success_timestamp_seconds", lastSweepSeconds, AtomicLong::get)
                .description("When this node last ended a session sweep pass (0 before its first)").register(registry);
        sweepCheckFailures = Counter.builder("customer_auth_sweep_check_failures")
                .description("Sessions the sweep could not look up (checked again at the next pass)")
                .register(registry);
        Gauge.builder("customer_auth_webhook_outbox_pending", pending, AtomicLong::get)
                .description("Webhook messages waiting to be sent").register(registry);
        Gauge.builder("customer_auth_webhook_outbox_dead", dead, AtomicLong::get)
                .description("Dead-lettered webhook messages waiting for an admin").register(registry);
        Gauge.builder("customer_auth_database_clock_offset_seconds", DatabaseClock::offsetSeconds)
                .description("The database's clock minus this node's, at the last check (NaN before the first)")
                .register(registry);
    }

    /** The node's one set of metrics on Keycloak's registry (a gauge registered twice would keep its first value). */
    public static synchronized LinkingMetrics global() {
        if (global == null) {
            global = new LinkingMetrics(Metrics.globalRegistry);
        }
        return global;
    }

    void delivered(long lagMillis) {
        deliveries.increment();
        lag.record(Duration.ofMillis(Math.max(0, lagMillis)));
    }

    /** This node's receivers left alone after failures ({@link ReceiverState#leftAlone}), counted when read. */
    void watchBreakers(LongSupplier receiversLeftAlone) {
        Gauge.builder("customer_auth_webhook_breakers_open", receiversLeftAlone, LongSupplier::getAsLong)
                .description("Receivers this node leaves alone after failures in a row (breaker open or probing)")
                .strongReference(true).register(registry);
    }

    public void swept(long nanos) {
        sweepPasses.record(Duration.ofNanos(nanos));
        lastSweepSeconds.set(System.currentTimeMillis() / 1000);
    }

    public void sessionCheckFailed() {
        sweepCheckFailures.increment();
    }

    void retried() {
        retries.increment();
    }

    void deadLettered() {
        deadLetters.increment();
    }

    private static Duration[] seconds(double... values) {
        Duration[] buckets = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            buckets[i] = Duration.ofMillis(Math.round(values[i] * 1000));
        }
        return buckets;
    }

    /** Reads the gauges from the database (housekeeping calls it every few seconds). */
    public void refresh(KeycloakSessionFactory factory) {
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            Outbox outbox = Outbox.of(session);
            pending.set(outbox.count(OutboxStatus.PENDING));
            dead.set(outbox.count(OutboxStatus.DEAD));
        });
    }
}
