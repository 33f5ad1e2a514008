package io.github.customerauth.setup;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.Customers;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.PartnerApi;
import io.github.customerauth.testsupport.WebhookReceiver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /admin/realms/{realm}/customer-setup}: an empty realm with one customer and one channel client, set up
 * in one step, passes the sample realm's checks (privacy report empty, identifier issued, partner introspection and
 * exchange, a webhook delivered); a dry run changes nothing; a second call changes nothing; the sample realm is
 * already as recommended; a careless or under-privileged admin gets a clear refusal and the realm stays as it was.
 */
@ExtendWith(KeycloakSuite.class)
class RealmSetupIT {

    private static final String REALM = "setup-empty";
    private static final String CHANNEL = "shop-app";
    private static final String PARTNER = "messaging-platform";
    private static final String ALICE_ID = "v1.1.sr5m95fFEb0qNN-wYIOGYaaIKz8";
    private static final Map<String, Object> ASK = Map.of("channels", List.of(CHANNEL), "partner", PARTNER);
    private static final List<String> PERSONAL = List.of("email", "email_verified", "name", "given_name",
            "family_name", "preferred_username", "accountNumber", "username");

    static KeycloakServer server;

    @BeforeAll
    static void setUp() throws IOException {
        server = KeycloakSuite.server();
        createRealm(REALM, true, Map.of());
    }

    @Test
    void anEmptyRealmPassesTheSampleRealmsChecksAfterOneStep() {
        Map<String, Object> dryRun = setup(REALM, "?dryRun=true", ASK, 200);
        assertThat(dryRun).containsEntry("dryRun", true);
        List<Map<String, Object>> planned = changes(dryRun);
        assertThat(planned).extracting(change -> change.get("step")).contains("partner", "account-number-attribute",
                "identifier-scope", "personal-claims", "events");
        assertThat(admin().getJsonList("/admin/realms/" + REALM + "/clients?clientId=" + PARTNER))
                .as("the dry run created nothing").isEmpty();
        assertThat(changes(setup(REALM, "?dryRun=true", ASK, 200))).as("and changed nothing").isEqualTo(planned);

        Map<String, Object> applied = setup(REALM, "", ASK, 200);
        assertThat(applied).containsEntry("dryRun", false);
        assertThat(changes(applied)).isEqualTo(planned);
        assertThat(changes(setup(REALM, "", ASK, 200))).as("a second call").isEmpty();
        assertThat(changes(setup(REALM, "?dryRun=true", ASK, 200))).isEmpty();
        assertThat(admin().getJsonList("/admin/realms/" + REALM + "/admin-events?max=1000"))
                .filteredOn(event -> "CUSTOMER_SETUP".equals(event.get("resourceType")))
                .as("one admin event: the call that changed something").hasSize(1);

        giveAccountNumber("pat", "12345678");
        assertThat(admin().getJsonList("/admin/realms/" + REALM + "/customer-identifiers/access-token-privacy"))
                .as("the privacy report").isEmpty();
        try (WebhookReceiver receiver = new WebhookReceiver().start()) {
            assertThat(admin().post("/admin/realms/" + REALM + "/customer-links/webhooks", Map.of("name", "platform",
                    "url", receiver.url(), "secret", "${vault.webhook-secret}")).statusCode()).isEqualTo(201);
            String accessToken = passwordLogin("pat");
            assertTokenHasIdentifierAndNoPersonalData(accessToken);
            assertPartnerSeesIt(accessToken);
            WebhookReceiver.Delivery login = receiver.await(message -> ALICE_ID.equals(message.get("customer_id"))
                    && "LOGIN".equals(message.get("type")), Duration.ofSeconds(30));
            assertThat(login.json()).containsEntry("channel", CHANNEL);
            assertThat(login.body()).doesNotContain("pat", "12345678");
        }
    }

    @Test
    void theSampleRealmIsAlreadyAsRecommended() {
        assertThat(changes(setup(KeycloakSuite.REALM, "?dryRun=true", Map.of("channels",
                List.of("web-chat", "ios-app", "android-app"), "partner", "partner-backend"), 200))).isEmpty();
    }

    @Test
    void aCarelessAdminIsToldWhatIsWrongAndTheRealmStaysAsItWas() throws IOException {
        String realm = "setup-careless";
        createRealm(realm, false, Map.of("name", "email in access token", "protocol", "openid-connect",
                "protocolMapper", "oidc-usermodel-attribute-mapper", "config", Map.of("user.attribute", "email",
                        "claim.name", "email", "jsonType.label", "String", "access.token.claim", "true")));
        assertRefused(realm, "", Map.of("channels", List.of("no-such-app"), "partner", PARTNER), "no-such-app");
        assertRefused(realm, "", Map.of("channels", List.of(CHANNEL), "partner", CHANNEL), "both");
        assertRefused(realm, "", Map.of("channels", List.of(CHANNEL), "partner", "public-app"), "authenticates");
        assertRefused(realm, "", Map.of("channels", CHANNEL, "partner", PARTNER), "channels");
        assertRefused(realm, "", Map.of("channels", List.of(CHANNEL), "partner", PARTNER, "secret", "x"), "secret");
        assertRefused(realm, "?dryRun=maybe", ASK, "dryRun");
        assertRefused(realm, "", Map.of("channels", List.of("account-console"), "partner", PARTNER), "Keycloak's own");
        assertRefused(realm, "", Map.of("channels", List.of(CHANNEL), "partner", PARTNER, "claimName", "sub"), "sub");
        assertRefused(realm, "", Map.of("channels", List.of(CHANNEL), "partner", PARTNER,
                "accountNumberAttribute", "email"), "accountNumberAttribute");
        assertRefused("master", "", ASK, "admin realm");
        assertRefused(realm, "", ASK, "${vault.customer-id-key}");
        assertRefused(realm, "", Map.of("channels", List.of(CHANNEL), "partner", PARTNER,
                "key", KeycloakSuite.VECTOR_KEY), "vault reference");
        assertThat(admin().getJsonList("/admin/realms/" + realm + "/client-scopes")).as("nothing was changed")
                .extracting(scope -> scope.get("name")).doesNotContain("customer-identifier");

        String viewer = AdminApi.createdId(admin().post("/admin/realms/" + realm + "/users",
                Customers.representation("viewer")));
        admin().grantRealmManagementRoles(realm, viewer,
                List.of("view-realm", "view-events", "view-clients", "view-users"));
        AdminApi viewing = AdminApi.asUser(server, realm, "admin-cli", "viewer", Customers.PASSWORD);
        Files.writeString(server.vaultDir().resolve(realm + "_customer-id-key"), KeycloakSuite.VECTOR_KEY);
        assertThat(viewing.post("/admin/realms/" + realm + "/customer-setup?dryRun=true", ASK).statusCode())
                .isEqualTo(200);
        assertThat(viewing.post("/admin/realms/" + realm + "/customer-setup", ASK).statusCode()).isEqualTo(403);

        assertThat(changes(setup(realm, "", ASK, 200))).extracting(change -> change.get("change"))
                .anyMatch(change -> change.toString().contains("'email in access token' of client '" + CHANNEL + "'"));
        giveAccountNumber("pat", "12345678", realm);
        assertThat(admin().getJsonList("/admin/realms/" + realm + "/customer-identifiers/access-token-privacy"))
                .isEmpty();
        assertThat(Http.claims(passwordLogin("pat", realm))).containsEntry("customer_id", ALICE_ID)
                .doesNotContainKeys(PERSONAL.toArray(String[]::new));
    }

    private static void assertTokenHasIdentifierAndNoPersonalData(String accessToken) {
        Map<String, Object> claims = Http.claims(accessToken);
        assertThat(claims).containsEntry("customer_id", ALICE_ID).doesNotContainKeys(PERSONAL.toArray(String[]::new));
        assertThat(claims.get("aud").toString()).contains(PARTNER);
        HttpResponse<String> userinfo = Http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/realms/"
                + REALM + "/protocol/openid-connect/userinfo")).header("Authorization", "Bearer " + accessToken)
                .build());
        assertThat(Http.json(userinfo.body())).as("userinfo").containsEntry("customer_id", ALICE_ID)
                .doesNotContainKeys(PERSONAL.toArray(String[]::new));
    }

    private static void assertPartnerSeesIt(String accessToken) {
        String uuid = admin().clientUuid(REALM, PARTNER);
        String secret = (String) admin().getJson("/admin/realms/" + REALM + "/clients/" + uuid + "/client-secret")
                .get("value");
        Map<String, Object> introspection = new PartnerApi(server, REALM, PARTNER, secret).introspect(accessToken);
        assertThat(introspection).containsEntry("active", true).containsEntry("customer_id", ALICE_ID)
                .doesNotContainKeys(PERSONAL.toArray(String[]::new));

        HttpResponse<String> keycloaks = Http.postForm(tokenUrl(REALM) + "/introspect", Map.of("token", accessToken,
                "client_id", PARTNER, "client_secret", secret));
        assertThat(Http.json(keycloaks.body())).as("Keycloak's own introspection").containsEntry("active", true)
                .containsEntry("username", "withheld").doesNotContainKey("email");

        HttpResponse<String> exchanged = Http.grant(tokenUrl(REALM), Map.of("client_id", PARTNER,
                "client_secret", secret, "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                "subject_token", accessToken, "subject_token_type", "urn:ietf:params:oauth:token-type:access_token"));
        assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
        assertThat(Http.claims((String) Http.json(exchanged.body()).get("access_token")))
                .containsEntry("customer_id", ALICE_ID).doesNotContainKeys(PERSONAL.toArray(String[]::new));
    }

    /** A realm as Keycloak makes one, with one customer (no account number yet) and one public channel client. */
    private static void createRealm(String name, boolean withKeys, Map<String, Object> clientMapper)
            throws IOException {
        if (withKeys) {
            Files.writeString(server.vaultDir().resolve(name + "_customer-id-key"), KeycloakSuite.VECTOR_KEY);
            Files.writeString(server.vaultDir().resolve(name + "_webhook-secret"), KeycloakSuite.WEBHOOK_SECRET);
        }
        Map<String, Object> channel = new HashMap<>(Map.of("clientId", CHANNEL, "publicClient", true,
                "directAccessGrantsEnabled", true, "redirectUris", List.of("http://localhost:3000/*")));
        if (!clientMapper.isEmpty()) {
            channel.put("protocolMappers", List.of(clientMapper));
        }
        HttpResponse<String> created = admin().post("/admin/realms", Map.of("realm", name, "enabled", true,
                "clients", List.of(channel, Map.of("clientId", "public-app", "publicClient", true)),
                "users", List.of(Customers.representation("pat"))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    private static void giveAccountNumber(String username, String accountNumber) {
        giveAccountNumber(username, accountNumber, REALM);
    }

    private static void giveAccountNumber(String username, String accountNumber, String realm) {
        String path = "/admin/realms/" + realm + "/users/" + admin().userId(realm, username);
        Map<String, Object> user = new HashMap<>(admin().getJson(path));
        user.put("attributes", Map.of("accountNumber", List.of(accountNumber)));
        HttpResponse<String> updated = admin().put(path, user);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(204);
    }

    private static String passwordLogin(String username) {
        return passwordLogin(username, REALM);
    }

    private static String passwordLogin(String username, String realm) {
        HttpResponse<String> token = Http.grant(tokenUrl(realm), Map.of("grant_type", "password", "client_id", CHANNEL,
                "username", username, "password", Customers.PASSWORD, "scope", "openid"));
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return (String) Http.json(token.body()).get("access_token");
    }

    private static String tokenUrl(String realm) {
        return server.baseUrl() + "/realms/" + realm + "/protocol/openid-connect/token";
    }

    private static void assertRefused(String realm, String query, Map<String, Object> body, String mentioning) {
        HttpResponse<String> refused = admin().post("/admin/realms/" + realm + "/customer-setup" + query, body);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(Http.json(refused.body())).containsEntry("error", "invalid_setup")
                .extractingByKey("error_description").asString().contains(mentioning);
    }

    private static Map<String, Object> setup(String realm, String query, Map<String, Object> body, int status) {
        HttpResponse<String> answer = admin().post("/admin/realms/" + realm + "/customer-setup" + query, body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return Http.json(answer.body());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> changes(Map<String, Object> answer) {
        return (List<Map<String, Object>>) answer.get("changes");
    }

    private static AdminApi admin() {
        return AdminApi.asBootstrapAdmin(server);
    }
}
