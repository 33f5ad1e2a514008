package io.github.customerauth.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the measured rounds of one grant and mode add up to: requests, seconds and the server's CPU time, by kind of
 * thread. CPU per request is steadier than requests per second on this machine: it does not move with the load
 * generator's share of the other core.
 */
final class ModeTotals {

    private double requests;
    private double seconds;
    private double cpuNanos;
    private final Map<String, Long> byKind = new TreeMap<>();

    void add(Load.Result round, ServerThreads.Used used) {
        requests += round.requests();
        seconds += round.seconds();
        cpuNanos += used.processNanos();
        used.byKind().forEach((kind, nanos) -> byKind.merge(kind, nanos, Long::sum));
    }

    double perSecond() {
        return requests / seconds;
    }

    Map<String, Long> byKind() {
        return byKind;
    }

    double millis(String kind) {
        return byKind.getOrDefault(kind, 0L) / requests / 1e6;
    }

    /** The JIT is left out: on two cores it is still compiling minutes into a run, a cost of the run, not of a request. */
    double cpuMillisWithoutJit() {
        return (cpuNanos - byKind.getOrDefault(ServerThreads.JIT, 0L)) / requests / 1e6;
    }
}
