package io.github.customerauth.bench;

import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Client-credentials and refresh-token grants per second with the identifier mapper on the client and off, in
 * interleaved rounds on one server; reported as the ratio on/off.
 */
final class MapperGrantsBenchmark {

    private static final int CONCURRENCY = 8;

    private final KeycloakServer server;
    private final List<String> report;

    MapperGrantsBenchmark(KeycloakServer server, List<String> report) {
        this.server = server;
        this.report = report;
    }

    void run(double seconds, int rounds) {
        String tokenUrl = server.baseUrl() + "/realms/" + BenchRealm.REALM + "/protocol/openid-connect/token";
        Map<String, String> clientCredentials = Map.of("grant_type", "client_credentials", "client_id", BenchRealm.CLIENT,
                "client_secret", BenchRealm.SECRET);
        String refreshToken = (String) Http.json(Load.check(Http.postForm(tokenUrl, Map.of("grant_type", "password",
                "client_id", BenchRealm.CLIENT, "client_secret", BenchRealm.SECRET, "username", "loaduser", "password", "bench")))
                .body()).get("refresh_token");
        Map<String, String> refresh = Map.of("grant_type", "refresh_token", "client_id", BenchRealm.CLIENT,
                "client_secret", BenchRealm.SECRET, "refresh_token", refreshToken);

        BenchRealm.mapperOnClient(server, true);
        assertClaim(tokenUrl, clientCredentials, true);
        // The server's JIT keeps speeding it up for a minute or more: warm up both modes before measuring.
        double warmUp = Double.parseDouble(System.getProperty("bench.warmup", "60"));
        for (boolean on : new boolean[] {true, false}) {
            BenchRealm.mapperOnClient(server, on);
            Load.run("warm-up", CONCURRENCY, warmUp / 2, () -> Http.postForm(tokenUrl, clientCredentials));
            Load.run("warm-up", CONCURRENCY, warmUp / 2, () -> Http.postForm(tokenUrl, refresh));
        }

        Map<String, double[]> totals = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            boolean[] order = round % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false};
            for (boolean on : order) {
                BenchRealm.mapperOnClient(server, on);
                assertClaim(tokenUrl, clientCredentials, on);
                String label = on ? "on" : "off";
                Load.Result cc = Load.run("client_credentials mapper " + label, CONCURRENCY, seconds,
                        () -> Http.postForm(tokenUrl, clientCredentials));
                Load.Result rt = Load.run("refresh_token mapper " + label, CONCURRENCY, seconds,
                        () -> Http.postForm(tokenUrl, refresh));
                for (Load.Result result : List.of(cc, rt)) {
                    System.out.println(Instant.now() + " round " + (round + 1) + "  " + result);
                    if (result.errors() > 0) {
                        throw new IllegalStateException(result.name() + " had errors");
                    }
                    double[] sum = totals.computeIfAbsent(result.name(), k -> new double[2]);
                    sum[0] += result.requests();
                    sum[1] += result.seconds();
                }
            }
        }
        report.add(String.format("Token grants, concurrency %d, %d interleaved rounds of %.0f s per mode:", CONCURRENCY,
                rounds, seconds));
        totals.forEach((name, sum) -> report.add(String.format("  %-34s %8.1f req/s", name, sum[0] / sum[1])));
        for (String grant : List.of("client_credentials", "refresh_token")) {
            double on = rate(totals.get(grant + " mapper on"));
            double off = rate(totals.get(grant + " mapper off"));
            report.add(String.format("  %-34s %8.3f (target >= 0.98)", grant + " on/off", on / off));
        }
    }

    private static void assertClaim(String tokenUrl, Map<String, String> form, boolean expected) {
        Map<String, Object> claims = Http.claims((String) Http.json(Load.check(Http.postForm(tokenUrl, form)).body())
                .get("access_token"));
        if (claims.containsKey("customer_id") != expected) {
            throw new IllegalStateException("mapper " + (expected ? "on" : "off") + " but claims are " + claims.keySet());
        }
    }

    private static double rate(double[] sum) {
        return sum[0] / sum[1];
    }
}
