package io.github.customerauth.linking;

import io.github.customerauth.identifier.IdentifierDerivation;
import io.github.customerauth.identifier.IdentifierKey;
import io.github.customerauth.linking.delivery.LinkingSettings;
import io.github.customerauth.simulator.LoginFlow;
import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.BadReceiver;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.Pause;
import io.github.customerauth.testsupport.PostgresServer;
import io.github.customerauth.testsupport.RawHttp;
import io.github.customerauth.testsupport.WebhookReceiver;
import io.github.customerauth.testsupport.Webhooks;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Keycloak nodes (Infinispan cluster, JDBC_PING) sharing one PostgreSQL, with a healthy receiver and one that
 * never answers: logins spread over both nodes are all delivered to the healthy one exactly once, each under one
 * event id, and both nodes answer the same links.
 */
class LinkingClusterIT {

    static final String REALM = "customers";
    static final int LOGINS = 1000;
    static final int CUSTOMERS = 20;
    static final String PASSWORD = "Test-only-1!";
    static final IdentifierDerivation VECTOR = new IdentifierDerivation(IdentifierKey.of("1", KeycloakSuite.VECTOR_KEY));

    static PostgresServer postgres;
    static KeycloakServer nodeA;
    static KeycloakServer nodeB;
    static WebhookReceiver receiver;
    static BadReceiver silent;

    @BeforeAll
    static void startCluster() {
        Path target = Path.of(System.getProperty("kc.work.dir")).getParent();
        postgres = new PostgresServer(15432).start();
        postgres.createDatabase("keycloak");
        nodeA = node(target.resolve("cluster-a"), 18180, 7800);
        nodeB = node(target.resolve("cluster-b"), 18280, 7801);
        nodeA.start();
        nodeB.start();
        receiver = new WebhookReceiver().start();
        silent = new BadReceiver(BadReceiver.Kind.SILENT).start();
    }

    @AfterAll
    static void stopCluster() {
        if (nodeB != null) {
            nodeB.stop();
        }
        if (nodeA != null) {
            nodeA.stop();
        }
        if (receiver != null) {
            receiver.stop();
        }
        if (silent != null) {
            silent.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void loginsOnBothNodesAreDeliveredOnceEachAndLinksAgree() throws Exception {
        AdminApi admin = AdminApi.asBootstrapAdmin(nodeA);
        for (String url : List.of(receiver.url(), silent.url())) {
            Webhooks.create(admin, REALM, "cluster-" + url, url);
        }
        List<String> usernames = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            String username = "cluster" + i;
            AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/users", Map.of("username", username,
                    "enabled", true, "email", username + "@customers.example.test", "firstName", "C", "lastName", "N",
                    "attributes", Map.of("accountNumber", List.of("77" + String.format("%06d", i))),
                    "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)))));
            usernames.add(username);
        }

        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> logins = new ArrayList<>();
        for (int i = 0; i < LOGINS; i++) {
            KeycloakServer node = i % 2 == 0 ? nodeA : nodeB;
            String username = usernames.get(i % CUSTOMERS);
            logins.add(pool.submit(() -> login(node, username)));
        }
        Set<String> sessions = new HashSet<>();
        for (Future<String> login : logins) {
            sessions.add(login.get());
        }
        pool.shutdown();
        assertThat(sessions).hasSize(LOGINS);

        Set<String> customerIds = IntStream.range(0, CUSTOMERS)
                .mapToObj(i -> VECTOR.derive("77" + String.format("%06d", i))).collect(Collectors.toSet());
        List<WebhookReceiver.Delivery> loginDeliveries = awaitLogins(customerIds, sessions);
        Map<String, Set<String>> idsPerSession = loginDeliveries.stream().collect(Collectors.groupingBy(
                d -> (String) d.json().get("session_id"), Collectors.mapping(WebhookReceiver.Delivery::eventId, Collectors.toSet())));
        assertThat(idsPerSession.keySet()).containsExactlyInAnyOrderElementsOf(sessions);
        assertThat(idsPerSession.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
        assertThat(loginDeliveries).as("beside a receiver that never answers, no message went out twice")
                .hasSize(sessions.size());

        // The logins went through test-console, which is on no partner's channel list: read links as an admin.
        AdminApi adminA = AdminApi.asBootstrapAdmin(nodeA);
        AdminApi adminB = AdminApi.asBootstrapAdmin(nodeB);
        for (String customerId : customerIds) {
            String path = "/admin/realms/" + REALM + "/customer-links/" + customerId + "?max=100";
            assertThat(adminA.getJson(path)).containsEntry("total", LOGINS / CUSTOMERS).isEqualTo(adminB.getJson(path));
        }
    }

    /**
     * A refresh's count waits, in the writer's flush, on a link row that another transaction deletes (as a user's
     * removal does); once that transaction commits, the link is gone and the flush must not make it again. Held open
     * in psql on the cluster's PostgreSQL, so that the flush demonstrably waits on the row.
     */
    @Test
    void aRefreshCountThatWaitedOnADeletedLinkDoesNotBringItBack() {
        AdminApi admin = AdminApi.asBootstrapAdmin(nodeA);
        LoggedIn customer = loggedIn(admin, "held-", "78");
        String sessionId = customer.sessionId();
        String linksPath = "/admin/realms/" + REALM + "/customer-links/" + customer.customerId();
        assertThat(admin.getJson(linksPath)).containsEntry("total", 1);

        try (PostgresServer.Session held = postgres.session("keycloak")) {
            held.send("BEGIN;").send("DELETE FROM ca_link WHERE session_id = '" + sessionId + "';");
            refresh(customer);
            awaitLockWaits(1, "update %ca_link%", "the writer's flush waiting on the deleted link");
            held.send("COMMIT;");
        }
        awaitLockWaits(0, "update %ca_link%", "no waiting flush");
        // One more flush interval: a link made again would be committed by then.
        Pause.millis(LinkingSettings.SIGHTING_FLUSH_INTERVAL.defaultValue() + 1_000);
        assertThat(postgres.query("keycloak", "SELECT count(*) FROM ca_link WHERE session_id = '" + sessionId + "'"))
                .isEqualTo("0");
        assertThat(admin.getJson(linksPath)).containsEntry("total", 0);
    }

    /**
     * A refresh that needs a new link (its link was deleted) while the customer's removal is under way: the writer's
     * flush waits on the user's row, which the removal holds, and the removal deletes whatever the flush wrote. Here
     * psql holds the row first, so that the flush and then the admin's removal demonstrably queue behind it.
     */
    @Test
    void aCountWrittenWhileItsUserIsBeingRemovedLeavesNoLink() throws Exception {
        AdminApi admin = AdminApi.asBootstrapAdmin(nodeA);
        LoggedIn customer = loggedIn(admin, "removed-", "79");
        String sessionId = customer.sessionId();
        String userId = customer.userId();
        postgres.query("keycloak", "DELETE FROM ca_link WHERE session_id = '" + sessionId + "'");

        ExecutorService removal = Executors.newSingleThreadExecutor();
        try (PostgresServer.Session held = postgres.session("keycloak")) {
            held.send("BEGIN;").send("SELECT id FROM user_entity WHERE id = '" + userId + "' FOR UPDATE;");
            refresh(customer);
            awaitLockWaits(1, "%from user_entity%for %", "the writer's flush waiting on the user's row");
            Future<Integer> deleted = removal.submit(() -> AdminApi.asBootstrapAdmin(nodeB)
                    .delete("/admin/realms/" + REALM + "/users/" + userId).statusCode());
            awaitLockWaits(2, "%from user_entity%for %", "the removal queued behind the flush");
            held.send("COMMIT;");
            assertThat(deleted.get()).isEqualTo(204);
        } finally {
            removal.shutdown();
        }
        assertThat(postgres.query("keycloak", "SELECT count(*) FROM ca_link WHERE session_id = '" + sessionId + "'"))
                .isEqualTo("0");
        assertThat(admin.getJson("/admin/realms/" + REALM + "/customer-links/" + customer.customerId()))
                .containsEntry("total", 0);
    }

    /**
     * Two nodes make the same missing link at once (a refresh on each, of a session whose link is gone): one row
     * stays, and an admin's end of the session sends one {@code SESSION_ENDED}. A trigger holds every link insert for
     * two seconds, so that each node's writer would otherwise miss the other's link, not committed yet, and make its
     * own; here the second waits on the user's row, and finds the first's link once it has committed.
     */
    @Test
    void twoNodesMakingTheSameLinkAtOnceLeaveOneLinkAndOneSessionEnd() throws Exception {
        AdminApi admin = AdminApi.asBootstrapAdmin(nodeA);
        WebhookReceiver heard = new WebhookReceiver().start();
        String webhookId = Webhooks.create(admin, REALM, "race-receiver", heard.url(), Webhooks.EVERY_TYPE);
        LoggedIn customer = loggedIn(admin, "race-", "82");
        String sessionId = customer.sessionId();
        String rows = "SELECT count(*) FROM ca_link WHERE session_id = '" + sessionId + "'";
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            postgres.query("keycloak", "DELETE FROM ca_link WHERE session_id = '" + sessionId + "';"
                    + " CREATE FUNCTION ca_slow_link() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " PERFORM pg_sleep(2); RETURN NEW; END $$;"
                    + " CREATE TRIGGER ca_slow_link BEFORE INSERT ON ca_link FOR EACH ROW EXECUTE FUNCTION ca_slow_link();");
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Map<String, Object>>> refreshes = new ArrayList<>();
            for (KeycloakServer node : List.of(nodeA, nodeB)) {
                refreshes.add(nodes.submit(() -> {
                    start.await();
                    return tokensAddressedToNodeA(node, Map.of("grant_type", "refresh_token",
                            "client_id", "test-console", "refresh_token", (String) customer.tokens().get("refresh_token")));
                }));
            }
            start.countDown();
            awaitLockWaits(1, "%from user_entity%for %", "one node's writer waiting on the user's row for the other's");
            for (Future<Map<String, Object>> refresh : refreshes) {
                assertThat(refresh.get()).containsKey("access_token");
            }
            assertThat(postgres.query("keycloak", rows)).as("links of the session").isEqualTo("1");

            assertThat(admin.delete("/admin/realms/" + REALM + "/sessions/" + sessionId).statusCode()).isEqualTo(204);
            long deadline = System.currentTimeMillis() + 120_000;
            while (sessionEnds(heard, sessionId) == 0 && System.currentTimeMillis() < deadline) {
                Pause.millis(500);
            }
            // Time for a second message, had a second link been ended too.
            Pause.millis(3_000);
            assertThat(sessionEnds(heard, sessionId)).as("SESSION_ENDED deliveries").isEqualTo(1);
        } finally {
            nodes.shutdownNow();
            postgres.query("keycloak", "DROP TRIGGER IF EXISTS ca_slow_link ON ca_link;"
                    + " DROP FUNCTION IF EXISTS ca_slow_link();");
            admin.delete("/admin/realms/" + REALM + "/components/" + webhookId);
            heard.stop();
        }
    }

    /**
     * A token request sent to {@code node} under node A's name, as behind a load balancer with one host name: node A
     * issued the refresh token, and Keycloak checks its issuer against the name the request came to.
     */
    private static Map<String, Object> tokensAddressedToNodeA(KeycloakServer node, Map<String, String> form) {
        String answer = RawHttp.exchange(URI.create(node.baseUrl()).getPort(),
                URI.create(nodeA.baseUrl()).getAuthority(), "POST /realms/" + REALM
                        + "/protocol/openid-connect/token HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded",
                Http.form(form).getBytes(StandardCharsets.UTF_8));
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertThat(RawHttp.status(answer)).as(body).isEqualTo(200);
        return Http.json(body);
    }

    private static long sessionEnds(WebhookReceiver heard, String sessionId) {
        return heard.accepted().stream().filter(d -> "SESSION_ENDED".equals(d.json().get("type"))
                && sessionId.equals(d.json().get("session_id"))).count();
    }

    /**
     * A node with four database connections, right after its start, gets sixteen first token requests of distinct
     * customers at once: each request uses its own connection only, so every token carries the customer's identifier
     * and no request waits for the pool's acquisition timeout.
     */
    @Test
    void sixteenFirstTokenRequestsOnAFourConnectionPoolAllGetTheIdentifier() throws Exception {
        Path target = Path.of(System.getProperty("kc.work.dir")).getParent();
        postgres.createDatabase("smallpool");
        KeycloakServer small = new KeycloakServer(new KeycloakServer.Settings(
                Path.of(System.getProperty("kc.dist.dir")), Path.of(System.getProperty("provider.jar")),
                Path.of(System.getProperty("realm.export.dir")), target.resolve("cluster-smallpool"),
                Path.of(System.getProperty("kc.server.java.home")), 18480, 19400,
                Map.of(REALM + "_customer-id-key", KeycloakSuite.VECTOR_KEY,
                        REALM + "_webhook-secret", KeycloakSuite.WEBHOOK_SECRET),
                Stream.concat(postgres.keycloakOptions("smallpool").stream(),
                        Stream.of("--cache=local", "--db-pool-max-size=4")).toList()));
        small.start();
        ExecutorService customers = Executors.newFixedThreadPool(16);
        try {
            AdminApi admin = AdminApi.asBootstrapAdmin(small);
            Webhooks.create(admin, REALM, "pool-receiver", receiver.url());
            Map<String, String> expected = new HashMap<>();
            for (int i = 0; i < 16; i++) {
                String accountNumber = "83" + String.format("%06d", i);
                String username = "pool-" + i;
                AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/users", Map.of("username", username,
                        "enabled", true, "email", username + "@customers.example.test", "firstName", "C",
                        "lastName", "N", "attributes", Map.of("accountNumber", List.of(accountNumber)),
                        "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)))));
                expected.put(username, VECTOR.derive(accountNumber));
            }
            long mark = small.logMark();
            CountDownLatch start = new CountDownLatch(1);
            Map<String, Future<Map<String, Object>>> requests = new HashMap<>();
            for (String username : expected.keySet()) {
                requests.put(username, customers.submit(() -> {
                    start.await();
                    return tokens(small, Map.of("grant_type", "password", "client_id", "test-console",
                            "username", username, "password", PASSWORD));
                }));
            }
            start.countDown();
            for (Map.Entry<String, Future<Map<String, Object>>> request : requests.entrySet()) {
                assertThat(Http.claims((String) request.getValue().get().get("access_token")))
                        .as("access token of " + request.getKey())
                        .containsEntry("customer_id", expected.get(request.getKey()));
            }
            assertThat(small.logSince(mark)).as("server log").doesNotContainIgnoringCase("acquisition timeout")
                    .doesNotContain("not recorded");
        } finally {
            customers.shutdownNow();
            small.stop();
        }
    }

    /**
     * The database refuses every outbox write for three seconds (a trigger on PostgreSQL) while browsers log in to
     * the web chat on both nodes: a login or code exchange whose message could not be written fails, and every one
     * that was answered has its messages delivered.
     */
    @Test
    void whileTheDatabaseRefusesMessagesNoClientIsAnsweredWithoutItsMessage() throws Exception {
        AdminApi admin = AdminApi.asBootstrapAdmin(nodeA);
        WebhookReceiver heard = new WebhookReceiver().start();
        String webhookId = Webhooks.create(admin, REALM, "fault-receiver", heard.url());
        List<String> usernames = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            usernames.add(loggedIn(admin, "fault-", "81").username());
        }
        postgres.query("keycloak", "CREATE TABLE ca_fault_until (until TIMESTAMPTZ);"
                + " CREATE FUNCTION ca_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF EXISTS (SELECT 1 FROM"
                + " ca_fault_until WHERE until > clock_timestamp()) THEN RAISE EXCEPTION 'injected outbox fault'; END IF;"
                + " RETURN NEW; END $$;"
                + " CREATE TRIGGER ca_fault BEFORE INSERT ON ca_outbox FOR EACH ROW EXECUTE FUNCTION ca_fault();");
        ExecutorService browsers = Executors.newFixedThreadPool(4);
        try {
            long stopAt = System.currentTimeMillis() + 12_000;
            List<Future<List<String>>> answered = new ArrayList<>();
            AtomicInteger failed = new AtomicInteger();
            for (int b = 0; b < 4; b++) {
                int browser = b;
                answered.add(browsers.submit(() -> {
                    List<String> sessions = new ArrayList<>();
                    for (int i = 0; System.currentTimeMillis() < stopAt; i++) {
                        KeycloakServer node = i % 2 == 0 ? nodeA : nodeB;
                        String username = usernames.get(browser * 2 + i % 2);
                        try {
                            LoginFlow.Result result = new LoginFlow(node.baseUrl(), REALM, "web-chat",
                                    "http://localhost:3000/callback").login(username, PASSWORD, null, null);
                            if (result.outcome() == LoginFlow.Outcome.TOKENS) {
                                sessions.add((String) Http.claims(result.field("id_token")).get("sid"));
                            } else {
                                failed.incrementAndGet();
                            }
                        } catch (IllegalStateException refused) {
                            failed.incrementAndGet();
                        }
                    }
                    return sessions;
                }));
            }
            Pause.millis(3_000);
            postgres.query("keycloak", "INSERT INTO ca_fault_until VALUES (clock_timestamp() + interval '3 seconds')");
            Set<String> sessions = new HashSet<>();
            for (Future<List<String>> browser : answered) {
                sessions.addAll(browser.get());
            }
            assertThat(failed.get()).as("requests that met the fault").isPositive();
            assertThat(sessions).as("answered logins").isNotEmpty();

            long deadline = System.currentTimeMillis() + 60_000;
            Set<String> missing = new HashSet<>(sessions);
            while (!missing.isEmpty() && System.currentTimeMillis() < deadline) {
                Pause.millis(500);
                Set<String> heardCode = heard.accepted().stream()
                        .filter(d -> "CODE_TO_TOKEN".equals(d.json().get("type")))
                        .map(d -> (String) d.json().get("session_id")).collect(Collectors.toSet());
                Set<String> heardLogin = heard.accepted().stream().filter(d -> "LOGIN".equals(d.json().get("type")))
                        .map(d -> (String) d.json().get("session_id")).collect(Collectors.toSet());
                missing.removeIf(session -> heardCode.contains(session) && heardLogin.contains(session));
            }
            assertThat(missing).as("answered logins of " + sessions.size() + " (" + failed.get()
                    + " refused) whose LOGIN or CODE_TO_TOKEN never came").isEmpty();
        } finally {
            browsers.shutdownNow();
            postgres.query("keycloak", "DROP TRIGGER ca_fault ON ca_outbox; DROP FUNCTION ca_fault(); DROP TABLE ca_fault_until;");
            admin.delete("/admin/realms/" + REALM + "/components/" + webhookId);
            heard.stop();
        }
    }

    private record LoggedIn(String username, String userId, String customerId, Map<String, Object> tokens,
                            String sessionId) {
    }

    /** A new customer of the realm, logged in on node A through test-console: one link. */
    private static LoggedIn loggedIn(AdminApi admin, String prefix, String accountPrefix) {
        String accountNumber = accountPrefix + String.format("%06d", System.nanoTime() % 1_000_000);
        String username = prefix + accountNumber;
        String userId = AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/users", Map.of("username", username,
                "enabled", true, "email", username + "@customers.example.test", "firstName", "C", "lastName", "N",
                "attributes", Map.of("accountNumber", List.of(accountNumber)),
                "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)))));
        Map<String, Object> tokens = tokens(nodeA, Map.of("grant_type", "password", "client_id", "test-console",
                "username", username, "password", PASSWORD));
        return new LoggedIn(username, userId, VECTOR.derive(accountNumber), tokens,
                (String) Http.claims((String) tokens.get("access_token")).get("sid"));
    }

    private static void refresh(LoggedIn customer) {
        tokens(nodeA, Map.of("grant_type", "refresh_token", "client_id", "test-console",
                "refresh_token", (String) customer.tokens().get("refresh_token")));
    }

    /** Waits until {@code count} statements like {@code queryLike} wait for a lock. */
    private static void awaitLockWaits(int count, String queryLike, String what) {
        String sql = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '"
                + queryLike + "'";
        long deadline = System.currentTimeMillis() + 30_000;
        while (!String.valueOf(count).equals(postgres.query("keycloak", sql))) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not seen within 30 s: " + what);
            }
            Pause.millis(200);
        }
    }

    private static Map<String, Object> tokens(KeycloakServer node, Map<String, String> form) {
        HttpResponse<String> response = Http.grant(node.baseUrl() + "/realms/" + REALM
                + "/protocol/openid-connect/token", form);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response.body());
    }

    private static List<WebhookReceiver.Delivery> awaitLogins(Set<String> customerIds, Set<String> sessions) {
        long deadline = System.currentTimeMillis() + 180_000;
        while (true) {
            List<WebhookReceiver.Delivery> logins = receiver.accepted().stream()
                    .filter(d -> "LOGIN".equals(d.json().get("type")) && customerIds.contains(d.json().get("customer_id")))
                    .toList();
            long distinctSessions = logins.stream().map(d -> d.json().get("session_id")).distinct().count();
            if (distinctSessions >= sessions.size()) {
                return logins;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("only " + distinctSessions + " of " + sessions.size() + " logins delivered");
            }
            Pause.millis(500);
        }
    }

    private static String login(KeycloakServer node, String username) {
        HttpResponse<String> response = Http.grant(node.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "test-console", "username", username, "password", PASSWORD));
        if (response.statusCode() != 200) {
            throw new IllegalStateException(node.baseUrl() + " login " + response.statusCode() + ": " + response.body());
        }
        return (String) Http.claims((String) Http.json(response.body()).get("access_token")).get("sid");
    }

    private static KeycloakServer node(Path workDir, int httpPort, int clusterPort) {
        return new KeycloakServer(new KeycloakServer.Settings(
                Path.of(System.getProperty("kc.dist.dir")), Path.of(System.getProperty("provider.jar")),
                Path.of(System.getProperty("realm.export.dir")), workDir,
                Path.of(System.getProperty("kc.server.java.home")), httpPort, httpPort + 920,
                Map.of(REALM + "_customer-id-key", KeycloakSuite.VECTOR_KEY,
                        REALM + "_webhook-secret", KeycloakSuite.WEBHOOK_SECRET),
                Stream.concat(postgres.keycloakOptions("keycloak").stream(), Stream.of("--cache=ispn",
                        "--cache-stack=jdbc-ping", "--cache-embedded-network-bind-address=127.0.0.1",
                        "--cache-embedded-network-bind-port=" + clusterPort,
                        "--spi-events-listener--customer-linking--dispatch-interval-ms=200")).toList()));
    }
}
