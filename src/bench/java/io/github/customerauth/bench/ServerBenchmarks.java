package io.github.customerauth.bench;

import io.github.customerauth.identifier.IdentifierDerivation;
import io.github.customerauth.identifier.IdentifierKey;
import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Endpoint benchmarks against one real Keycloak with the extension, started for the run (ports 28080/29000).
 * <ul>
 *   <li>grants: client-credentials and refresh-token grants per second, identifier mapper on and off, interleaved
 *       rounds on the same server, reported as the ratio on/off;</li>
 *   <li>linking: the customer-linking listener's cost on password and refresh-token grants
 *       ({@link LinkingBenchmark});</li>
 *   <li>introspection: the partner endpoint beside Keycloak's built-in one;</li>
 *   <li>lookup: 20,000 customers, the identifier lookup beside Keycloak's own attribute search for the account
 *       number (what an admin would do without this extension).</li>
 * </ul>
 * The backlog drain is its own run ({@link BacklogDrainBenchmark}), since it restarts the server.
 * Run with {@code mvn -Pbench verify}; {@code -Dbench.db}, {@code -Dbench.seconds}, {@code -Dbench.rounds}, {@code -Dbench.warmup},
 * {@code -Dbench.users} and {@code -Dbench.what} tune it.
 */
public final class ServerBenchmarks {

    private static final String REALM = BenchServer.REALM;
    private static final String CLIENT = "bench";
    private static final String SECRET = "bench-secret";
    private static final String KEY = BenchServer.KEY;
    private static final int CONCURRENCY = 8;

    private final KeycloakServer server;
    private final List<String> report;

    private ServerBenchmarks(KeycloakServer server, List<String> report) {
        this.server = server;
        this.report = report;
    }

    public static void main(String[] args) throws Exception {
        List<String> report = new ArrayList<>();
        try (BenchServer bench = new BenchServer()) {
            // A load generator logs the same users in many times a second: Keycloak's default brute-force protection
            // would refuse a user's login while the previous one is being recorded. Load tests only (see BruteForceIT).
            KeycloakServer server = bench.start(List.of(
                    "--spi-brute-force-protector--default-brute-force-detector--allow-concurrent-requests=true",
                    "--spi-events-listener--customer-linking--dispatch-interval-ms="
                    + System.getProperty("bench.dispatch-interval-ms", "500")));
            report.add("(" + bench.describe() + "; webhook dispatch interval "
                    + System.getProperty("bench.dispatch-interval-ms", "500") + " ms)");
            ServerBenchmarks benchmarks = new ServerBenchmarks(server, report);
            try {
                benchmarks.run();
            } finally {
                Files.write(bench.workDir().resolve("results.txt"), report);
                System.out.println("\n==== results (also in " + bench.workDir().resolve("results.txt") + ") ====");
                report.forEach(System.out::println);
            }
        }
    }

    private void run() {
        setUpRealm();
        Set<String> what = Set.of(
                System.getProperty("bench.what", "grants,linking,introspection,lookup").split(","));
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "10"));
        int rounds = Integer.getInteger("bench.rounds", 6);
        double warmUp = Double.parseDouble(System.getProperty("bench.warmup", "60"));
        if (what.contains("grants")) {
            grants(seconds, rounds);
        }
        if (what.contains("linking") || what.contains("linking-without-webhooks")) {
            // linking-without-webhooks: links and the listener's work only, no receiver and no deliveries,
            // to tell the cost on the login path from the cost of sending webhooks on the same cores.
            identifierScope();
            new LinkingBenchmark(server, REALM, CLIENT, SECRET, report).run(seconds, rounds, warmUp,
                    what.contains("linking"));
        }
        if (what.contains("identifier")) {
            new IdentifierCostBenchmark(server, REALM, report).run(seconds, rounds, warmUp);
        }
        if (what.contains("introspection")) {
            introspection(seconds, rounds, warmUp);
        }
        if (what.contains("lookup")) {
            lookup(Integer.getInteger("bench.users", 20_000));
        }
    }

    private AdminApi admin() {
        return AdminApi.asBootstrapAdmin(server);
    }

    private void setUpRealm() {
        AdminApi admin = admin();
        AdminApi.createdId(admin.post("/admin/realms", Map.of("realm", REALM, "enabled", true)));
        if (Boolean.getBoolean("bench.events-stored")) {
            // As the sample realms: Keycloak also stores these events in its database, listener on or off.
            Map<String, Object> realm = admin.getJson("/admin/realms/" + REALM);
            realm.put("eventsEnabled", true);
            realm.put("enabledEventTypes", List.of("LOGIN", "LOGIN_ERROR", "CODE_TO_TOKEN", "REFRESH_TOKEN", "LOGOUT"));
            check(admin.put("/admin/realms/" + REALM, realm));
            report.add("(Keycloak stores LOGIN, CODE_TO_TOKEN, REFRESH_TOKEN and LOGOUT events, as the sample realms do)");
        }
        Map<String, Object> profile = admin.getJson("/admin/realms/" + REALM + "/users/profile");
        profile.put("unmanagedAttributePolicy", "ENABLED");
        check(admin.put("/admin/realms/" + REALM + "/users/profile", profile));
        AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/clients", Map.of("clientId", CLIENT,
                "publicClient", false, "secret", SECRET, "serviceAccountsEnabled", true,
                "directAccessGrantsEnabled", true, "standardFlowEnabled", false)));
        String clientUuid = admin.clientUuid(REALM, CLIENT);
        Map<String, Object> serviceAccount = admin.getJson("/admin/realms/" + REALM + "/clients/" + clientUuid
                + "/service-account-user");
        serviceAccount.put("attributes", Map.of("accountNumber", List.of("SA-0001")));
        check(admin.put("/admin/realms/" + REALM + "/users/" + serviceAccount.get("id"), serviceAccount));
        AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/users", Map.of("username", "loaduser",
                "enabled", true, "email", "loaduser@bench.example.test", "firstName", "Load", "lastName", "User",
                "attributes", Map.of("accountNumber", List.of("LOAD-0001")),
                "credentials", List.of(Map.of("type", "password", "value", "bench", "temporary", false)))));
    }

    private void grants(double seconds, int rounds) {
        String tokenUrl = server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/token";
        Map<String, String> clientCredentials = Map.of("grant_type", "client_credentials", "client_id", CLIENT,
                "client_secret", SECRET);
        String refreshToken = (String) Http.json(check(Http.postForm(tokenUrl, Map.of("grant_type", "password",
                "client_id", CLIENT, "client_secret", SECRET, "username", "loaduser", "password", "bench")))
                .body()).get("refresh_token");
        Map<String, String> refresh = Map.of("grant_type", "refresh_token", "client_id", CLIENT,
                "client_secret", SECRET, "refresh_token", refreshToken);

        mapper(true);
        assertClaim(tokenUrl, clientCredentials, true);
        // The server's JIT keeps speeding it up for a minute or more: warm up both modes before measuring.
        double warmUp = Double.parseDouble(System.getProperty("bench.warmup", "60"));
        for (boolean on : new boolean[] {true, false}) {
            mapper(on);
            Load.run("warm-up", CONCURRENCY, warmUp / 2, () -> Http.postForm(tokenUrl, clientCredentials));
            Load.run("warm-up", CONCURRENCY, warmUp / 2, () -> Http.postForm(tokenUrl, refresh));
        }

        Map<String, double[]> totals = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            boolean[] order = round % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false};
            for (boolean on : order) {
                mapper(on);
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

    /**
     * The partner introspection endpoint beside Keycloak's built-in one, for the same access token, same checks
     * (session active, user enabled), concurrency 8: JSON against JSON, and the RFC 9701 JWT answer against the
     * built-in {@code Accept: application/jwt} answer.
     */
    private void introspection(double seconds, int rounds, double warmUp) {
        AdminApi admin = admin();
        Map<String, Object> role = Map.of("name", "customer-partner");
        check(admin.post("/admin/realms/" + REALM + "/roles", role));
        String partnerUuid = AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/clients", Map.of(
                "clientId", "bench-partner", "publicClient", false, "secret", "bench-partner-secret",
                "serviceAccountsEnabled", true, "standardFlowEnabled", false,
                "attributes", Map.of("customer-auth.partner.channels", CLIENT,
                        "client.introspection.response.allow.jwt.claim.enabled", "true"))));
        Map<String, Object> serviceAccount = admin.getJson("/admin/realms/" + REALM + "/clients/" + partnerUuid
                + "/service-account-user");
        check(admin.post("/admin/realms/" + REALM + "/users/" + serviceAccount.get("id") + "/role-mappings/realm",
                List.of(admin.getJson("/admin/realms/" + REALM + "/roles/customer-partner"))));
        mapper(true);
        // The built-in endpoint answers only callers in the token's audience: put the partner there.
        String clientUuid = admin.clientUuid(REALM, CLIENT);
        AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/clients/" + clientUuid + "/protocol-mappers/models",
                Map.of("name", "bench-partner audience", "protocol", "openid-connect", "protocolMapper", "oidc-audience-mapper",
                        "config", Map.of("included.client.audience", "bench-partner", "access.token.claim", "true",
                                "introspection.token.claim", "true"))));
        String tokenUrl = server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/token";
        String token = (String) Http.json(check(Http.postForm(tokenUrl, Map.of("grant_type", "password",
                "client_id", CLIENT, "client_secret", SECRET, "username", "loaduser", "password", "bench"))).body())
                .get("access_token");
        String auth = "Basic " + Base64.getEncoder().encodeToString("bench-partner:bench-partner-secret".getBytes());
        String builtIn = tokenUrl + "/introspect";
        String partner = server.baseUrl() + "/realms/" + REALM + "/partner/introspect";
        Map<String, Supplier<HttpResponse<String>>> variants = new LinkedHashMap<>();
        variants.put("built-in JSON", () -> Http.postForm(builtIn, Map.of("token", token), "Authorization", auth));
        variants.put("partner JSON", () -> Http.postForm(partner, Map.of("token", token), "Authorization", auth));
        variants.put("built-in application/jwt", () -> Http.postForm(builtIn, Map.of("token", token),
                "Authorization", auth, "Accept", "application/jwt"));
        variants.put("partner RFC 9701 JWT", () -> Http.postForm(partner, Map.of("token", token),
                "Authorization", auth, "Accept", "application/token-introspection+jwt"));
        for (var variant : variants.entrySet()) {
            String body = check(variant.getValue().get()).body();
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

    private void lookup(int users) {
        Random random = new Random(42);
        List<String> accountNumbers = new ArrayList<>();
        AdminApi admin = admin();
        long importStart = System.nanoTime();
        for (int batch = 0; batch < users; batch += 1000) {
            List<Map<String, Object>> page = new ArrayList<>();
            for (int i = batch; i < Math.min(users, batch + 1000); i++) {
                String accountNumber = String.format("%010d", 1_000_000_000L + i);
                accountNumbers.add(accountNumber);
                page.add(Map.of("username", "customer" + i, "enabled", true,
                        "attributes", Map.of("accountNumber", List.of(accountNumber))));
            }
            if (batch % 5000 == 0) {
                admin = admin();
            }
            check(admin.post("/admin/realms/" + REALM + "/partialImport", Map.of("ifResource", "SKIP", "users", page)));
        }
        double importSeconds = (System.nanoTime() - importStart) / 1e9;
        long reindexStart = System.nanoTime();
        HttpResponse<String> reindex = check(admin().post("/admin/realms/" + REALM + "/customer-identifiers/reindex", null));
        double reindexSeconds = (System.nanoTime() - reindexStart) / 1e9;

        var derivation = new IdentifierDerivation(
                IdentifierKey.of("1", KEY));
        List<String> identifiers = accountNumbers.stream().map(derivation::derive).toList();
        AdminApi reader = admin();
        Load.Result ours = Load.run("identifier lookup", CONCURRENCY, 10,
                () -> check(reader.get("/admin/realms/" + REALM + "/customer-identifiers/"
                        + identifiers.get(random.nextInt(identifiers.size())))));
        AdminApi searcher = admin();
        Load.Result stock = Load.run("stock user search by attribute", CONCURRENCY, 10,
                () -> check(searcher.get("/admin/realms/" + REALM + "/users?exact=true&q=accountNumber:"
                        + accountNumbers.get(random.nextInt(accountNumbers.size())))));
        report.add(String.format("Identifier lookup with %d customers (import %.0f s, reindex %.1f s: %s):", users,
                importSeconds, reindexSeconds, reindex.body()));
        report.add("  " + ours);
        report.add("  " + stock);
        report.add(String.format("  lookup p50 / stock search p50       %8.3f", (double) ours.p50Micros() / stock.p50Micros()));
    }

    /** The identifier mapper as the README installs it and the sample realm has it: in a default client scope. */
    private void identifierScope() {
        mapper(false);
        AdminApi admin = admin();
        String scopeId = AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/client-scopes", Map.of(
                "name", "customer-identifier", "protocol", "openid-connect",
                "attributes", Map.of("include.in.token.scope", "false"))));
        AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/client-scopes/" + scopeId + "/protocol-mappers/models",
                Map.of("name", "identifier", "protocol", "openid-connect",
                        "protocolMapper", "oidc-customer-auth-identifier-mapper", "config", Map.of(
                                "access.token.claim", "true", "id.token.claim", "true",
                                "introspection.token.claim", "true"))));
        check(admin.put("/admin/realms/" + REALM + "/clients/" + admin.clientUuid(REALM, CLIENT)
                + "/default-client-scopes/" + scopeId, Map.of()));
    }

    private void mapper(boolean on) {
        AdminApi admin = admin();
        String path = "/admin/realms/" + REALM + "/clients/" + admin.clientUuid(REALM, CLIENT) + "/protocol-mappers/models";
        for (Map<String, Object> existing : admin.getJsonList(path)) {
            check(admin.delete(path + "/" + existing.get("id")));
        }
        if (on) {
            AdminApi.createdId(admin.post(path, Map.of("name", "identifier", "protocol", "openid-connect",
                    "protocolMapper", "oidc-customer-auth-identifier-mapper", "config", Map.of(
                            "access.token.claim", "true", "id.token.claim", "true", "introspection.token.claim", "true"))));
        }
    }

    private static void assertClaim(String tokenUrl, Map<String, String> form, boolean expected) {
        Map<String, Object> claims = Http.claims((String) Http.json(check(Http.postForm(tokenUrl, form)).body())
                .get("access_token"));
        if (claims.containsKey("customer_id") != expected) {
            throw new IllegalStateException("mapper " + (expected ? "on" : "off") + " but claims are " + claims.keySet());
        }
    }

    private static double rate(double[] sum) {
        return sum[0] / sum[1];
    }

    private static HttpResponse<String> check(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(response.request().uri() + " -> " + response.statusCode() + " " + response.body());
        }
        return response;
    }
}
