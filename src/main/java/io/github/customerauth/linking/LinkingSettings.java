package io.github.customerauth.linking;

import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.Config;

/** Server options of the linking listener, read once at start (see the README's table). */
record LinkingSettings(long dispatchIntervalMillis, int batchSize, long requestTimeoutMillis, Backoff backoff,
                       long maxAgeMillis, long sweepIntervalMillis, long deliveredRetentionMillis) {

    static LinkingSettings from(Config.Scope config) {
        return new LinkingSettings(
                positive(config, "dispatch-interval-ms", 500),
                (int) positive(config, "batch-size", 100),
                positive(config, "request-timeout-ms", 5_000),
                new Backoff(positive(config, "retry-base-ms", 1_000), positive(config, "retry-max-ms", 300_000)),
                positive(config, "max-age-ms", 86_400_000),
                positive(config, "sweep-interval-ms", 30_000),
                positive(config, "delivered-retention-ms", 7L * 86_400_000));
    }

    Map<String, String> describe() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("dispatch-interval-ms", String.valueOf(dispatchIntervalMillis));
        info.put("batch-size", String.valueOf(batchSize));
        info.put("request-timeout-ms", String.valueOf(requestTimeoutMillis));
        info.put("retry-base-ms", String.valueOf(backoff.baseMillis()));
        info.put("retry-max-ms", String.valueOf(backoff.maxMillis()));
        info.put("max-age-ms", String.valueOf(maxAgeMillis));
        info.put("sweep-interval-ms", String.valueOf(sweepIntervalMillis));
        info.put("delivered-retention-ms", String.valueOf(deliveredRetentionMillis));
        return info;
    }

    private static long positive(Config.Scope config, String option, long fallback) {
        String raw = config.get(option);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw.strip());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--spi-events-listener--customer-linking--" + option
                + " must be a positive number, not '" + raw + "'");
    }
}
