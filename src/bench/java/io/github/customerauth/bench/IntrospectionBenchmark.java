package io.github.customerauth.bench;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.BrowserLogin;
import io.github.customerauth.testsupport.Customers;
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
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The partner introspection endpoint beside Keycloak's built-in one (JSON and JWT answers), in the sample realm as
 * shipped ({@value #REALM}: its event settings, its identifier scope, its partner): the same web-chat token of a test
 * customer and the same caller ({@value #PARTNER}) for every variant, interleaved rounds, a fresh token per round.
 */
final class IntrospectionBenchmark {

    static final String REALM = "customers";
    static final String PARTNER = "partner-backend";
    private static final String PARTNER_SECRET = "partner-backend-secret-test-only";
    private static final int CONCURRENCY = 8;

    private final KeycloakServer server;
    private final List<String> report;

    IntrospectionBenchmark(KeycloakServer server, List<String> report) {
        this.server = server;
        this.report = report;
    }

    /**
     * JSON against JSON, the RFC 9701 JWT answer against the built-in {@code Accept: application/jwt} answer, and a
     * control pair (built-in JSON twice), at concurrency 8.
     */
    void run(double seconds, int rounds, double warmUp) {
        // Keycloak answers Accept: application/jwt with a signed JWT only for clients that allow it.
        AdminApi admin = BenchRealm.admin(server);
        String partnerPath = "/admin/realms/" + REALM + "/clients/" + admin.clientUuid(REALM, PARTNER);
        Map<String, Object> partnerClient = admin.getJson(partnerPath);
        @SuppressWarnings("unchecked")
        Map<String, Object> attributes = (Map<String, Object>) partnerClient.get("attributes");
        attributes.put("client.introspection.response.allow.jwt.claim.enabled", "true");
        Load.check(admin.put(partnerPath, partnerClient));
        BrowserLogin webChat = new BrowserLogin(server.baseUrl(), REALM, "web-chat", "http://localhost:3000/callback");
        String tokenUrl = server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/token";
        String auth = "Basic " + Base64.getEncoder().encodeToString((PARTNER + ":" + PARTNER_SECRET).getBytes());
        String builtIn = tokenUrl + "/introspect";
        String partner = server.baseUrl() + "/realms/" + REALM + "/partner/introspect";
        Map<String, Function<String, HttpResponse<String>>> variants = new LinkedHashMap<>();
        variants.put("built-in JSON", token -> Http.postForm(builtIn, Map.of("token", token), "Authorization", auth));
        variants.put("partner JSON", token -> Http.postForm(partner, Map.of("token", token), "Authorization", auth));
        variants.put("built-in application/jwt", token -> Http.postForm(builtIn, Map.of("token", token),
                "Authorization", auth, "Accept", "application/jwt"));
        variants.put("partner RFC 9701 JWT", token -> Http.postForm(partner, Map.of("token", token),
                "Authorization", auth, "Accept", "application/token-introspection+jwt"));
        variants.put("built-in JSON (control)", variants.get("built-in JSON"));
        if (!Boolean.parseBoolean(System.getProperty("bench.introspection.jwt", "true"))) {
            // JSON answers only, e.g. for a flight recording of the JSON paths alone.
            variants.keySet().removeIf(name -> name.contains("jwt") || name.contains("JWT"));
        }
        for (var variant : variants.entrySet()) {
            // A token per variant: the warm-up can outlast one token's five minutes.
            String warmUpToken = customerToken(webChat);
            requireActive(variant.getKey(), variant.getValue(), warmUpToken);
            Load.run("warm-up", CONCURRENCY, warmUp / variants.size(), () -> variant.getValue().apply(warmUpToken));
        }
        Map<String, List<Load.Result>> results = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            // The sample realm's access tokens live five minutes: every round introspects a fresh one.
            String token = customerToken(webChat);
            List<String> order = new ArrayList<>(variants.keySet());
            if (round % 2 == 1) {
                Collections.reverse(order);
            }
            for (String name : order) {
                requireActive(name, variants.get(name), token);
                Supplier<HttpResponse<String>> call = () -> variants.get(name).apply(token);
                Load.Result result = Load.run(name, CONCURRENCY, seconds, call);
                System.out.println(Instant.now() + " round " + (round + 1) + "  " + result);
                if (result.errors() > 0) {
                    throw new IllegalStateException(name + " had errors");
                }
                results.computeIfAbsent(name, k -> new ArrayList<>()).add(result);
            }
        }
        report.add(String.format("Introspection of one web-chat access token in the sample realm %s by %s, concurrency"
                + " %d, %d interleaved rounds of %.0f s:", REALM, PARTNER, CONCURRENCY, rounds, seconds));
        Map<String, Double> rates = new LinkedHashMap<>();
        results.forEach((name, list) -> {
            double rate = list.stream().mapToDouble(r -> r.requests()).sum() / list.stream().mapToDouble(Load.Result::seconds).sum();
            rates.put(name, rate);
            long p50 = list.stream().mapToLong(Load.Result::p50Micros).sorted().toArray()[list.size() / 2];
            long p99 = list.stream().mapToLong(Load.Result::p99Micros).max().orElse(0);
            report.add(String.format("  %-28s %8.1f req/s  p50 %6.2f ms  p99 (worst round) %6.2f ms", name, rate,
                    p50 / 1000.0, p99 / 1000.0));
        });
        report.add(String.format("  partner JSON / built-in JSON                %.3f (target >= 1)",
                rates.get("partner JSON") / rates.get("built-in JSON")));
        if (rates.containsKey("partner RFC 9701 JWT")) {
            report.add(String.format("  partner RFC 9701 / built-in application/jwt %.3f (target >= 1)",
                    rates.get("partner RFC 9701 JWT") / rates.get("built-in application/jwt")));
        }
        report.add(String.format("  control: built-in JSON / built-in JSON      %.3f",
                rates.get("built-in JSON (control)") / rates.get("built-in JSON")));
        report.add("  per round, partner JSON / built-in JSON: " + RoundRatios.describe(perRound(results, "partner JSON"),
                perRound(results, "built-in JSON")));
        report.add("  per round, control: " + RoundRatios.describe(perRound(results, "built-in JSON (control)"),
                perRound(results, "built-in JSON")));
        if (results.containsKey("partner RFC 9701 JWT")) {
            report.add("  per round, partner RFC 9701 / built-in application/jwt: " + RoundRatios.describe(
                    perRound(results, "partner RFC 9701 JWT"), perRound(results, "built-in application/jwt")));
        }
    }

    private static List<Double> perRound(Map<String, List<Load.Result>> results, String name) {
        return results.get(name).stream().map(r -> r.requests() / r.seconds()).toList();
    }

    private static String customerToken(BrowserLogin webChat) {
        return (String) webChat.login("alice", Customers.PASSWORD).get("access_token");
    }

    private static void requireActive(String name, Function<String, HttpResponse<String>> variant, String token) {
        String body = Load.check(variant.apply(token)).body();
        if (!body.contains("\"active\":true") && !body.startsWith("ey")) {
            throw new IllegalStateException(name + " did not answer active: " + body);
        }
    }
}
