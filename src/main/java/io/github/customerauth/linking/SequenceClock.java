package io.github.customerauth.linking;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Orders outbox messages: microseconds of wall-clock time, strictly increasing on this node. Across nodes the order
 * is that of the nodes' clocks, which is what "in order per customer" can mean for events from different nodes.
 */
final class SequenceClock {

    private final AtomicLong last = new AtomicLong();

    long next() {
        long candidate = System.currentTimeMillis() * 1000;
        return last.updateAndGet(previous -> Math.max(previous + 1, candidate));
    }
}
