package io.github.customerauth.linking.delivery;

import java.util.function.DoubleSupplier;

/** Exponential backoff with "equal jitter": half the step fixed, half random, capped. */
record Backoff(long baseMillis, long maxMillis) {

    long delayMillis(int attempt, DoubleSupplier random) {
        double step = Math.min(maxMillis, baseMillis * Math.pow(2, Math.max(0, attempt - 1)));
        return (long) (step / 2 + random.getAsDouble() * step / 2);
    }
}
