package io.github.customerauth.bench;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.WebhookReceiver;
import io.github.customerauth.testsupport.Webhooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How fast one node drains a backlog: {@code bench.customers} customers (1,000) each log in once and refresh their
 * token {@code bench.refreshes} times (9) while the node does not dispatch (interval of an hour), so that 10,000
 * messages wait in the outbox for one healthy receiver; then the node restarts with the shipped dispatch settings
 * and the benchmark times the deliveries, checks that each message arrived exactly once and each customer's in
 * order. Run with {@code mvn -Pbench verify -Dbench.main=io.github.customerauth.bench.BacklogDrainBenchmark}
 * ({@code -Dbench.db=postgres} for PostgreSQL).
 */
public final class BacklogDrainBenchmark {

    private static final String CLIENT = "bench";
    private static final String SECRET = "bench-secret";
    private static final int CONCURRENCY = 8;

    private BacklogDrainBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int customers = Integer.getInteger("bench.customers", 1_000);
        int refreshes = Integer.getInteger("bench.refreshes", 9);
        int expected = customers * (1 + refreshes);
        List<String> report = new ArrayList<>();
        try (BenchServer bench = new BenchServer(); WebhookReceiver receiver = new WebhookReceiver().start()) {
            KeycloakServer server = bench.start(List.of(BenchServer.CONCURRENT_LOGINS,
                    "--spi-events-listener--customer-linking--dispatch-interval-ms=3600000"));
            report.add("(" + bench.describe() + ")");
            setUpRealm(server, receiver.url(), customers);
            long fillStart = System.nanoTime();
            fill(server, customers, refreshes);
            double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
            if (!receiver.all().isEmpty()) {
                throw new IllegalStateException("the node delivered while filling; the backlog is not a backlog");
            }

            server = bench.start(List.of(BenchServer.CONCURRENT_LOGINS));
            long ready = System.currentTimeMillis();
            long deadline = ready + 600_000;
            while (receiver.accepted().size() < expected && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            Thread.sleep(2_000);
            List<WebhookReceiver.Delivery> accepted = receiver.accepted();
            Set<String> ids = new HashSet<>();
            int duplicates = 0;
            for (WebhookReceiver.Delivery delivery : accepted) {
                duplicates += ids.add(delivery.eventId()) ? 0 : 1;
            }
            int outOfOrder = outOfOrder(accepted);
            long first = accepted.stream().mapToLong(WebhookReceiver.Delivery::receivedAt).min().orElse(ready);
            long last = accepted.stream().mapToLong(WebhookReceiver.Delivery::receivedAt).max().orElse(ready);
            report.add(String.format("Backlog drain: %d messages of %d customers (filled in %.0f s), one healthy"
                    + " receiver, one node, shipped dispatch settings:", expected, customers, fillSeconds));
            report.add(String.format("  delivered %d distinct of %d, %d duplicates, %d out of order per customer",
                    ids.size(), expected, duplicates, outOfOrder));
            report.add(String.format("  first to last delivery %.1f s: %.0f messages/s (target >= 500)",
                    (last - first) / 1000.0, (ids.size() - 1) * 1000.0 / Math.max(1, last - first)));
            report.add(String.format("  from the node being ready to the last delivery %.1f s: %.0f messages/s",
                    (last - ready) / 1000.0, ids.size() * 1000.0 / Math.max(1, last - ready)));
            if (ids.size() != expected || duplicates > 0 || outOfOrder > 0) {
                report.add("  FAILED: every message exactly once and in order was expected");
            }
        } finally {
            Files.write(resultsFile(), report);
            System.out.println("\n==== results ====");
            report.forEach(System.out::println);
        }
    }

    private static Path resultsFile() {
        return Path.of(System.getProperty("kc.work.dir")).resolve("drain-results.txt");
    }

    /** Messages that reached the receiver before an earlier event of the same customer. */
    private static int outOfOrder(List<WebhookReceiver.Delivery> accepted) {
        Map<String, Instant> latest = new HashMap<>();
        int count = 0;
        for (WebhookReceiver.Delivery delivery : accepted) {
            Map<String, Object> json = delivery.json();
            Instant time = Instant.parse((String) json.get("time"));
            Instant before = latest.put((String) json.get("customer_id"), time);
            if (before != null && time.isBefore(before)) {
                count++;
            }
        }
        return count;
    }

    private static void setUpRealm(KeycloakServer server, String receiverUrl, int customers) {
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        String realm = BenchServer.REALM;
        AdminApi.createdId(admin.post("/admin/realms", Map.of("realm", realm, "enabled", true,
                "eventsListeners", List.of("customer-linking"))));
        Map<String, Object> profile = admin.getJson("/admin/realms/" + realm + "/users/profile");
        profile.put("unmanagedAttributePolicy", "ENABLED");
        Load.check(admin.put("/admin/realms/" + realm + "/users/profile", profile));
        String clientUuid = AdminApi.createdId(admin.post("/admin/realms/" + realm + "/clients", Map.of(
                "clientId", CLIENT, "publicClient", false, "secret", SECRET, "directAccessGrantsEnabled", true,
                "standardFlowEnabled", false)));
        AdminApi.createdId(admin.post("/admin/realms/" + realm + "/clients/" + clientUuid + "/protocol-mappers/models",
                Map.of("name", "identifier", "protocol", "openid-connect",
                        "protocolMapper", "oidc-customer-auth-identifier-mapper",
                        "config", Map.of("access.token.claim", "true"))));
        // Refreshes included: by default a receiver gets no REFRESH_TOKEN messages.
        Webhooks.create(admin, realm, "bench-receiver", receiverUrl, List.of("LOGIN", "REFRESH_TOKEN"));
        for (int batch = 0; batch < customers; batch += 500) {
            List<Map<String, Object>> page = new ArrayList<>();
            for (int i = batch; i < Math.min(customers, batch + 500); i++) {
                page.add(Map.of("username", "drain" + i, "enabled", true, "email", "drain" + i + "@bench.example.test",
                        "firstName", "D", "lastName", "B",
                        "attributes", Map.of("accountNumber", List.of(String.format("DRAIN-%06d", i))),
                        "credentials", List.of(Map.of("type", "password", "value", "bench", "temporary", false))));
            }
            Load.check(admin.post("/admin/realms/" + realm + "/partialImport", Map.of("ifResource", "SKIP", "users", page)));
        }
    }

    /** Each customer logs in, then refreshes one after another (its events in order); customers in parallel. */
    private static void fill(KeycloakServer server, int customers, int refreshes) throws Exception {
        String tokenUrl = server.baseUrl() + "/realms/" + BenchServer.REALM + "/protocol/openid-connect/token";
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < customers; i++) {
            String username = "drain" + i;
            work.add(pool.submit(() -> {
                Map<String, Object> tokens = Http.json(Load.check(Http.postForm(tokenUrl, Map.of("grant_type", "password",
                        "client_id", CLIENT, "client_secret", SECRET, "username", username, "password", "bench"))).body());
                if (!Http.claims((String) tokens.get("access_token")).containsKey("customer_id")) {
                    throw new IllegalStateException("no customer_id in the token of " + username);
                }
                for (int r = 0; r < refreshes; r++) {
                    Load.check(Http.postForm(tokenUrl, Map.of("grant_type", "refresh_token", "client_id", CLIENT,
                            "client_secret", SECRET, "refresh_token", (String) tokens.get("refresh_token"))));
                }
                return null;
            }));
        }
        try {
            for (Future<?> future : work) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
