package io.github.customerauth.bench;

import io.github.customerauth.testsupport.KeycloakServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time the server's threads have used so far, by kind of thread (the name without its number: request
 * workers, GC, JIT compiler, timers...), from Linux's {@code /proc/<pid>/task}. The JIT matters apart: on two cores
 * Keycloak's JIT is still compiling minutes into a run, a one-off cost of the run rather than a cost per login.
 */
final class ServerThreads {

    static final String JIT = "JIT compiler";

    /** Linux's USER_HZ, the unit of the times in {@code stat}: 100 on every Linux architecture Keycloak runs on. */
    private static final long TICKS_PER_SECOND = 100;

    /** Last value per thread: a thread that ends keeps counting with what it had used. */
    private final Map<String, Sample> byThread = new HashMap<>();

    private record Sample(String kind, long ticks) {
    }

    /** The server's CPU time over a stretch: its processes' total, and its main process by kind of thread. */
    record Used(long processNanos, Map<String, Long> byKind) {
    }

    /** CPU time of the server so far; {@link #since} gives what a round used. */
    Used now(KeycloakServer server) {
        long total = server.processes().mapToLong(process -> process.info().totalCpuDuration()
                .map(Duration::toNanos).orElseThrow(() -> new IllegalStateException(
                        "CPU time of process " + process.pid() + " is not readable"))).sum();
        return new Used(total, cpuNanosByKind(server.processes().findFirst().orElseThrow().pid()));
    }

    Used since(KeycloakServer server, Used before) {
        Used after = now(server);
        return new Used(after.processNanos() - before.processNanos(), minus(after.byKind(), before.byKind()));
    }

    synchronized Map<String, Long> cpuNanosByKind(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> threads = Files.list(tasks)) {
            threads.forEach(thread -> {
                try {
                    String kind = kind(Files.readString(thread.resolve("comm")).trim());
                    byThread.put(thread.getFileName().toString(), new Sample(kind,
                            ticks(Files.readString(thread.resolve("stat")))));
                } catch (IOException e) {
                    // The thread ended between listing and reading: its last value stays counted.
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + tasks + ": " + e.getMessage(), e);
        }
        Map<String, Long> byKind = new TreeMap<>();
        byThread.values().forEach(sample -> byKind.merge(sample.kind(),
                sample.ticks() * (1_000_000_000L / TICKS_PER_SECOND), Long::sum));
        return byKind;
    }

    static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((kind, nanos) -> delta.put(kind, nanos - before.getOrDefault(kind, 0L)));
        return delta;
    }

    /** Linux truncates thread names to 15 characters: "C2 CompilerThre", "executor-thread". */
    static String kind(String name) {
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return JIT;
        }
        return name.replaceAll("[0-9]+", "#");
    }

    /** utime + stime, fields 14 and 15 of {@code stat}, counted after the parenthesised thread name. */
    private static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
