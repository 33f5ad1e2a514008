package io.github.customerauth.privacy;

import com.nimbusds.jose.JWSObject;
import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.BrowserLogin;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.PartnerApi;
import io.github.customerauth.testsupport.Pause;
import io.github.customerauth.testsupport.PersonalData;
import io.github.customerauth.testsupport.WebhookReceiver;
import io.github.customerauth.testsupport.Webhooks;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.customerauth.testsupport.KeycloakSuite.REALM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Everything that leaves Keycloak for the messaging platform, scanned for the test accounts' personal data: each
 * channel's access token (first and refreshed), the exchanged partner token, introspection (the partner endpoint
 * as JSON and RFC 9701 JWT, and Keycloak's own, which the platform may call too since it is in {@code aud}),
 * comparison, the profile beyond its allow-list, links, webhook bodies, and the server's log.
 */
@ExtendWith(KeycloakSuite.class)
class PrivacyIT {

    static final String PASSWORD = "Test-only-1!";
    /** The sample accounts that log in with a password alone (with and without account number). */
    static final List<String> ACCOUNTS = List.of("alice", "bob", "carol", "dana", "jack", "kim");
    static final Map<String, String> CHANNELS = Map.of(
            "web-chat", "http://localhost:3000/callback",
            "ios-app", "com.example.chat.ios:/oauth2redirect",
            "android-app", "com.example.chat.android:/oauth2redirect");

    static KeycloakServer server;
    static AdminApi admin;
    static WebhookReceiver receiver;
    static String webhookId;
    static PartnerApi backend;
    static PartnerApi analytics;
    static long logStart;

    /** What went out, by where it went: the scan reports the place of every hit. */
    final Map<String, String> outbound = new LinkedHashMap<>();

    @BeforeAll
    static void setUp() throws Exception {
        server = KeycloakSuite.server();
        admin = AdminApi.asBootstrapAdmin(server);
        logStart = server.logMark();
        receiver = new WebhookReceiver().start();
        // Every type: refreshes too, which a receiver gets only when it lists them.
        webhookId = Webhooks.create(admin, REALM, "privacy-receiver", receiver.url(), Webhooks.EVERY_TYPE);
        backend = new PartnerApi(server, REALM, "partner-backend", "partner-backend-secret-test-only");
        analytics = new PartnerApi(server, REALM, "partner-analytics", "partner-analytics-secret-test-only");
    }

    @AfterAll
    static void tearDown() {
        AdminApi.asBootstrapAdmin(server).delete("/admin/realms/" + REALM + "/components/" + webhookId);
        receiver.stop();
    }

    @Test
    void nothingPersonalLeavesForThePlatform() throws Exception {
        Set<String> customerIds = new TreeSet<>();
        for (String account : ACCOUNTS) {
            for (Map.Entry<String, String> channel : CHANNELS.entrySet()) {
                BrowserLogin login = new BrowserLogin(server.baseUrl(), REALM, channel.getKey(), channel.getValue());
                Map<String, Object> tokens = login.login(account, PASSWORD);
                String accessToken = (String) tokens.get("access_token");
                String where = account + " on " + channel.getKey();
                record(where + ": access token", Http.claims(accessToken));
                String refreshed = (String) login.refresh((String) tokens.get("refresh_token")).get("access_token");
                record(where + ": refreshed access token", Http.claims(refreshed));
                scanPartnerAnswers(where, accessToken);
                Object customerId = Http.claims(accessToken).get("customer_id");
                if (customerId != null) {
                    customerIds.add((String) customerId);
                }
                if ("web-chat".equals(channel.getKey())) {
                    record(where + ": exchanged partner token", Http.claims(exchange(accessToken)));
                    assertThat(Http.postForm(server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/logout",
                            Map.of("client_id", channel.getKey(), "refresh_token", (String) tokens.get("refresh_token")))
                            .statusCode()).isEqualTo(204);
                }
            }
        }
        for (String customerId : customerIds) {
            record("links of " + customerId + " (partner-backend)", links(backend, customerId));
            record("links of " + customerId + " (partner-analytics)", links(analytics, customerId));
            receiver.await(json -> customerId.equals(json.get("customer_id")) && "LOGOUT".equals(json.get("type")),
                    Duration.ofSeconds(30));
        }
        provokeLogLines();
        receiver.accepted().forEach(delivery -> outbound.put("webhook " + delivery.eventId(), delivery.body()));
        outbound.put("server log", serverLog());

        PersonalData personal = PersonalData.ofSampleRealm();
        Map<String, List<String>> hits = new LinkedHashMap<>();
        outbound.forEach((where, text) -> {
            List<String> found = personal.hits(text);
            if (!found.isEmpty()) {
                hits.put(where, found);
            }
        });
        System.out.printf("PrivacyIT: %d places scanned (%d webhook bodies, %d server log characters), %d with "
                + "personal data%n", outbound.size(), receiver.accepted().size(),
                outbound.get("server log").length(), hits.size());
        assertThat(customerIds).as("customers with an identifier").hasSize(ACCOUNTS.size() - 1);
        assertThat(outbound.get("server log")).as("log lines scanned").isNotBlank();
        assertThat(receiver.accepted()).as("webhooks scanned").hasSizeGreaterThanOrEqualTo(customerIds.size() * 3);
        assertThat(outbound).as("places scanned").hasSizeGreaterThan(100);
        assertThat(hits).as("personal data found in what leaves for the platform").isEmpty();
    }

    @Test
    void adminsSeeWhichIdentifierClientsWouldPutPersonalDataIntoAccessTokens() {
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        String report = "/admin/realms/" + REALM + "/customer-identifiers/access-token-privacy";
        List<String> sampleClients = List.of("web-chat", "ios-app", "android-app", "test-console", "partner-backend",
                "partner-analytics");
        assertThat(admin.getJsonList(report)).as("the sample realm's clients, as shipped")
                .noneMatch(entry -> sampleClients.contains(entry.get("clientId")));

        String clientUuid = AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/clients", Map.of(
                "clientId", "privacy-careless-channel", "publicClient", true, "directAccessGrantsEnabled", true,
                "defaultClientScopes", List.of("basic", "customer-identifier"),
                "protocolMappers", List.of(Map.of("name", "email in access token", "protocol", "openid-connect",
                        "protocolMapper", "oidc-usermodel-attribute-mapper", "config", Map.of("user.attribute", "email",
                                "claim.name", "email", "access.token.claim", "true", "jsonType.label", "String"))))));
        try {
            assertThat(admin.getJsonList(report)).filteredOn(entry -> "privacy-careless-channel".equals(
                    entry.get("clientId"))).singleElement().satisfies(entry ->
                    assertThat(entry.get("personalMappers")).asList().anySatisfy(mapper -> assertThat(mapper)
                            .asInstanceOf(InstanceOfAssertFactories.MAP)
                            .containsEntry("mapper", "email in access token").containsEntry("whenRequested", false)));
            HttpResponse<String> grant = Http.grant(server.baseUrl() + "/realms/" + REALM
                    + "/protocol/openid-connect/token", Map.of("grant_type", "password",
                    "client_id", "privacy-careless-channel", "username", "alice", "password", PASSWORD));
            assertThat(Http.claims((String) Http.json(grant.body()).get("access_token")))
                    .as("what the report warns of is real").containsKey("email");
        } finally {
            admin.delete("/admin/realms/" + REALM + "/clients/" + clientUuid);
        }
    }

    private void scanPartnerAnswers(String where, String accessToken) throws Exception {
        for (PartnerApi partner : List.of(backend, analytics)) {
            String who = where + " via " + (partner == backend ? "partner-backend" : "partner-analytics");
            record(who + ": introspection", partner.introspect(accessToken));
            HttpResponse<String> jwt = partner.post("introspect", Map.of("token", accessToken),
                    "Accept", "application/token-introspection+jwt");
            record(who + ": introspection JWT", JWSObject.parse(jwt.body()).getPayload().toJSONObject());
            record(who + ": compare", partner.call("compare", accessToken, Map.of(
                    "expected.customer_id", "v1.1.AAAAAAAAAAAAAAAAAAAAAAAAAAA", "expected.email", "x@example.invalid")));
            Map<String, Object> profile = new LinkedHashMap<>(partner.call("profile", accessToken, Map.of()));
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) profile.remove("profile");
            Set<String> allowed = partner == backend ? Set.of("firstName") : Set.of("email", "firstName", "lastName");
            if (fields != null) {
                assertThat(allowed).as(who + ": profile fields within the allow-list").containsAll(fields.keySet());
            }
            record(who + ": profile beyond the allow-list", profile);
        }
        HttpResponse<String> userInfo = Http.send(HttpRequest.newBuilder(URI.create(
                server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/userinfo"))
                .header("Authorization", "Bearer " + accessToken).GET().build());
        assertThat(userInfo.statusCode()).isEqualTo(200);
        record(where + ": userinfo for whoever holds the access token", Http.json(userInfo.body()));
        HttpResponse<String> builtIn = Http.postForm(server.baseUrl() + "/realms/" + REALM
                        + "/protocol/openid-connect/token/introspect", Map.of("token", accessToken,
                "client_id", "partner-backend", "client_secret", "partner-backend-secret-test-only"));
        assertThat(builtIn.statusCode()).isEqualTo(200);
        record(where + ": Keycloak's introspection for partner-backend", Http.json(builtIn.body()));
    }

    /**
     * What makes the server log about customers: a wrong password, refused partner calls, a partner with wrong
     * credentials, a token of another partner's channel.
     */
    private static void provokeLogLines() {
        Http.postForm(server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "test-console", "username", "alice", "password", "wrong"));
        backend.post("introspect", Map.of("token", "not-a-token"));
        new PartnerApi(server, REALM, "partner-backend", "wrong-secret").post("introspect", Map.of("token", "x"));
        String ios = (String) new BrowserLogin(server.baseUrl(), REALM, "ios-app", CHANNELS.get("ios-app"))
                .login("bob", PASSWORD).get("access_token");
        analytics.post("profile", Map.of("token", ios));
        Pause.millis(1_000);
    }

    private void record(String where, Map<String, Object> json) {
        outbound.put(where, Http.toJson(json));
    }

    private static Map<String, Object> links(PartnerApi partner, String customerId) {
        HttpResponse<String> response = partner.post("links", Map.of("customer_id", customerId));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response.body());
    }

    private static String exchange(String subjectToken) {
        HttpResponse<String> response = Http.postForm(server.baseUrl() + "/realms/" + REALM
                + "/protocol/openid-connect/token", Map.of(
                "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token", subjectToken,
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token",
                "client_id", "partner-backend", "client_secret", "partner-backend-secret-test-only"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (String) Http.json(response.body()).get("access_token");
    }

    /**
     * Everything the server logged since the test began (the suite's server logs the extension at DEBUG; the sample
     * realm has no logging event listener). Receiver URLs are left out: they are the company's endpoints, not a
     * customer's address.
     */
    private static String serverLog() {
        return server.logSince(logStart).replaceAll("https?://\\S+", "<url>");
    }
}
