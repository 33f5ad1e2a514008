package io.github.customerauth.linking;

import io.github.customerauth.identifier.IdentifierDerivation;
import io.github.customerauth.identifier.IdentifierKey;
import io.github.customerauth.simulator.LoginFlow;
import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.BrowserLogin;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.MonitoringFiles;
import io.github.customerauth.testsupport.PartnerApi;
import io.github.customerauth.testsupport.Pause;
import io.github.customerauth.testsupport.SignatureVerifier;
import io.github.customerauth.testsupport.WebhookReceiver;
import io.github.customerauth.testsupport.Webhooks;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.github.customerauth.testsupport.KeycloakSuite.REALM;
import static org.assertj.core.api.Assertions.assertThat;

/** Conversation linking end to end: events become links and signed webhooks that survive outages and kill -9. */
@ExtendWith(KeycloakSuite.class)
class LinkingIT {

    static final String PASSWORD = "Test-only-1!";
    static final Duration WAIT = Duration.ofSeconds(30);
    static final IdentifierDerivation VECTOR = new IdentifierDerivation(IdentifierKey.of("1", KeycloakSuite.VECTOR_KEY));
    static final AtomicInteger CUSTOMERS = new AtomicInteger();

    static KeycloakServer server;
    static AdminApi admin;
    static WebhookReceiver receiver;
    static String webhookId;
    static PartnerApi partner;

    @BeforeAll
    static void setUp() {
        server = KeycloakSuite.server();
        admin = AdminApi.asBootstrapAdmin(server);
        receiver = new WebhookReceiver().start();
        // Every type, refreshes included (the default leaves them out: RefreshSightingsIT).
        webhookId = Webhooks.create(admin(), REALM, "it-receiver", receiver.url(), Webhooks.EVERY_TYPE);
        partner = new PartnerApi(server, REALM, "partner-backend", "partner-backend-secret-test-only");
    }

    @AfterAll
    static void tearDown() {
        AdminApi.asBootstrapAdmin(server).delete("/admin/realms/" + REALM + "/components/" + webhookId);
        receiver.stop();
    }

    @Test
    void aLoginBecomesSignedImpersonalWebhooksInOrder() {
        Customer customer = Customer.create();

        new BrowserLogin(server.baseUrl(), REALM, "web-chat", "http://localhost:3000/callback").login(customer.username, PASSWORD);

        WebhookReceiver.Delivery login = receiver.await(of(customer, "LOGIN"), WAIT);
        WebhookReceiver.Delivery code = receiver.await(of(customer, "CODE_TO_TOKEN"), WAIT);
        assertThat(SignatureVerifier.verify(KeycloakSuite.WEBHOOK_SECRET, login.signature(), login.body(),
                System.currentTimeMillis() / 1000, 300)).isTrue();
        assertThat(SignatureVerifier.verify("another-secret", login.signature(), login.body(),
                System.currentTimeMillis() / 1000, 300)).isFalse();
        assertThat(login.json()).containsOnlyKeys("id", "type", "seq", "time", "realm", "customer_id", "channel", "session_id")
                .containsEntry("channel", "web-chat").containsEntry("id", login.eventId());
        assertThat(login.body()).doesNotContain(customer.username, customer.accountNumber, "127.0.0.1");
        assertThat(login.receivedAt()).isLessThanOrEqualTo(code.receivedAt());
        assertThat(code.json().get("session_id")).isEqualTo(login.json().get("session_id"));
    }

    @Test
    void theChatsAnonymousConversationReachesTheLoginWebhookAndNothingElse() {
        Customer customer = Customer.create();
        String handle = "anon-conv-" + UUID.randomUUID();

        Map<String, Object> tokens = new BrowserLogin(server.baseUrl(), REALM, "web-chat", "http://localhost:3000/callback")
                .withAuthorizationParameter("conversation_handle", handle).login(customer.username, PASSWORD);

        WebhookReceiver.Delivery code = receiver.await(of(customer, "CODE_TO_TOKEN"), WAIT);
        assertThat(code.json()).containsEntry("conversation_handle", handle)
                .containsEntry("customer_id", customer.identifier).containsEntry("channel", "web-chat");
        assertThat(receiver.await(of(customer, "LOGIN"), WAIT).body()).doesNotContain(handle);
        StringBuilder echoed = new StringBuilder(Http.toJson(tokens));
        for (String token : List.of("access_token", "id_token", "refresh_token")) {
            echoed.append(Http.toJson(Http.claims((String) tokens.get(token))));
        }
        echoed.append(Http.toJson(partner.introspect((String) tokens.get("access_token"))));
        HttpResponse<String> userinfo = Http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/realms/"
                + REALM + "/protocol/openid-connect/userinfo"))
                .header("Authorization", "Bearer " + tokens.get("access_token")).GET().build());
        echoed.append(userinfo.body());
        assertThat(echoed.toString()).doesNotContain(handle);
        Map<String, Object> refreshed = new BrowserLogin(server.baseUrl(), REALM, "web-chat",
                "http://localhost:3000/callback").refresh((String) tokens.get("refresh_token"));
        assertThat(Http.toJson(Http.claims((String) refreshed.get("access_token")))).doesNotContain(handle);
        assertThat(receiver.await(of(customer, "REFRESH_TOKEN"), WAIT).json()).doesNotContainKey("conversation_handle");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Jane Doe <jane@example.com>", "1234567890123456", "short-handle", "DE89370400440532013000",
            "maria.gonzalez.lopez"})
    void aConversationHandleThatIsNotAnOpaqueTokenIsLeftOut(String notAHandle) {
        Customer customer = Customer.create();

        new BrowserLogin(server.baseUrl(), REALM, "web-chat", "http://localhost:3000/callback")
                .withAuthorizationParameter("conversation_handle", notAHandle).login(customer.username, PASSWORD);

        WebhookReceiver.Delivery code = receiver.await(of(customer, "CODE_TO_TOKEN"), WAIT);
        assertThat(code.json()).doesNotContainKey("conversation_handle");
        assertThat(code.body()).doesNotContain(notAHandle);
    }

    @Test
    void aLoginLinkWithSomebodyElsesHandleBindsNothingUnlessTheAppRedeemsTheCode() {
        // An attacker sends the customer a login link carrying the attacker's anonymous conversation. The customer
        // has a single sign-on session, so the login completes without a click: LOGIN is recorded, but the code goes
        // to the chat app, which did not start this login and never redeems it.
        Customer customer = Customer.create();
        String attackersHandle = "anon-conv-" + UUID.randomUUID();
        LoginFlow flow = new LoginFlow(server.baseUrl(), REALM,
                "web-chat", "http://localhost:3000/callback");
        LoginFlow.Result result = flow.withAuthorizationParameter("conversation_handle",
                attackersHandle).withoutRedeemingTheCode().login(customer.username, PASSWORD, null, null);
        assertThat(result.outcome()).isEqualTo(LoginFlow.Outcome.CODE_NOT_REDEEMED);

        receiver.await(of(customer, "LOGIN"), WAIT);
        Pause.millis(2_000);
        assertThat(receiver.all().stream().map(WebhookReceiver.Delivery::body)).noneMatch(b -> b.contains(attackersHandle));
    }

    @Test
    void linksFollowTheCustomerAcrossChannelsRefreshAndLogout() {
        Customer customer = Customer.create();
        BrowserLogin web = new BrowserLogin(server.baseUrl(), REALM, "web-chat", "http://localhost:3000/callback");
        Map<String, Object> webLogin = web.login(customer.username, PASSWORD);
        new BrowserLogin(server.baseUrl(), REALM, "android-app", "com.example.chat.android:/oauth2redirect")
                .login(customer.username, PASSWORD);
        web.refresh((String) webLogin.get("refresh_token"));
        receiver.await(of(customer, "REFRESH_TOKEN"), WAIT);

        HttpResponse<String> logout = Http.postForm(server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/logout",
                Map.of("client_id", "web-chat", "refresh_token", (String) webLogin.get("refresh_token")));
        assertThat(logout.statusCode()).isEqualTo(204);
        receiver.await(of(customer, "LOGOUT"), WAIT);

        Map<String, Object> links = partner.call("links", "unused", Map.of("customer_id", customer.identifier));
        assertThat(links).containsEntry("customer_id", customer.identifier).containsEntry("total", 2);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) links.get("links");
        Map<String, Map<String, Object>> byChannel = rows.stream()
                .collect(Collectors.toMap(r -> (String) r.get("channel"), r -> r));
        assertThat(byChannel.get("web-chat")).containsEntry("events", 3).containsEntry("end_reason", "logout")
                .containsKey("ended_at");
        assertThat(byChannel.get("android-app")).containsEntry("events", 2).doesNotContainKey("ended_at");
        assertThat(rows.toString()).doesNotContain(customer.username, customer.accountNumber);
    }

    @Test
    void aReceiverOutageLosesNothingAndKeepsEachCustomersOrder() {
        Customer customer = Customer.create();
        threeLoginsDuringAnOutage(customer, 3, () -> { });

        List<String> loginIds = awaitAccepted(customer, "LOGIN", 3);

        List<WebhookReceiver.Delivery> accepted = about(customer, receiver.accepted());
        assertThat(accepted).extracting(WebhookReceiver.Delivery::eventId).doesNotHaveDuplicates();
        assertThat(accepted).extracting(d -> Instant.parse((String) d.json().get("time"))).isSorted();
        assertThat(loginIds).hasSize(3);
    }

    /** A claim takes a customer's pending messages together; the first one failing holds back the rest. */
    @Test
    void aFailedMessageHoldsBackItsCustomersLaterOnesInTheSameClaim() {
        Customer customer = Customer.create();
        // The three are pending after the first attempt: the next claim takes them together, and the first fails
        // once more.
        threeLoginsDuringAnOutage(customer, 1,
                () -> receiver.failNext(json -> customer.identifier.equals(json.get("customer_id"))));

        List<String> loginIds = awaitAccepted(customer, "LOGIN", 3);

        List<WebhookReceiver.Delivery> all = about(customer, receiver.all());
        int firstAccepted = all.indexOf(all.stream().filter(d -> d.answeredStatus() == 204).findFirst().orElseThrow());
        assertThat(all.subList(0, firstAccepted)).as("only the first message is tried until it is accepted")
                .extracting(WebhookReceiver.Delivery::eventId).containsOnly(loginIds.get(0));
        assertThat(loginIds).doesNotHaveDuplicates();
        assertThat(all.stream().filter(d -> d.answeredStatus() == 204).map(d -> Instant.parse((String) d.json().get("time"))))
                .isSorted();
    }

    @Test
    void messagesPendingWhenKeycloakIsKilledAreSentAfterTheRestart() {
        Customer customer = Customer.create();
        receiver.answer(503);
        directGrant(customer);
        directGrant(customer);
        awaitAttempted(customer, 2);
        // The dev-file H2 database writes committed changes to disk up to a second later (its write delay); a
        // production database has no such window. Let it reach the disk, then kill.
        Pause.millis(3_000);

        server.kill();
        receiver.answer(204);
        server.start();

        assertThat(awaitAccepted(customer, "LOGIN", 2)).doesNotHaveDuplicates();
        admin = AdminApi.asBootstrapAdmin(server);
    }

    @Test
    void aSessionEndedByAnAdminIsReportedFromTheAdminsRequest() {
        Customer customer = Customer.create();
        String token = directGrant(customer);
        String sessionId = (String) Http.claims(token).get("sid");

        assertThat(admin().delete("/admin/realms/" + REALM + "/sessions/" + sessionId).statusCode()).isEqualTo(204);

        WebhookReceiver.Delivery ended = receiver.await(of(customer, "SESSION_ENDED"), WAIT);
        assertThat(ended.json()).containsEntry("session_id", sessionId).containsEntry("channel", "test-console");
        assertThat(admin().getJson("/admin/realms/" + REALM + "/customer-links/" + customer.identifier).get("links"))
                .asList().singleElement().asInstanceOf(InstanceOfAssertFactories.MAP)
                .as("ended in the admin's request, not by the sweep").containsEntry("end_reason", "admin_revoked");
    }

    @Test
    void deletingTheUserRemovesItsLinksAndTellsThePlatform() {
        Customer customer = Customer.create();
        directGrant(customer);
        receiver.await(of(customer, "LOGIN"), WAIT);

        assertThat(admin().delete("/admin/realms/" + REALM + "/users/" + customer.userId).statusCode()).isEqualTo(204);

        receiver.await(of(customer, "CUSTOMER_DELETED"), WAIT);
        assertThat(partner.call("links", "unused", Map.of("customer_id", customer.identifier))).containsEntry("total", 0);
    }

    @Test
    void changingTheAccountNumberTellsThePlatformOldAndNewIdentifiers() {
        Customer customer = Customer.create();
        directGrant(customer);
        receiver.await(of(customer, "LOGIN"), WAIT);
        String newAccount = customer.accountNumber + "9";

        Map<String, Object> user = admin().getJson("/admin/realms/" + REALM + "/users/" + customer.userId);
        user.put("attributes", Map.of("accountNumber", List.of(newAccount)));
        assertThat(admin().put("/admin/realms/" + REALM + "/users/" + customer.userId, user).statusCode()).isEqualTo(204);

        String newIdentifier = VECTOR.derive(newAccount);
        WebhookReceiver.Delivery changed = receiver.await(json -> "CUSTOMER_IDENTIFIER_CHANGED".equals(json.get("type"))
                && newIdentifier.equals(json.get("customer_id")), WAIT);
        assertThat(changed.json()).containsEntry("previous_customer_id", customer.identifier);
    }

    @Test
    void aReceiverThatNeverRecoversIsDeadLetteredThenReplayedByAnAdmin() {
        WebhookReceiver failing = new WebhookReceiver().start();
        failing.answer(500);
        String failingId = createWebhook("it-failing", failing.url());
        try {
            Customer customer = Customer.create();
            directGrant(customer);
            Map<String, Object> dead = Webhooks.awaitDeadLetter(admin(), REALM,
                    letter -> customer.identifier.equals(letter.get("customer_id")));
            assertThat(dead).containsEntry("webhook_id", failingId).containsEntry("status", "DEAD")
                    .containsEntry("last_error", "HTTP 500");

            failing.answer(204);
            HttpResponse<String> replay = admin().post("/admin/realms/" + REALM + "/customer-links/dead-letters/"
                    + dead.get("id") + "/replay", null);
            assertThat(replay.statusCode()).isEqualTo(200);

            failing.await(json -> customer.identifier.equals(json.get("customer_id")), WAIT);
        } finally {
            admin().delete("/admin/realms/" + REALM + "/components/" + failingId);
            failing.stop();
        }
    }

    @Test
    void aPartnerReadsLinksButOtherClientsCannot() {
        HttpResponse<String> malformed = partner.post("links", Map.of("customer_id", "12345678"));
        HttpResponse<String> notPartner = new PartnerApi(server, REALM, "test-console", "none")
                .post("links", Map.of("customer_id", VECTOR.derive("12345678")));

        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(notPartner.statusCode()).isEqualTo(401);
        assertThat(admin().getJson("/admin/realms/" + REALM + "/customer-links/" + VECTOR.derive("12345678")))
                .containsKey("links");
    }

    @Test
    void deliveriesShowOnKeycloaksMetricsEndpoint() {
        Customer customer = Customer.create();
        directGrant(customer);
        receiver.await(of(customer, "LOGIN"), WAIT);

        HttpResponse<String> metrics = Http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                + KeycloakSuite.MANAGEMENT_PORT + "/metrics")).build());

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("customer_auth_webhook_deliveries_total", "customer_auth_webhook_outbox_pending",
                "customer_auth_webhook_delivery_lag_seconds");
        Set<String> series = metrics.body().lines().filter(line -> !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toSet());
        // The docs' alert rules and dashboard read only metrics that exist, as Prometheus names them.
        assertThat(series).containsAll(MonitoringFiles.seriesNames());
        // Event-to-delivery lag as buckets that add up over nodes, with 1 s (the alert's threshold) a bucket's edge.
        assertThat(metrics.body()).contains("customer_auth_webhook_delivery_lag_seconds_bucket{")
                .containsPattern("customer_auth_webhook_delivery_lag_seconds_bucket\\{[^}]*le=\"1\\.0\"")
                .doesNotContainPattern("customer_auth_[a-z_]+\\{[^}]*quantile=");
    }

    /**
     * Three password logins while the receiver answers 503, until it has been tried {@code attempts} times for the
     * customer; then {@code beforeRecovery} runs and the receiver answers 204 again.
     */
    private static void threeLoginsDuringAnOutage(Customer customer, int attempts, Runnable beforeRecovery) {
        receiver.answer(503);
        try {
            for (int i = 0; i < 3; i++) {
                directGrant(customer);
            }
            awaitAttempted(customer, attempts);
            beforeRecovery.run();
        } finally {
            receiver.answer(204);
        }
    }

    private static List<WebhookReceiver.Delivery> about(Customer customer, List<WebhookReceiver.Delivery> deliveries) {
        return deliveries.stream().filter(d -> customer.identifier.equals(d.json().get("customer_id"))).toList();
    }

    private static void awaitAttempted(Customer customer, int n) {
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        while (receiver.all().stream().filter(d -> d.answeredStatus() >= 500)
                .filter(d -> customer.identifier.equals(d.json().get("customer_id"))).count() < n) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("fewer than " + n + " attempts for " + customer.username);
            }
            Pause.millis(100);
        }
    }

    private static List<String> awaitAccepted(Customer customer, String type, int n) {
        long deadline = System.currentTimeMillis() + WAIT.toMillis() * 2;
        while (true) {
            List<String> ids = receiver.accepted().stream()
                    .filter(d -> of(customer, type).test(d.json()))
                    .map(WebhookReceiver.Delivery::eventId).toList();
            if (ids.size() >= n) {
                return ids;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("only " + ids.size() + " " + type + " webhooks for " + customer.username);
            }
            Pause.millis(200);
        }
    }

    private static Predicate<Map<String, Object>> of(Customer customer, String type) {
        return json -> customer.identifier.equals(json.get("customer_id")) && type.equals(json.get("type"));
    }

    static String directGrant(Customer customer) {
        HttpResponse<String> response = passwordGrant(customer);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (String) Http.json(response.body()).get("access_token");
    }

    /** The customer's password grant on test-console, answered as it was (retried only as {@link Http#grant} does). */
    static HttpResponse<String> passwordGrant(Customer customer) {
        return Http.grant(server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "test-console", "username", customer.username,
                        "password", PASSWORD));
    }

    static String createWebhook(String name, String url) {
        return Webhooks.create(admin(), REALM, name, url);
    }

    /** A fresh admin token: the bootstrap admin's lasts a minute and the suite restarts the server. */
    static AdminApi admin() {
        return AdminApi.asBootstrapAdmin(server);
    }

    /** A customer of its own per test, so that tests never see each other's webhooks. */
    record Customer(String username, String accountNumber, String identifier, String userId) {
        static Customer create() {
            int n = CUSTOMERS.incrementAndGet();
            String username = "linked" + n + "-" + System.nanoTime() % 100000;
            String accountNumber = "55" + String.format("%08d", Math.abs((username.hashCode())) % 100_000_000);
            Map<String, Object> user = new HashMap<>(Map.of("username", username, "enabled", true,
                    "email", username + "@customers.example.test", "firstName", "Linked", "lastName", "Customer",
                    "attributes", Map.of("accountNumber", List.of(accountNumber)),
                    "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false))));
            String userId = AdminApi.createdId(admin().post("/admin/realms/" + REALM + "/users", user));
            return new Customer(username, accountNumber, VECTOR.derive(accountNumber), userId);
        }
    }
}
