package io.github.customerauth.bench;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The partner introspection endpoint beside Keycloak's built-in one (JSON and JWT answers), same token, same
 * checks, interleaved rounds.
 */
final class IntrospectionBenchmark {

    private static final int CONCURRENCY = 8;

    private final KeycloakServer server;
    private final List<String> report;

    IntrospectionBenchmark(KeycloakServer server, List<String> report) {
        this.server = server;
        this.report = report;
    }

    /**
     * The partner introspection endpoint beside Keycloak's built-in one, for the same access token, same checks
     * (session active, user enabled), concurrency 8: JSON against JSON, and the RFC 9701 JWT answer against the
     * built-in {@code Accept: application/jwt} answer.
     */
    void run(double seconds, int rounds, double warmUp) {
        AdminApi admin = BenchRealm.admin(server);
        Map<String, Object> role = Map.of("name", "customer-partner");
        Load.check(admin.post("/admin/realms/" + BenchRealm.REALM + "/roles", role));
        String partnerUuid = AdminApi.createdId(admin.post("/admin/realms/" + BenchRealm.REALM + "/clients", Map.of(
                "clientId", "bench-partner", "publicClient", false, "secret", "bench-partner-secret",
                "serviceAccountsEnabled", true, "standardFlowEnabled", false,
                "attributes", Map.of("customer-auth.partner.channels", BenchRealm.CLIENT,
                        "client.introspection.response.allow.jwt.claim.enabled", "true"))));
        Map<String, Object> serviceAccount = admin.getJson("/admin/realms/" + BenchRealm.REALM + "/clients/" + partnerUuid
                + "/service-account-user");
        Load.check(admin.post("/admin/realms/" + BenchRealm.REALM + "/users/" + serviceAccount.get("id") + "/role-mappings/realm",
                List.of(admin.getJson("/admin/realms/" + BenchRealm.REALM + "/roles/customer-partner"))));
        BenchRealm.mapperOnClient(server, true);
        // The built-in endpoint answers only callers in the token's audience: put the partner there.
        String clientUuid = admin.clientUuid(BenchRealm.REALM, BenchRealm.CLIENT);
        AdminApi.createdId(admin.post("/admin/realms/" + BenchRealm.REALM + "/clients/" + clientUuid + "/protocol-mappers/models",
                Map.of("name", "bench-partner audience", "protocol", "openid-connect", "protocolMapper", "oidc-audience-mapper",
                        "config", Map.of("included.client.audience", "bench-partner", "access.token.claim", "true",
                                "introspection.token.claim", "true"))));
        String tokenUrl = server.baseUrl() + "/realms/" + BenchRealm.REALM + "/protocol/openid-connect/token";
        String token = (String) Http.json(Load.check(Http.postForm(tokenUrl, Map.of("grant_type", "password",
                "client_id", BenchRealm.CLIENT, "client_secret", BenchRealm.SECRET, "username", "loaduser", "password", "bench"))).body())
                .get("access_token");
        String auth = "Basic " + Base64.getEncoder().encodeToString("bench-partner:bench-partner-secret".getBytes());
        String builtIn = tokenUrl + "/introspect";
        String partner = server.baseUrl() + "/realms/" + BenchRealm.REALM + "/partner/introspect";
        Map<String, Supplier<HttpResponse<String>>> variants = new LinkedHashMap<>();
        variants.put("built-in JSON", () -> Http.postForm(builtIn, Map.of("token", token), "Authorization", auth));
        variants.put("partner JSON", () -> Http.postForm(partner, Map.of("token", token), "Authorization", auth));
        variants.put("built-in application/jwt", () -> Http.postForm(builtIn, Map.of("token", token),
                "Authorization", auth, "Accept", "application/jwt"));
        variants.put("partner RFC 9701 JWT", () -> Http.postForm(partner, Map.of("token", token),
                "Authorization", auth, "Accept", "application/token-introspection+jwt"));
        for (var variant : variants.entrySet()) {
            String body = Load.check(variant.getValue().get()).body();
            if (!body.contains("\"active\":true") && !body.startsWith("ey")) {
                throw new IllegalStateException(variant.getKey() + " did not answer active: " + body);
            }
            Load.run("warm-up", CONCURRENCY, warmUp / variants.size(), variant.getValue());
        }
        Map<String, List<Load.Result>> results = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            List<String> order = new ArrayList<>(variants.keySet());
            if (round % 2 == 1) {
                Collections.reverse(order);
            }
            for (String name : order) {
                Load.Result result = Load.run(name, CONCURRENCY, seconds, variants.get(name));
                System.out.println(Instant.now() + " round " + (round + 1) + "  " + result);
                if (result.errors() > 0) {
                    throw new IllegalStateException(name + " had errors");
                }
                results.computeIfAbsent(name, k -> new ArrayList<>()).add(result);
            }
        }
        report.add(String.format("Introspection of one access token, concurrency %d, %d interleaved rounds of %.0f s:",
                CONCURRENCY, rounds, seconds));
        Map<String, Double> rates = new LinkedHashMap<>();
        results.forEach((name, list) -> {
            double rate = list.stream().mapToDouble(r -> r.requests()).sum() / list.stream().mapToDouble(Load.Result::seconds).sum();
            rates.put(name, rate);
            long p50 = list.stream().mapToLong(Load.Result::p50Micros).sorted().toArray()[list.size() / 2];
            long p99 = list.stream().mapToLong(Load.Result::p99Micros).max().orElse(0);
            report.add(String.format("  %-28s %8.1f req/s  p50 %6.2f ms  p99 (worst round) %6.2f ms", name, rate,
                    p50 / 1000.0, p99 / 1000.0));
        });
        report.add(String.format("  partner JSON / built-in JSON            %.3f (target >= 1)",
                rates.get("partner JSON") / rates.get("built-in JSON")));
        report.add(String.format("  partner RFC 9701 / built-in application/jwt %.3f (target >= 1)",
                rates.get("partner RFC 9701 JWT") / rates.get("built-in application/jwt")));
    }
}
