package io.github.customerauth.partner;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-partner token buckets on this node: {@code limit} requests a second, bursts up to one second's worth. A
 * cluster of N nodes lets through up to N times the limit, which is documented.
 */
final class RequestLimiter {

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    boolean tryAcquire(String partnerKey, int limit, long nowNanos) {
        if (limit <= 0) {
            return true;
        }
        return buckets.computeIfAbsent(partnerKey, k -> new Bucket(limit, nowNanos)).tryAcquire(limit, nowNanos);
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(int limit, long now) {
            this.tokens = limit;
            this.last = now;
        }

        synchronized boolean tryAcquire(int limit, long now) {
            tokens = Math.min(limit, tokens + (now - last) / 1e9 * limit);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
