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

    static String describe() {
        String server = System.getProperty("bench.server.cpus", "");
        String client = System.getProperty("bench.client.cpus", "");
        return server.isBlank() || client.isBlank() ? "server and load generator share all CPUs"
                : "server on CPU " + server + ", load generator and receiver on CPU " + client;
    }

    static void apply(KeycloakServer server, Path workDir) {
        String serverCpus = System.getProperty("bench.server.cpus", "");
        String clientCpus = System.getProperty("bench.client.cpus", "");
        if (serverCpus.isBlank() || clientCpus.isBlank()) {
            return;
        }
        server.processes().forEach(process -> pin(process.pid(), serverCpus, workDir));
        pin(ProcessHandle.current().pid(), clientCpus, workDir);
    }

    /** {@code -a}: every thread of the process, including the JIT and GC threads already running. */
    private static void pin(long pid, String cpus, Path workDir) {
        Processes.run(workDir, Duration.ofSeconds(10), "taskset", "-a", "-p", "-c", cpus, Long.toString(pid));
    }
}
