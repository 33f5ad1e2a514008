package io.github.customerauth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time the server's JIT compiler threads have used so far, from Linux's {@code /proc/<pid>/task}. On two cores
 * Keycloak's JIT is still compiling minutes into a run; what it spends during a round is a one-off cost of the run,
 * not a cost per login, so the benchmark reports CPU per login with and without it.
 */
final class ServerJit {

    /** Linux's USER_HZ, the unit of the times in {@code stat}: 100 on every Linux architecture Keycloak runs on. */
    private static final long TICKS_PER_SECOND = 100;

    /** Last value per compiler thread: a thread that ends keeps counting with what it had used. */
    private final Map<String, Long> ticksByThread = new HashMap<>();

    synchronized long compilerCpuNanos(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> threads = Files.list(tasks)) {
            threads.forEach(thread -> {
                try {
                    String name = Files.readString(thread.resolve("comm")).trim();
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        ticksByThread.put(thread.getFileName().toString(), ticks(Files.readString(thread.resolve("stat"))));
                    }
                } catch (IOException e) {
                    // The thread ended between listing and reading: its last value stays counted.
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + tasks + ": " + e.getMessage(), e);
        }
        return ticksByThread.values().stream().mapToLong(Long::longValue).sum() * (1_000_000_000L / TICKS_PER_SECOND);
    }

    /** utime + stime, fields 14 and 15 of {@code stat}, counted after the parenthesised thread name. */
    private static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
