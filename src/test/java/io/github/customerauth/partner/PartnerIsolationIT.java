package io.github.customerauth.partner;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.BrowserLogin;
import io.github.customerauth.testsupport.Customers;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.PartnerApi;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.customerauth.testsupport.KeycloakSuite.REALM;
import static org.assertj.core.api.Assertions.assertThat;

/** The partner endpoints tried by partners with too little permission, and audited. */
@ExtendWith(KeycloakSuite.class)
class PartnerIsolationIT {

    static final String PASSWORD = "Test-only-1!";
    static final List<String> ENDPOINTS = List.of("introspect", "compare", "profile", "links");

    static KeycloakServer server;
    static PartnerApi backend;
    static PartnerApi analytics;

    @BeforeAll
    static void setUp() {
        server = KeycloakSuite.server();
        backend = new PartnerApi(server, REALM, "partner-backend", "partner-backend-secret-test-only");
        analytics = new PartnerApi(server, REALM, "partner-analytics", "partner-analytics-secret-test-only");
    }

    @Test
    void linksShowOnlyThePartnersChannels() {
        createCustomer("iso-two-channels", "66660001");
        String web = login("web-chat", "http://localhost:3000/callback", "iso-two-channels");
        login("ios-app", "com.example.chat.ios:/oauth2redirect", "iso-two-channels");
        String customerId = (String) Http.claims(web).get("customer_id");

        Map<String, Object> all = Http.json(backend.post("links", Map.of("customer_id", customerId)).body());
        Map<String, Object> webOnly = Http.json(analytics.post("links", Map.of("customer_id", customerId)).body());

        assertThat(channels(all)).containsExactlyInAnyOrder("web-chat", "ios-app");
        assertThat(channels(webOnly)).containsExactly("web-chat");
        assertThat(webOnly).containsEntry("total", 1);
    }

    @Test
    void aPartnerWithoutChannelsSeesNoLinks() {
        PartnerApi blind = createPartner("iso-no-channels", Map.of());
        createCustomer("iso-blind", "66660002");
        String web = login("web-chat", "http://localhost:3000/callback", "iso-blind");

        Map<String, Object> answer = Http.json(blind.post("links",
                Map.of("customer_id", (String) Http.claims(web).get("customer_id"))).body());

        assertThat(answer).containsEntry("total", 0).containsEntry("links", List.of());
    }

    @Test
    void aPartnerWhoseServiceAccountIsDisabledIsRefusedEverywhere() {
        PartnerApi partner = createPartner("iso-disabled-account", Map.of("customer-auth.partner.channels", "web-chat"));
        String token = login("web-chat", "http://localhost:3000/callback", "alice");
        assertThat(partner.post("introspect", Map.of("token", token)).statusCode()).isEqualTo(200);

        String serviceAccount = serviceAccountId("iso-disabled-account");
        Map<String, Object> user = admin().getJson("/admin/realms/" + REALM + "/users/" + serviceAccount);
        user.put("enabled", false);
        assertThat(admin().put("/admin/realms/" + REALM + "/users/" + serviceAccount, user).statusCode()).isEqualTo(204);

        for (String endpoint : ENDPOINTS) {
            HttpResponse<String> response = partner.post(endpoint, form(endpoint, token));
            assertThat(response.statusCode()).as(endpoint).isEqualTo(403);
            assertThat(Http.json(response.body())).as(endpoint).containsEntry("error", "access_denied")
                    .containsEntry("error_description", "This partner's service account is disabled.");
        }
    }

    @Test
    void aLimitUnderOneIsRefusedAsAMisconfigurationNotTakenAsUnlimited() {
        String token = login("web-chat", "http://localhost:3000/callback", "alice");
        for (String limit : List.of("0", "-1", "lots")) {
            PartnerApi partner = createPartner("iso-limit-" + limit.hashCode(), Map.of(
                    "customer-auth.partner.channels", "web-chat", "customer-auth.partner.requests-per-second", limit));

            HttpResponse<String> response = partner.post("introspect", Map.of("token", token));

            assertThat(response.statusCode()).as(limit).isEqualTo(403);
            assertThat(response.body()).as(limit).contains("request limit is misconfigured");
        }
        PartnerApi limited = createPartner("iso-limit-one", Map.of(
                "customer-auth.partner.channels", "web-chat", "customer-auth.partner.requests-per-second", "1"));
        List<Integer> statuses = IntStream.range(0, 5)
                .mapToObj(i -> limited.post("introspect", Map.of("token", token)).statusCode()).toList();
        assertThat(statuses).contains(200, 429);
    }

    @Test
    void aClientWithoutThePartnerRoleIsRefusedEverywhere() {
        PartnerApi notAPartner = createClient("iso-not-a-partner", Map.of("customer-auth.partner.channels", "web-chat"));
        String token = login("web-chat", "http://localhost:3000/callback", "alice");

        for (String endpoint : ENDPOINTS) {
            HttpResponse<String> response = notAPartner.post(endpoint, form(endpoint, token));
            assertThat(response.statusCode()).as(endpoint).isEqualTo(403);
            assertThat(response.body()).as(endpoint).doesNotContain("customer_id\":\"v1");
        }
        assertThat(events("INTROSPECT_TOKEN_ERROR", "iso-not-a-partner")).as("refusals are audited too")
                .anySatisfy(event -> assertThat(event).containsEntry("error", "not_allowed"));
    }

    @Test
    void profileReadsAndIntrospectionsAreKeycloakEventsNamingPartnerCustomerAndChannel() {
        String token = login("web-chat", "http://localhost:3000/callback", "alice");
        String customerId = (String) Http.claims(token).get("customer_id");

        analytics.call("profile", token, Map.of());
        backend.call("introspect", token, Map.of());
        assertThat(backend.post("links", Map.of("customer_id", customerId)).statusCode()).isEqualTo(200);

        String aliceId = admin().userId(REALM, "alice");
        assertThat(events("USER_INFO_REQUEST", "partner-analytics")).anySatisfy(event -> {
            assertThat(event).containsEntry("userId", aliceId).containsEntry("sessionId", Http.claims(token).get("sid"));
            assertThat(details(event)).containsEntry("partner_operation", "profile")
                    .containsEntry("customer_id", customerId).containsEntry("channel", "web-chat")
                    .containsEntry("profile_fields", "email,firstName,lastName");
        });
        assertThat(events("INTROSPECT_TOKEN", "partner-backend")).anySatisfy(event ->
                assertThat(details(event)).containsEntry("partner_operation", "introspect")
                        .containsEntry("customer_id", customerId).containsEntry("channel", "web-chat"));
        assertThat(events("USER_INFO_REQUEST", "partner-backend")).anySatisfy(event -> {
            assertThat(event).containsEntry("userId", aliceId);
            assertThat(details(event)).containsEntry("partner_operation", "links")
                    .containsEntry("customer_id", customerId).containsEntry("channel", "android-app,ios-app,web-chat");
        });
    }

    private static List<Map<String, Object>> events(String type, String clientId) {
        return admin().getJsonList("/admin/realms/" + REALM + "/events?type=" + type + "&client=" + clientId + "&max=50");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(Map<String, Object> event) {
        return (Map<String, Object>) event.getOrDefault("details", Map.of());
    }

    @SuppressWarnings("unchecked")
    private static List<String> channels(Map<String, Object> page) {
        return ((List<Map<String, Object>>) page.get("links")).stream().map(link -> (String) link.get("channel")).toList();
    }

    private static Map<String, String> form(String endpoint, String token) {
        return switch (endpoint) {
            case "links" -> Map.of("customer_id", (String) Http.claims(token).get("customer_id"));
            case "compare" -> Map.of("token", token, "expected.customer_id", "v1.1.AAAAAAAAAAAAAAAAAAAAAAAAAAA");
            default -> Map.of("token", token);
        };
    }

    private static void createCustomer(String username, String accountNumber) {
        Customers.create(admin(), REALM, username, accountNumber);
    }

    /** A fresh admin token each time: the bootstrap admin's lasts a minute. */
    private static AdminApi admin() {
        return AdminApi.asBootstrapAdmin(server);
    }

    private static String login(String channel, String redirectUri, String username) {
        return (String) new BrowserLogin(server.baseUrl(), REALM, channel, redirectUri).login(username, PASSWORD)
                .get("access_token");
    }

    /** A confidential client with a service account holding the partner role. */
    static PartnerApi createPartner(String clientId, Map<String, String> attributes) {
        PartnerApi partner = createClient(clientId, attributes);
        Map<String, Object> role = admin().getJson("/admin/realms/" + REALM + "/roles/customer-partner");
        assertThat(admin().post("/admin/realms/" + REALM + "/users/" + serviceAccountId(clientId) + "/role-mappings/realm",
                List.of(role)).statusCode()).isEqualTo(204);
        return partner;
    }

    private static PartnerApi createClient(String clientId, Map<String, String> attributes) {
        String secret = clientId + "-secret";
        AdminApi.createdId(admin().post("/admin/realms/" + REALM + "/clients", new HashMap<>(Map.of("clientId", clientId,
                "publicClient", false, "secret", secret, "serviceAccountsEnabled", true, "standardFlowEnabled", false,
                "attributes", attributes))));
        return new PartnerApi(server, REALM, clientId, secret);
    }

    private static String serviceAccountId(String clientId) {
        return (String) admin().getJson("/admin/realms/" + REALM + "/clients/" + admin().clientUuid(REALM, clientId)
                + "/service-account-user").get("id");
    }
}
