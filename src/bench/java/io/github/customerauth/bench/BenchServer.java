package io.github.customerauth.bench;

import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.PostgresServer;
import io.github.customerauth.testsupport.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Keycloak a benchmark measures (ports 28080/29000), with the JAR and a fresh database: Keycloak's embedded H2
 * ({@code -Dbench.db=dev-file}, the default: its work runs in the server's own process) or a PostgreSQL server from
 * Debian's packages in its own processes ({@code -Dbench.db=postgres}), as in production.
 */
final class BenchServer implements AutoCloseable {

    static final String REALM = "bench";
    static final String KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    /**
     * A load generator logs the same users in many times a second: Keycloak's default brute-force protection would
     * refuse a user's login while the previous one is being recorded. Load only (see BruteForceIT).
     */
    static final String CONCURRENT_LOGINS =
            "--spi-brute-force-protector--default-brute-force-detector--allow-concurrent-requests=true";

    private final Path workDir = Path.of(System.getProperty("kc.work.dir"));
    private final boolean postgres = "postgres".equals(System.getProperty("bench.db", "dev-file"));
    private PostgresServer database;
    private KeycloakServer server;

    /** @param postgresSettings PostgreSQL server settings of the benchmark's own, each {@code name=value} */
    BenchServer(String... postgresSettings) {
        TestFiles.deleteTree(workDir.resolve("vault"));
        TestFiles.deleteTree(workDir.resolve(Path.of(System.getProperty("kc.dist.dir")).getFileName()).resolve("data"));
        if (postgres) {
            database = new PostgresServer(25432).start(postgresSettings);
            database.createDatabase("keycloak");
        }
    }

    /** Starts Keycloak (again, on the same database) with these server options besides the database's. */
    KeycloakServer start(List<String> options) {
        stopServer();
        List<String> all = new ArrayList<>(options);
        if (postgres) {
            all.addAll(database.keycloakOptions("keycloak"));
        }
        server = new KeycloakServer(new KeycloakServer.Settings(
                Path.of(System.getProperty("kc.dist.dir")), Path.of(System.getProperty("provider.jar")),
                Path.of(System.getProperty("realm.export.dir")), workDir,
                Path.of(System.getProperty("kc.server.java.home")), 28080, 29000,
                Map.of(REALM + "_customer-id-key", KEY, REALM + "_webhook-secret", "bench-webhook-secret",
                        // The linking benchmark's realms without the listener (-Dbench.linking-modes=realms).
                        LinkingBenchmark.REALM_OFF + "_customer-id-key", KEY,
                        LinkingBenchmark.REALM_OFF_AGAIN + "_customer-id-key", KEY,
                        // The sample realm's key, for the benchmarks run in it as shipped (IntrospectionBenchmark).
                        "customers_customer-id-key", KEY), all));
        server.start();
        CpuPinning.apply(server, workDir);
        if (database != null) {
            CpuPinning.applyBesideClient(database.pid(), workDir);
        }
        return server;
    }

    /** Prints a benchmark's results and keeps them in {@code target/bench/<file>}. */
    static void printAndKeep(String file, List<String> report) throws IOException {
        Path results = Path.of(System.getProperty("kc.work.dir")).resolve(file);
        Files.write(results, report);
        System.out.println("\n==== results (also in " + results + ") ====");
        report.forEach(System.out::println);
    }

    /** The PostgreSQL of {@code -Dbench.db=postgres}; null on H2. */
    PostgresServer database() {
        return database;
    }

    Path workDir() {
        return workDir;
    }

    String describe() {
        return CpuPinning.describe() + "; database: " + (postgres
                ? "PostgreSQL in its own processes, pinned with the load generator"
                : "Keycloak's embedded H2 (dev mode), in the server's process");
    }

    private void stopServer() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public void close() {
        stopServer();
        if (database != null) {
            database.close();
        }
    }
}
