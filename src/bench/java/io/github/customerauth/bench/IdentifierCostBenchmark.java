package io.github.customerauth.bench;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The identifier's cost on the token endpoint: client-credentials and refresh-token grants of a client with the
 * identifier scope against an identical client without it, in interleaved rounds (modes rotate: without, with,
 * without again), the last mode being the control pair that shows the noise.
 */
final class IdentifierCostBenchmark {

    private static final int CONCURRENCY = 8;
    private static final List<String> MODES = List.of("without", "with", "without again");

    private final KeycloakServer server;
    private final String realm;
    private final List<String> report;

    IdentifierCostBenchmark(KeycloakServer server, String realm, List<String> report) {
        this.server = server;
        this.realm = realm;
        this.report = report;
    }

    void run(double seconds, int rounds, double warmUp) {
        String scopeId = AdminApi.createdId(admin().post("/admin/realms/" + realm + "/client-scopes", Map.of(
                "name", "identifier-cost", "protocol", "openid-connect",
                "attributes", Map.of("include.in.token.scope", "false"))));
        AdminApi.createdId(admin().post("/admin/realms/" + realm + "/client-scopes/" + scopeId + "/protocol-mappers/models",
                Map.of("name", "identifier", "protocol", "openid-connect",
                        "protocolMapper", "oidc-customer-auth-identifier-mapper", "config", Map.of(
                                "access.token.claim", "true", "id.token.claim", "true",
                                "introspection.token.claim", "true"))));
        Map<String, Map<String, Supplier<HttpResponse<String>>>> requests = new LinkedHashMap<>();
        requests.put("with", client("cost-with", scopeId, true));
        requests.put("without", client("cost-without", scopeId, false));
        requests.put("without again", requests.get("without"));

        for (int slice = 0; slice < Math.max(2, Math.round(warmUp / 30)); slice++) {
            for (var grant : requests.get(slice % 2 == 0 ? "with" : "without").values()) {
                Load.run("warm-up", CONCURRENCY, warmUp / Math.max(2, Math.round(warmUp / 30)) / 2, grant);
            }
        }
        Map<String, List<Double>> perRound = new LinkedHashMap<>();
        Map<String, ModeTotals> totals = new LinkedHashMap<>();
        ServerThreads threads = new ServerThreads();
        for (int round = 0; round < rounds; round++) {
            List<String> order = new ArrayList<>(MODES);
            Collections.rotate(order, round);
            for (String mode : order) {
                requests.get(mode).forEach((grant, request) -> {
                    ServerThreads.Used before = threads.now(server);
                    Load.Result result = Load.run(grant + ", " + mode, CONCURRENCY, seconds, request);
                    totals.computeIfAbsent(grant + '/' + mode, k -> new ModeTotals()).add(result,
                            threads.since(server, before));
                    System.out.println(Instant.now() + " round " + result);
                    if (result.errors() > 0) {
                        throw new IllegalStateException(result.name() + " had errors");
                    }
                    perRound.computeIfAbsent(grant + '/' + mode, k -> new ArrayList<>()).add(result.perSecond());
                });
            }
        }
        report.add(String.format("Identifier scope on the token endpoint, concurrency %d, %d rounds of %.0f s per grant"
                + " and mode (modes rotate: without, with, without again; %.0f s warm-up):", CONCURRENCY, rounds,
                seconds, warmUp));
        for (String grant : List.of("client_credentials", "refresh_token")) {
            double without = mean(perRound.get(grant + "/without"));
            double with = mean(perRound.get(grant + "/with"));
            double again = mean(perRound.get(grant + "/without again"));
            report.add(String.format("  %s: without %.1f/s, with %.1f/s, without again %.1f/s; with/without %.3f"
                    + " (target >= 0.99), control %.3f", grant, without, with, again, with / without, again / without));
            report.add("    per round, with/without: " + RoundRatios.describe(perRound.get(grant + "/with"),
                    perRound.get(grant + "/without")));
            report.add("    per round, control: " + RoundRatios.describe(perRound.get(grant + "/without again"),
                    perRound.get(grant + "/without")));
            double cpuWithout = totals.get(grant + "/without").cpuMillisWithoutJit();
            double cpuWith = totals.get(grant + "/with").cpuMillisWithoutJit();
            double cpuAgain = totals.get(grant + "/without again").cpuMillisWithoutJit();
            report.add(String.format("    server CPU per request without the JIT compiler threads: without %.3f ms,"
                    + " with %.3f ms, without again %.3f ms; without/with %.3f (target >= 0.99), control %.3f",
                    cpuWithout, cpuWith, cpuAgain, cpuWithout / cpuWith, cpuWithout / cpuAgain));
        }
    }

    /** A confidential client whose service account and test user have account numbers; the scope or not. */
    private Map<String, Supplier<HttpResponse<String>>> client(String clientId, String scopeId, boolean withScope) {
        String secret = clientId + "-secret";
        String uuid = AdminApi.createdId(admin().post("/admin/realms/" + realm + "/clients", Map.of("clientId", clientId,
                "publicClient", false, "secret", secret, "serviceAccountsEnabled", true,
                "directAccessGrantsEnabled", true, "standardFlowEnabled", false)));
        if (withScope) {
            Load.check(admin().put("/admin/realms/" + realm + "/clients/" + uuid + "/default-client-scopes/" + scopeId, Map.of()));
        }
        Map<String, Object> serviceAccount = admin().getJson("/admin/realms/" + realm + "/clients/" + uuid
                + "/service-account-user");
        serviceAccount.put("attributes", Map.of("accountNumber", List.of("SA-" + clientId)));
        Load.check(admin().put("/admin/realms/" + realm + "/users/" + serviceAccount.get("id"), serviceAccount));
        String tokenUrl = server.baseUrl() + "/realms/" + realm + "/protocol/openid-connect/token";
        Map<String, Object> login = Http.json(Load.check(Http.postForm(tokenUrl, Map.of("grant_type", "password",
                "client_id", clientId, "client_secret", secret, "username", "loaduser", "password", "bench"))).body());
        if (Http.claims((String) login.get("access_token")).containsKey("customer_id") != withScope) {
            throw new IllegalStateException(clientId + ": customer_id " + (withScope ? "missing" : "present"));
        }
        Map<String, Supplier<HttpResponse<String>>> grants = new LinkedHashMap<>();
        grants.put("client_credentials", () -> Http.postForm(tokenUrl, Map.of("grant_type", "client_credentials",
                "client_id", clientId, "client_secret", secret)));
        grants.put("refresh_token", () -> Http.postForm(tokenUrl, Map.of("grant_type", "refresh_token",
                "client_id", clientId, "client_secret", secret, "refresh_token", (String) login.get("refresh_token"))));
        return grants;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private AdminApi admin() {
        return AdminApi.asBootstrapAdmin(server);
    }
}
