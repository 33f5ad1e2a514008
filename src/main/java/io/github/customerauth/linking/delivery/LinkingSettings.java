package io.github.customerauth.linking.delivery;

import io.github.customerauth.support.ServerOption;
import io.github.customerauth.support.ServerSettings;
import java.util.List;
import java.util.Map;
import org.keycloak.Config;

/** Server options of the linking listener and its delivery, declared once and read once at start. */
public record LinkingSettings(ServerSettings values) {

    static final String CLI_PREFIX = "--spi-events-listener--customer-linking--";
    public static final ServerOption SIGHTING_FLUSH_INTERVAL = new ServerOption("sighting-flush-interval-ms", 5_000, 100,
            "How long a node adds up the sightings that no receiver wants a message of (refreshes, unless a receiver"
            + " lists REFRESH_TOKEN) before it writes them to their links; a node that dies loses the counts and last"
            + " sightings not written yet (about that much), never a message.");
    public static final ServerOption DISPATCH_INTERVAL = new ServerOption("dispatch-interval-ms", 500, 10,
            "How often each node looks for due webhook messages.");
    static final ServerOption BATCH_SIZE = new ServerOption("batch-size", 100, 1,
            "Messages one delivery run claims at a time for one receiver and sends one after another; what it has"
            + " not sent after a second it gives back.");
    static final ServerOption REQUEST_TIMEOUT = new ServerOption("request-timeout-ms", 5_000, 100,
            "Total time one delivery may take, connecting and reading the answer included; then it is aborted.");
    static final ServerOption RECEIVER_CONCURRENCY = new ServerOption("receiver-concurrency", 4, 1,
            "Delivery runs one node keeps in flight for one receiver.");
    static final ServerOption MAX_CONCURRENT_RUNS = new ServerOption("max-concurrent-runs", 32, 1,
            "Delivery runs one node keeps in flight for all receivers together.");
    static final ServerOption BREAKER_FAILURES = new ServerOption("breaker-failures", 3, 1,
            "Failed deliveries in a row after which a receiver is not called for a while.");
    static final ServerOption BREAKER_OPEN = new ServerOption("breaker-open-ms", 10_000, 1,
            "How long a failing receiver is left alone before one message probes it; doubles while probes fail.");
    static final ServerOption RETRY_BASE = new ServerOption("retry-base-ms", 1_000, 1,
            "First retry delay of a message; doubles per attempt, with jitter.");
    static final ServerOption RETRY_MAX = new ServerOption("retry-max-ms", 300_000, 1, "Longest retry delay.");
    static final ServerOption MAX_AGE = new ServerOption("max-age-ms", 86_400_000, 1,
            "Age after which an undelivered message is dead-lettered.");
    public static final ServerOption SWEEP_INTERVAL = new ServerOption("sweep-interval-ms", 30_000, 100,
            "How often housekeeping runs: sessions that ended without an event, retention.");
    public static final ServerOption EXPIRY_EVENT_GRACE = new ServerOption("expiry-event-grace-ms", 60_000, 0,
            "Without persistent user sessions, how long the sweep leaves a timed-out session to Keycloak's own"
            + " USER_SESSION_DELETED event before it ends the session's links itself.");
    public static final ServerOption DELIVERED_RETENTION = new ServerOption("delivered-retention-ms", 7L * 86_400_000, 1,
            "How long delivered messages are kept.");
    public static final ServerOption DEAD_RETENTION = new ServerOption("dead-letter-retention-ms", 30L * 86_400_000, 1,
            "How long dead-lettered messages are kept for replay.");
    public static final ServerOption ENDED_LINK_RETENTION = new ServerOption("ended-link-retention-ms", 90L * 86_400_000, 1,
            "How long links of ended sessions are kept.");

    public static final List<ServerOption> OPTIONS = List.of(SIGHTING_FLUSH_INTERVAL, DISPATCH_INTERVAL, BATCH_SIZE, REQUEST_TIMEOUT,
            RECEIVER_CONCURRENCY, MAX_CONCURRENT_RUNS, BREAKER_FAILURES, BREAKER_OPEN, RETRY_BASE, RETRY_MAX, MAX_AGE,
            SWEEP_INTERVAL, EXPIRY_EVENT_GRACE, DELIVERED_RETENTION, DEAD_RETENTION, ENDED_LINK_RETENTION);

    public static LinkingSettings from(Config.Scope config) {
        return new LinkingSettings(ServerSettings.read(config, CLI_PREFIX, OPTIONS));
    }

    public long get(ServerOption option) {
        return values.get(option);
    }

    int getInt(ServerOption option) {
        return values.getInt(option);
    }

    Backoff backoff() {
        return new Backoff(get(RETRY_BASE), get(RETRY_MAX));
    }

    public Map<String, String> describe() {
        return values.describe();
    }
}
