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
 * The identifier mapper's cost on the token endpoint: client-credentials and refresh-token grants of a client whose
 * default scope holds the identifier mapper against an identical client whose identical scope holds Keycloak's
 * hardcoded-claim mapper writing a {@code customer_id} of the same length ("baseline"). Keycloak's own work for one
 * more client scope per token is then on both sides; a client without the scope ("no scope") shows what that work
 * costs. Interleaved rounds (modes rotate), with a control pair: the baseline against itself.
 */
final class IdentifierCostBenchmark {

    private static final int CONCURRENCY = 8;
    private static final List<String> MODES = List.of("baseline", "with", "baseline again", "no scope");
    /** As long as an identifier (43 base64url characters of an HMAC-SHA256). */
    private static final String CONSTANT_IDENTIFIER = "A".repeat(43);

    private final KeycloakServer server;
    private final String realm;
    private final List<String> report;

    IdentifierCostBenchmark(KeycloakServer server, String realm, List<String> report) {
        this.server = server;
        this.realm = realm;
        this.report = report;
    }

    void run(double seconds, int rounds, double warmUp) {
        String scopeId = scope("identifier-cost", Map.of("name", "identifier", "protocol", "openid-connect",
                "protocolMapper", "oidc-customer-auth-identifier-mapper", "config", Map.of(
                        "access.token.claim", "true", "id.token.claim", "true", "introspection.token.claim", "true")));
        String baselineScopeId = scope("identifier-cost-baseline", Map.of("name", "constant identifier",
                "protocol", "openid-connect", "protocolMapper", "oidc-hardcoded-claim-mapper", "config", Map.of(
                        "claim.name", "customer_id", "claim.value", CONSTANT_IDENTIFIER, "jsonType.label", "String",
                        "access.token.claim", "true", "id.token.claim", "true", "introspection.token.claim", "true")));
        Map<String, Map<String, Supplier<HttpResponse<String>>>> requests = new LinkedHashMap<>();
        requests.put("with", client("cost-with", scopeId));
        requests.put("baseline", client("cost-baseline", baselineScopeId));
        requests.put("baseline again", requests.get("baseline"));
        requests.put("no scope", client("cost-no-scope", null));

        for (int slice = 0; slice < Math.max(2, Math.round(warmUp / 30)); slice++) {
            for (var grant : requests.get(slice % 2 == 0 ? "with" : "baseline").values()) {
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
        report.add(String.format("Identifier mapper on the token endpoint, concurrency %d, %d rounds of %.0f s per grant"
                + " and mode (modes rotate: %s; %.0f s warm-up):", CONCURRENCY, rounds, seconds,
                String.join(", ", MODES), warmUp));
        for (String grant : List.of("client_credentials", "refresh_token")) {
            List<Double> baseline = perRound.get(grant + "/baseline");
            double baselineRate = mean(baseline);
            double with = mean(perRound.get(grant + "/with"));
            double again = mean(perRound.get(grant + "/baseline again"));
            double noScope = mean(perRound.get(grant + "/no scope"));
            report.add(String.format("  %s: baseline %.1f/s, with %.1f/s, baseline again %.1f/s, no scope %.1f/s;"
                    + " with/baseline %.3f (target >= 0.99), control %.3f; baseline/no scope %.3f (Keycloak's cost of"
                    + " the scope)", grant, baselineRate, with, again, noScope, with / baselineRate,
                    again / baselineRate, baselineRate / noScope));
            report.add("    per round, with/baseline: " + RoundRatios.describe(perRound.get(grant + "/with"), baseline));
            report.add("    per round, control: " + RoundRatios.describe(perRound.get(grant + "/baseline again"),
                    baseline));
            double cpuBaseline = totals.get(grant + "/baseline").cpuMillisWithoutJit();
            double cpuWith = totals.get(grant + "/with").cpuMillisWithoutJit();
            double cpuAgain = totals.get(grant + "/baseline again").cpuMillisWithoutJit();
            double cpuNoScope = totals.get(grant + "/no scope").cpuMillisWithoutJit();
            report.add(String.format("    server CPU per request without the JIT compiler threads: baseline %.3f ms,"
                    + " with %.3f ms, baseline again %.3f ms, no scope %.3f ms; baseline/with %.3f (target >= 0.99),"
                    + " control %.3f", cpuBaseline, cpuWith, cpuAgain, cpuNoScope, cpuBaseline / cpuWith,
                    cpuBaseline / cpuAgain));
        }
    }

    /** A default-type client scope, not named in the token's scope, with one mapper; returns its id. */
    private String scope(String name, Map<String, Object> mapper) {
        String scopeId = AdminApi.createdId(admin().post("/admin/realms/" + realm + "/client-scopes", Map.of(
                "name", name, "protocol", "openid-connect", "attributes", Map.of("include.in.token.scope", "false"))));
        AdminApi.createdId(admin().post("/admin/realms/" + realm + "/client-scopes/" + scopeId
                + "/protocol-mappers/models", mapper));
        return scopeId;
    }

    /** A confidential client whose service account and test user have account numbers; the scope, if any. */
    private Map<String, Supplier<HttpResponse<String>>> client(String clientId, String scopeId) {
        String secret = clientId + "-secret";
        String uuid = AdminApi.createdId(admin().post("/admin/realms/" + realm + "/clients", Map.of("clientId", clientId,
                "publicClient", false, "secret", secret, "serviceAccountsEnabled", true,
                "directAccessGrantsEnabled", true, "standardFlowEnabled", false)));
        if (scopeId != null) {
            Load.check(admin().put("/admin/realms/" + realm + "/clients/" + uuid + "/default-client-scopes/" + scopeId, Map.of()));
        }
        Map<String, Object> serviceAccount = admin().getJson("/admin/realms/" + realm + "/clients/" + uuid
                + "/service-account-user");
        serviceAccount.put("attributes", Map.of("accountNumber", List.of("SA-" + clientId)));
        Load.check(admin().put("/admin/realms/" + realm + "/users/" + serviceAccount.get("id"), serviceAccount));
        String tokenUrl = server.baseUrl() + "/realms/" + realm + "/protocol/openid-connect/token";
        Map<String, Object> login = Http.json(Load.check(Http.postForm(tokenUrl, Map.of("grant_type", "password",
                "client_id", clientId, "client_secret", secret, "username", "loaduser", "password", "bench"))).body());
        if (Http.claims((String) login.get("access_token")).containsKey("customer_id") != (scopeId != null)) {
            throw new IllegalStateException(clientId + ": customer_id " + (scopeId != null ? "missing" : "present"));
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
