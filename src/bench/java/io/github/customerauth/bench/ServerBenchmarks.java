package io.github.customerauth.bench;

import io.github.customerauth.testsupport.KeycloakServer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Endpoint benchmarks against one real Keycloak with the extension, started for the run (ports 28080/29000), in
 * the benchmark realm ({@link BenchRealm}); {@code -Dbench.what} picks them:
 * <ul>
 *   <li>grants: the identifier mapper on a client and off ({@link MapperGrantsBenchmark});</li>
 *   <li>identifier: a client with the identifier scope against an identical one without it
 *       ({@link IdentifierCostBenchmark});</li>
 *   <li>linking: the customer-linking listener's cost on password and refresh-token grants
 *       ({@link LinkingBenchmark});</li>
 *   <li>introspection: the partner endpoint beside Keycloak's built-in one ({@link IntrospectionBenchmark});</li>
 *   <li>lookup: the identifier lookup beside Keycloak's own attribute search ({@link LookupBenchmark}).</li>
 * </ul>
 * The backlog drain is its own run ({@link BacklogDrainBenchmark}), since it restarts the server.
 * Run with {@code mvn -Pbench verify}; {@code -Dbench.db}, {@code -Dbench.seconds}, {@code -Dbench.rounds},
 * {@code -Dbench.warmup} and {@code -Dbench.users} tune it.
 */
public final class ServerBenchmarks {

    private ServerBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        List<String> report = new ArrayList<>();
        try (BenchServer bench = new BenchServer()) {
            KeycloakServer server = bench.start(List.of(BenchServer.CONCURRENT_LOGINS,
                    "--spi-events-listener--customer-linking--dispatch-interval-ms="
                    + System.getProperty("bench.dispatch-interval-ms", "500")));
            report.add("(" + bench.describe() + "; webhook dispatch interval "
                    + System.getProperty("bench.dispatch-interval-ms", "500") + " ms)");
            try {
                run(server, report);
            } finally {
                Files.write(bench.workDir().resolve("results.txt"), report);
                System.out.println("\n==== results (also in " + bench.workDir().resolve("results.txt") + ") ====");
                report.forEach(System.out::println);
            }
        }
    }

    private static void run(KeycloakServer server, List<String> report) {
        BenchRealm.create(server, report);
        Set<String> what = Set.of(
                System.getProperty("bench.what", "grants,linking,introspection,lookup").split(","));
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "10"));
        int rounds = Integer.getInteger("bench.rounds", 6);
        double warmUp = Double.parseDouble(System.getProperty("bench.warmup", "60"));
        if (what.contains("grants")) {
            new MapperGrantsBenchmark(server, report).run(seconds, rounds);
        }
        if (what.contains("linking") || what.contains("linking-without-webhooks")) {
            // linking-without-webhooks: links and the listener's work only, no receiver and no deliveries,
            // to tell the cost on the login path from the cost of sending webhooks on the same cores.
            BenchRealm.identifierScope(server);
            new LinkingBenchmark(server, BenchRealm.REALM, BenchRealm.CLIENT, BenchRealm.SECRET, report)
                    .run(seconds, rounds, warmUp, what.contains("linking"));
        }
        if (what.contains("identifier")) {
            new IdentifierCostBenchmark(server, BenchRealm.REALM, report).run(seconds, rounds, warmUp);
        }
        if (what.contains("introspection")) {
            new IntrospectionBenchmark(server, report).run(seconds, rounds, warmUp);
        }
        if (what.contains("lookup")) {
            new LookupBenchmark(server, report).run(Integer.getInteger("bench.users", 20_000));
        }
    }
}
