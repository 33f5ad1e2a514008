package io.github.customerauth.linking.delivery;

import io.github.customerauth.linking.store.Outbox;
import io.github.customerauth.linking.store.OutboxStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Webhook metrics on Keycloak's own metrics endpoint ({@code --metrics-enabled=true}): outbox backlog and dead
 * letters (gauges, read from the database, so the same on every node), deliveries, retries, dead-letterings and
 * the time from event to delivery (this node's).
 */
public final class LinkingMetrics {

    private final Counter deliveries;
    private final Counter retries;
    private final Counter deadLetters;
    private final Timer lag;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong dead = new AtomicLong();

    LinkingMetrics(MeterRegistry registry) {
        deliveries = Counter.builder("customer_auth_webhook_deliveries").description("Webhook messages delivered")
                .register(registry);
        retries = Counter.builder("customer_auth_webhook_retries").description("Failed webhook attempts to be retried")
                .register(registry);
        deadLetters = Counter.builder("customer_auth_webhook_dead_lettered")
                .description("Webhook messages given up after the maximum age").register(registry);
        lag = Timer.builder("customer_auth_webhook_delivery_lag").description("Time from event to webhook delivery")
                .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("customer_auth_webhook_outbox_pending", pending, AtomicLong::get)
                .description("Webhook messages waiting to be sent").register(registry);
        Gauge.builder("customer_auth_webhook_outbox_dead", dead, AtomicLong::get)
                .description("Dead-lettered webhook messages waiting for an admin").register(registry);
    }

    public static LinkingMetrics global() {
        return new LinkingMetrics(Metrics.globalRegistry);
    }

    void delivered(long lagMillis) {
        deliveries.increment();
        lag.record(Duration.ofMillis(Math.max(0, lagMillis)));
    }

    void retried() {
        retries.increment();
    }

    void deadLettered() {
        deadLetters.increment();
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
