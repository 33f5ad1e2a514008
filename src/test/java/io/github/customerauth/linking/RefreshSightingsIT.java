package io.github.customerauth.linking;

import io.github.customerauth.identifier.IdentifierDerivation;
import io.github.customerauth.identifier.IdentifierKey;
import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.BrowserLogin;
import io.github.customerauth.testsupport.Customers;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.PartnerApi;
import io.github.customerauth.testsupport.Pause;
import io.github.customerauth.testsupport.WebhookReceiver;
import io.github.customerauth.testsupport.Webhooks;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refreshes: every one counts on its link, and becomes a message only for receivers that list {@code REFRESH_TOKEN}.
 * In realm {@code customers-eu}, where no other receiver lists {@code REFRESH_TOKEN}.
 */
@ExtendWith(KeycloakSuite.class)
class RefreshSightingsIT {

    private static final String REALM = "customers-eu";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final IdentifierDerivation EU = new IdentifierDerivation(IdentifierKey.of("1", KeycloakSuite.EU_KEY));

    static KeycloakServer server;
    static WebhookReceiver receiver;
    static String webhookId;

    @BeforeAll
    static void setUp() {
        server = KeycloakSuite.server();
        receiver = new WebhookReceiver().start();
        webhookId = Webhooks.create(admin(), REALM, "refresh-sightings", receiver.url());
    }

    @AfterAll
    static void tearDown() {
        admin().delete("/admin/realms/" + REALM + "/components/" + webhookId);
        receiver.stop();
    }

    @Test
    void refreshesCountOnTheLinkAndAreSentOnlyToReceiversThatListThem() {
        String username = "refresher-" + System.nanoTime() % 1_000_000;
        String accountNumber = "66" + String.format("%08d", Math.floorMod(username.hashCode(), 100_000_000));
        AdminApi.createdId(admin().post("/admin/realms/" + REALM + "/users",
                Customers.representation(username, accountNumber)));
        String customerId = EU.derive(accountNumber);
        BrowserLogin web = new BrowserLogin(server.baseUrl(), REALM, "web-chat", "http://localhost:3000/callback");
        Map<String, Object> tokens = web.login(username, Customers.PASSWORD);
        for (int i = 0; i < 3; i++) {
            web.refresh((String) tokens.get("refresh_token"));
        }

        receiver.await(json -> customerId.equals(json.get("customer_id")) && "CODE_TO_TOKEN".equals(json.get("type")), WAIT);
        Map<String, Object> link = awaitWebChatLinkEvents(customerId, 5);
        assertThat(link).containsEntry("channel", "web-chat");
        assertThat(typesSentAbout(customerId)).containsExactly("LOGIN", "CODE_TO_TOKEN");

        chooseTypes(Webhooks.EVERY_TYPE);
        try {
            web.refresh((String) tokens.get("refresh_token"));
            receiver.await(json -> customerId.equals(json.get("customer_id")) && "REFRESH_TOKEN".equals(json.get("type")), WAIT);
            awaitWebChatLinkEvents(customerId, 6);
        } finally {
            chooseTypes(List.of());
        }
        assertThat(typesSentAbout(customerId)).containsExactly("LOGIN", "CODE_TO_TOKEN", "REFRESH_TOKEN");
    }

    /**
     * A refresh's count is written after Keycloak's commit, within the flush interval (5 s): it must not bring back a
     * link of a customer deleted meanwhile. Eight customers refresh and are deleted 0.7 s apart, so that some
     * deletions run while a flush writes their counts and others just before or after one.
     */
    @Test
    void customersDeletedRightAfterARefreshKeepNoLink() {
        Map<String, Map<String, Object>> sessions = new LinkedHashMap<>();
        Map<String, BrowserLogin> browsers = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            String deletedId = EU.derive(createCustomer("deleted-refresher-", "67"));
            BrowserLogin web = new BrowserLogin(server.baseUrl(), REALM, "web-chat", "http://localhost:3000/callback");
            sessions.put(deletedId, web.login(username(deletedId), Customers.PASSWORD));
            browsers.put(deletedId, web);
        }
        String sentinelId = EU.derive(createCustomer("sentinel-refresher-", "68"));
        BrowserLogin sentinelWeb = new BrowserLogin(server.baseUrl(), REALM, "web-chat", "http://localhost:3000/callback");
        Map<String, Object> sentinelTokens = sentinelWeb.login(username(sentinelId), Customers.PASSWORD);
        sessions.keySet().forEach(deletedId -> awaitWebChatLinkEvents(deletedId, 2));
        awaitWebChatLinkEvents(sentinelId, 2);

        sessions.forEach((deletedId, tokens) -> {
            browsers.get(deletedId).refresh((String) tokens.get("refresh_token"));
            assertThat(admin().delete("/admin/realms/" + REALM + "/users/" + userIds.get(deletedId)).statusCode())
                    .isEqualTo(204);
            Pause.millis(700);
        });
        // The sentinel's refresh is counted by a flush after the last deletion, which is then past.
        sentinelWeb.refresh((String) sentinelTokens.get("refresh_token"));
        awaitWebChatLinkEvents(sentinelId, 3);

        sessions.keySet().forEach(deletedId -> assertThat(admin().getJson("/admin/realms/" + REALM
                + "/customer-links/" + deletedId).get("links")).as("links of a deleted customer").asList().isEmpty());
    }

    private final Map<String, String> usernames = new HashMap<>();
    private final Map<String, String> userIds = new HashMap<>();

    /** A customer of the realm; returns the account number, and remembers its username and user id by identifier. */
    private String createCustomer(String prefix, String accountPrefix) {
        String username = prefix + System.nanoTime() % 1_000_000;
        String accountNumber = accountPrefix + String.format("%08d", Math.floorMod(username.hashCode(), 100_000_000));
        String userId = AdminApi.createdId(admin().post("/admin/realms/" + REALM + "/users",
                Customers.representation(username, accountNumber)));
        usernames.put(EU.derive(accountNumber), username);
        userIds.put(EU.derive(accountNumber), userId);
        return accountNumber;
    }

    private String username(String customerId) {
        return usernames.get(customerId);
    }

    private static List<Object> typesSentAbout(String customerId) {
        return receiver.accepted().stream().map(WebhookReceiver.Delivery::json)
                .filter(json -> customerId.equals(json.get("customer_id"))).map(json -> json.get("type")).toList();
    }

    /** The counts of sightings without a message are written within the flush interval: waits for them. */
    private static Map<String, Object> awaitWebChatLinkEvents(String customerId, int events) {
        PartnerApi partner = new PartnerApi(server, REALM, "partner-backend", "partner-backend-secret-test-only");
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        while (true) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> links = (List<Map<String, Object>>) partner.call("links", "unused",
                    Map.of("customer_id", customerId)).get("links");
            Map<String, Object> webChat = links.stream().filter(l -> "web-chat".equals(l.get("channel"))).findFirst()
                    .orElse(Map.of());
            if (Integer.valueOf(events).equals(webChat.get("events"))) {
                return webChat;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the web-chat link does not count " + events + " events: " + links);
            }
            Pause.millis(200);
        }
    }

    private static void chooseTypes(List<String> types) {
        Map<String, Object> component = admin().getJson("/admin/realms/" + REALM + "/components/" + webhookId);
        @SuppressWarnings("unchecked")
        Map<String, Object> config = new LinkedHashMap<>((Map<String, Object>) component.get("config"));
        config.put("eventTypes", types);
        component.put("config", config);
        HttpResponse<String> saved = admin().put("/admin/realms/" + REALM + "/components/" + webhookId, component);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(204);
    }

    private static AdminApi admin() {
        return AdminApi.asBootstrapAdmin(server);
    }
}
