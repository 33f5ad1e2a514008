package io.github.customerauth.bench;

import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.Processes;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Keeps the server and the load generator (with its webhook receiver) on separate CPUs ({@code taskset}), so that
 * what the load generator and receiver spend is not taken from the server being measured. Off unless both
 * {@code bench.server.cpus} and {@code bench.client.cpus} are given, e.g. {@code 0} and {@code 1}.
 */
final class CpuPinning {

    private CpuPinning() {
    }

    private static final String SERVER_CPUS = System.getProperty("bench.server.cpus", "");
    private static final String CLIENT_CPUS = System.getProperty("bench.client.cpus", "");

    private static boolean requested() {
        return !SERVER_CPUS.isBlank() && !CLIENT_CPUS.isBlank();
    }

    static String describe() {
        return requested() ? "server on CPU " + SERVER_CPUS + ", load generator and receiver on CPU " + CLIENT_CPUS
                : "server and load generator share all CPUs";
    }

    static void apply(KeycloakServer server, Path workDir) {
        if (!requested()) {
            return;
        }
        server.processes().forEach(process -> pin(process.pid(), SERVER_CPUS, workDir));
        pin(ProcessHandle.current().pid(), CLIENT_CPUS, workDir);
    }

    /**
     * A server the benchmark runs beside Keycloak (the database, Kafka, Kafka Connect) goes with the load generator:
     * what it spends is then not counted as the Keycloak server's, as with a server on a machine of its own.
     * Processes it forks later inherit the pinning.
     */
    static void applyBesideClient(long pid, Path workDir) {
        if (!requested()) {
            return;
        }
        pin(pid, CLIENT_CPUS, workDir);
        ProcessHandle.of(pid).ifPresent(parent -> parent.descendants()
                .forEach(child -> pin(child.pid(), CLIENT_CPUS, workDir)));
    }

    /** {@code -a}: every thread of the process, including the JIT and GC threads already running. */
    private static void pin(long pid, String cpus, Path workDir) {
        Processes.run(workDir, Duration.ofSeconds(10), "taskset", "-a", "-p", "-c", cpus, Long.toString(pid));
    }
}
