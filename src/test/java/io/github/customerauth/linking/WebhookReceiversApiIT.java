package io.github.customerauth.linking;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.BrowserLogin;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.SignatureVerifier;
import io.github.customerauth.testsupport.WebhookReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.customerauth.linking.LinkingIT.PASSWORD;
import static io.github.customerauth.testsupport.KeycloakSuite.REALM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /admin/realms/{realm}/customer-links/webhooks}: receivers as plain JSON, with the console's checks and
 * admin events, tried by a careless admin, an admin with too few rights and one who aims at other components.
 */
@ExtendWith(KeycloakSuite.class)
class WebhookReceiversApiIT {

    private static final String BASE = "/admin/realms/" + REALM + "/customer-links/webhooks";
    private static final Duration WAIT = Duration.ofSeconds(30);

    static KeycloakServer server;

    @BeforeAll
    static void setUp() {
        server = KeycloakSuite.server();
        LinkingIT.server = server;
    }

    @Test
    void aReceiverMadeWithPlainJsonIsListedSignsItsMessagesAndCanBeChangedAndRemoved() {
        try (WebhookReceiver receiver = new WebhookReceiver().start()) {
            HttpResponse<String> created = admin().post(BASE, Map.of("name", "plain json", "url", receiver.url(),
                    "secret", "${vault.webhook-secret}", "eventTypes", List.of("LOGIN")));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            Map<String, Object> json = Http.json(created.body());
            String id = (String) json.get("id");
            try {
                madeChangedAndRemoved(receiver, id, created, json);
            } finally {
                admin().delete("/admin/realms/" + REALM + "/components/" + id);
            }
        }
    }

    private static void madeChangedAndRemoved(WebhookReceiver receiver, String id, HttpResponse<String> created,
                                              Map<String, Object> json) {
        assertThat(created.headers().firstValue("Location")).hasValue(server.baseUrl() + BASE + "/" + id);
        assertThat(json).containsEntry("url", receiver.url()).containsEntry("enabled", true)
                .containsEntry("signatureFormat", "customer-auth").containsEntry("eventTypes", List.of("LOGIN"))
                .containsEntry("channels", List.of()).doesNotContainKey("secondSecret");
        assertThat(admin().getJsonList(BASE)).extracting(receiverJson -> receiverJson.get("id")).contains(id);
        assertThat(admin().getJson(BASE + "/" + id)).isEqualTo(json);

        LinkingIT.Customer customer = LinkingIT.Customer.create();
        new BrowserLogin(server.baseUrl(), REALM, "web-chat", "http://localhost:3000/callback")
                .login(customer.username(), PASSWORD);
        WebhookReceiver.Delivery login = receiver.await(message -> customer.identifier().equals(
                message.get("customer_id")) && "LOGIN".equals(message.get("type")), WAIT);
        assertThat(SignatureVerifier.verify(KeycloakSuite.WEBHOOK_SECRET, login.signature(), login.body(),
                System.currentTimeMillis() / 1000, 300)).isTrue();

        HttpResponse<String> replaced = admin().put(BASE + "/" + id, Map.of("name", "plain json",
                "url", receiver.url(), "channels", List.of("ios-app"), "enabled", false));
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(Http.json(replaced.body())).as("what the PUT left out is back to its default")
                .containsEntry("eventTypes", List.of()).containsEntry("channels", List.of("ios-app"))
                .containsEntry("enabled", false).containsEntry("secret", "${vault.webhook-secret}");
        @SuppressWarnings("unchecked")
        Map<String, List<String>> config = (Map<String, List<String>>) admin()
                .getJson("/admin/realms/" + REALM + "/components/" + id).get("config");
        assertThat(config).as("the same receiver through /components").containsEntry("enabled", List.of("false"))
                .containsEntry("channels", List.of("ios-app"));

        Map<String, Object> shown = new HashMap<>(admin().getJson(BASE + "/" + id));
        shown.put("enabled", true);
        HttpResponse<String> sentBack = admin().put(BASE + "/" + id, shown);
        assertThat(sentBack.statusCode()).as("what a GET shows, changed and sent back: %s", sentBack.body())
                .isEqualTo(200);
        assertThat(Http.json(sentBack.body())).containsEntry("enabled", true);
        shown.put("id", "another-id");
        assertThat(admin().put(BASE + "/" + id, shown).statusCode()).isEqualTo(400);

        assertThat(admin().delete(BASE + "/" + id).statusCode()).isEqualTo(204);
        assertThat(admin().get(BASE + "/" + id).statusCode()).isEqualTo(404);
        assertThat(admin().getJsonList(BASE)).extracting(receiverJson -> receiverJson.get("id")).doesNotContain(id);

        List<Map<String, Object>> events = admin().getJsonList("/admin/realms/" + REALM
                + "/admin-events?resourceTypes=COMPONENT&resourcePath=components/" + id + "&max=10");
        assertThat(events).extracting(event -> event.get("operationType"))
                .containsExactlyInAnyOrder("CREATE", "UPDATE", "UPDATE", "DELETE");
    }

    @Test
    void aBodyThatCannotWorkIsA400ThatNamesTheProblemWithTheConsolesMessages() {
        Map<String, Object> good = Map.of("url", "http://127.0.0.1:9/hook");
        int eventsBefore = componentEvents().size();
        assertRefused(with(good, "name", "n".repeat(256)), "name must be a string of at most 255 characters");
        assertRefused(with(good, "description", "a\u0000b"), "without control characters");
        assertRefused(with(good, "eventTypes", Arrays.asList("LOGIN", null)), "must be an array of");
        assertRefused(with(good, "secret", "${vault.a\u0000b}"), "secret must be a string");
        assertRefused(with(good, "eventType", List.of("LOGIN")), "Unknown field eventType");
        assertRefused(with(good, "url", 42), "url must be a string");
        assertRefused(with(good, "eventTypes", "LOGIN"), "eventTypes must be an array of at most 100 strings");
        assertRefused(with(good, "enabled", "yes"), "enabled must be true or false");
        assertRefused(Map.of("url", "ftp://platform.example.com"), "Webhook URL must be an absolute http(s) URL.");
        assertRefused(Map.of(), "Webhook URL must be an absolute http(s) URL.");
        assertRefused(with(good, "secret", "plain-text-secret"), "Signing secret must be a vault reference");
        assertRefused(with(good, "secret", "${vault.not-there}"), "is not in the vault");
        assertRefused(with(good, "eventTypes", List.of("LOGINS")), "Unknown message type LOGINS");
        assertRefused(with(good, "channels", List.of("no-such-client")), "Channel no-such-client is not a client");

        for (String body : List.of("{", "[]", "\"url\"", "{\"url\": [\"a\", {}]}", "null")) {
            HttpResponse<String> response = raw("POST", BASE, body);
            assertThat(response.statusCode()).as("%s -> %s", body, response.body()).isEqualTo(400);
        }
        assertThat(Http.json(raw("POST", BASE, "null").body())).containsEntry("error", "invalid_receiver");
        assertThat(componentEvents()).as("no admin event for a refused save").hasSize(eventsBefore);
        assertThat(admin().getJsonList(BASE)).as("nothing was saved")
                .noneMatch(receiver -> "http://127.0.0.1:9/hook".equals(receiver.get("url")));
    }

    @Test
    void onlyReceiversOfThisRealmCanBeReadOrChangedHere() {
        String keyProvider = (String) admin().getJsonList("/admin/realms/" + REALM + "/components?type="
                + "org.keycloak.keys.KeyProvider").get(0).get("id");
        String otherRealmReceiver = otherRealmReceiver();
        // A receiver component whose parent is another component, not the realm: the console page does not show it.
        String underAComponent = AdminApi.createdId(admin().post("/admin/realms/" + REALM + "/components", Map.of(
                "name", "under a component", "providerId", "customer-webhooks",
                "providerType", "org.keycloak.services.ui.extend.UiPageProvider", "parentId", keyProvider,
                "config", Map.of("url", List.of("http://127.0.0.1:9/hook"),
                        "secret", List.of("${vault.webhook-secret}")))));
        try {
            for (String id : List.of(keyProvider, otherRealmReceiver, underAComponent, "no-such-id")) {
                assertNotFoundHere(id);
            }
        } finally {
            admin().delete("/admin/realms/" + REALM + "/components/" + underAComponent);
        }
        assertThat(admin().getJson("/admin/realms/" + REALM + "/components/" + keyProvider)).containsKey("config");
    }

    private static void assertNotFoundHere(String id) {
        assertThat(admin().get(BASE + "/" + id).statusCode()).as("GET %s", id).isEqualTo(404);
        assertThat(admin().put(BASE + "/" + id, Map.of("url", "http://127.0.0.1:9/hook")).statusCode())
                .as("PUT %s", id).isEqualTo(404);
        assertThat(admin().delete(BASE + "/" + id).statusCode()).as("DELETE %s", id).isEqualTo(404);
        assertThat(admin().post(BASE + "/" + id + "/test", Map.of()).statusCode()).as("test %s", id)
                .isEqualTo(404);
    }

    @Test
    void viewRealmReadsAndOnlyManageRealmChanges() {
        String viewer = "receiver-viewer";
        String userId = AdminApi.createdId(admin().post("/admin/realms/" + REALM + "/users", Map.of(
                "username", viewer, "enabled", true, "email", viewer + "@customers.example.test",
                "firstName", viewer, "lastName", "Admin",
                "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)))));
        admin().grantRealmManagementRoles(REALM, userId, List.of("view-realm"));
        AdminApi asViewer = AdminApi.asUser(server, REALM, "admin-cli", viewer, PASSWORD);
        AdminApi asCustomer = AdminApi.asUser(server, REALM, "admin-cli", "alice", PASSWORD);

        String managerId = AdminApi.createdId(admin().post("/admin/realms/" + REALM + "/users", Map.of(
                "username", "receiver-manager", "enabled", true, "email", "receiver-manager@customers.example.test",
                "firstName", "receiver", "lastName", "Manager",
                "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)))));
        admin().grantRealmManagementRoles(REALM, managerId, List.of("manage-realm", "view-realm"));
        AdminApi asManager = AdminApi.asUser(server, REALM, "admin-cli", "receiver-manager", PASSWORD);
        HttpResponse<String> created = asManager.post(BASE, Map.of("url", "http://127.0.0.1:9/hook"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = (String) Http.json(created.body()).get("id");

        assertThat(asViewer.get(BASE).statusCode()).isEqualTo(200);
        assertThat(asViewer.get(BASE + "/" + id).statusCode()).isEqualTo(200);
        assertThat(asViewer.post(BASE, Map.of("url", "http://127.0.0.1:9/hook")).statusCode()).isEqualTo(403);
        assertThat(asViewer.put(BASE + "/" + id, Map.of("url", "http://127.0.0.1:9/other")).statusCode())
                .isEqualTo(403);
        assertThat(asViewer.post(BASE + "/" + id + "/test", Map.of()).statusCode()).isEqualTo(403);
        assertThat(asViewer.delete(BASE + "/" + id).statusCode()).isEqualTo(403);
        assertThat(asCustomer.get(BASE + "/" + id).statusCode()).isEqualTo(403);
        assertThat(asManager.delete(BASE + "/" + id).statusCode()).isEqualTo(204);
        assertThat(asCustomer.get(BASE).statusCode()).isEqualTo(403);
        assertThat(asCustomer.post(BASE, Map.of("url", "http://127.0.0.1:9/hook")).statusCode()).isEqualTo(403);
    }

    private static String otherRealmReceiver() {
        String realm = "receivers-api-other";
        if (admin().get("/admin/realms/" + realm).statusCode() == 404) {
            AdminApi.createdId(admin().post("/admin/realms", Map.of("realm", realm, "enabled", true)));
        }
        Path secret = server.vaultDir().resolve(realm + "_webhook-secret");
        try {
            Files.writeString(secret, KeycloakSuite.WEBHOOK_SECRET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpResponse<String> created = admin().post("/admin/realms/" + realm + "/customer-links/webhooks",
                Map.of("url", "http://127.0.0.1:9/hook"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return (String) Http.json(created.body()).get("id");
    }

    private static List<Map<String, Object>> componentEvents() {
        return admin().getJsonList("/admin/realms/" + REALM + "/admin-events?resourceTypes=COMPONENT&max=1000");
    }

    private static Map<String, Object> with(Map<String, Object> base, String name, Object value) {
        Map<String, Object> body = new HashMap<>(base);
        body.put(name, value);
        return body;
    }

    private static void assertRefused(Map<String, Object> body, String message) {
        HttpResponse<String> response = admin().post(BASE, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(Http.json(response.body())).containsEntry("error", "invalid_receiver");
        assertThat((String) Http.json(response.body()).get("error_description")).contains(message);
    }

    private static HttpResponse<String> raw(String method, String path, String body) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                    .header("Authorization", "Bearer " + AdminApi.bearerOfBootstrapAdmin(server))
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static AdminApi admin() {
        return AdminApi.asBootstrapAdmin(server);
    }
}
