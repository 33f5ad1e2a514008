package io.github.customerauth.identifier;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.BrowserLogin;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.ScratchRealm;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.customerauth.testsupport.KeycloakSuite.REALM;
import static org.assertj.core.api.Assertions.assertThat;

/** The identifier claim as channel apps receive it from the sample realm, through the real login form. */
@ExtendWith(KeycloakSuite.class)
class CustomerIdentifierIT {

    static final String PASSWORD = "Test-only-1!";
    static final IdentifierDerivation VECTOR = new IdentifierDerivation(IdentifierKey.of("1", KeycloakSuite.VECTOR_KEY));
    static final String ALICE_ID = "v1.1.sr5m95fFEb0qNN-wYIOGYaaIKz8";

    static KeycloakServer server;
    static AdminApi admin;
    static BrowserLogin webChat;
    static BrowserLogin iosApp;

    @BeforeAll
    static void connect() {
        server = KeycloakSuite.server();
        admin = AdminApi.asBootstrapAdmin(server);
        webChat = new BrowserLogin(server.baseUrl(), REALM, "web-chat", "http://localhost:3000/callback");
        iosApp = new BrowserLogin(server.baseUrl(), REALM, "ios-app", "com.example.chat.ios:/oauth2redirect");
    }

    @Test
    void everyChannelAndEveryTokenCarryTheSameDocumentedIdentifier() {
        Map<String, Object> web = webChat.login("alice", PASSWORD);
        Map<String, Object> ios = iosApp.login("alice", PASSWORD);

        assertThat(Http.claims((String) web.get("access_token"))).containsEntry("customer_id", ALICE_ID);
        assertThat(Http.claims((String) web.get("id_token"))).containsEntry("customer_id", ALICE_ID);
        assertThat(Http.claims((String) ios.get("access_token"))).containsEntry("customer_id", ALICE_ID)
                .containsEntry("azp", "ios-app");
        assertThat(userInfo((String) ios.get("access_token"))).containsEntry("customer_id", ALICE_ID);
    }

    @Test
    void refreshKeepsTheIdentifier() {
        Map<String, Object> login = webChat.login("alice", PASSWORD);

        Map<String, Object> refreshed = webChat.refresh((String) login.get("refresh_token"));

        assertThat(Http.claims((String) refreshed.get("access_token"))).containsEntry("customer_id", ALICE_ID);
        assertThat(Http.claims((String) refreshed.get("id_token"))).containsEntry("customer_id", ALICE_ID);
    }

    @Test
    void tokensCarryNeitherTheAccountNumberNorItsPlainHash() {
        String accessToken = (String) webChat.login("alice", PASSWORD).get("access_token");

        assertThat(accessToken).doesNotContain("12345678");
        assertThat(Http.claims(accessToken).toString()).doesNotContain("12345678");
    }

    @Test
    void oddlyFormattedAccountNumbersGiveTheIdentifierOfTheirCanonicalForm() {
        String accessToken = (String) webChat.login("bob", PASSWORD).get("access_token");

        assertThat(Http.claims(accessToken)).containsEntry("customer_id", VECTOR.derive("00123456"));
    }

    @Test
    void aUserWithoutAccountNumberGetsNoClaimByDefault() {
        Map<String, Object> carol = webChat.login("carol", PASSWORD);

        assertThat(Http.claims((String) carol.get("access_token"))).doesNotContainKey("customer_id");
        assertThat(Http.claims((String) carol.get("id_token"))).doesNotContainKey("customer_id");
    }

    @Test
    void aClientSetToRefuseAnswersInvalidGrantForAUserWithoutAccountNumber() {
        DirectGrantClient client = DirectGrantClient.create(admin, "it-refuse", Map.of("missing.attribute", "refuse"));

        HttpResponse<String> carol = client.passwordGrant("carol", PASSWORD);
        HttpResponse<String> alice = client.passwordGrant("alice", PASSWORD);

        assertThat(carol.statusCode()).isEqualTo(400);
        assertThat(Http.json(carol.body())).containsEntry("error", "invalid_grant")
                .containsEntry("error_description", "This client requires a customer account number, and this user has none.");
        assertThat(alice.statusCode()).isEqualTo(200);
        assertThat(Http.claims((String) Http.json(alice.body()).get("access_token"))).containsEntry("customer_id", ALICE_ID);
    }

    @Test
    void introspectionAnswersTheIdentifierToo() {
        DirectGrantClient client = DirectGrantClient.create(admin, "it-introspect", Map.of());
        String accessToken = (String) Http.json(client.passwordGrant("alice", PASSWORD).body()).get("access_token");

        Map<String, Object> introspection = client.introspect(accessToken);

        assertThat(introspection).containsEntry("active", true).containsEntry("customer_id", ALICE_ID);
    }

    @Test
    void duringARotationTokensAlsoCarryThePreviousIdentifier() {
        String newKey = "ab".repeat(32);
        ScratchRealm realm = ScratchRealm.create(server, admin, "rotation-during",
                Map.of("customer-id-key", KeycloakSuite.VECTOR_KEY, "customer-id-key-2027", newKey),
                Map.of("key.vault.reference", "${vault.customer-id-key-2027}", "key.id", "2027",
                        "previous.key.vault.reference", "${vault.customer-id-key}", "previous.key.id", "1",
                        "previous.claim.until", LocalDate.now().plusDays(30).toString()),
                Map.of("alice", "12345678"));

        Map<String, Object> claims = realm.accessTokenClaims("alice");

        String rotated = new IdentifierDerivation(IdentifierKey.of("2027", newKey)).derive("12345678");
        assertThat(claims).containsEntry("customer_id", rotated).containsEntry("customer_id_previous", ALICE_ID);
        assertThat(rotated).startsWith("v1.2027.");
        String lookup = "/admin/realms/" + realm.name() + "/customer-identifiers/";
        assertThat(admin.getJson(lookup + rotated)).containsEntry("username", "alice").containsEntry("keyId", "2027");
        assertThat(admin.getJson(lookup + ALICE_ID)).containsEntry("username", "alice").containsEntry("keyId", "1");
    }

    @Test
    void afterThePreviousPeriodOnlyTheNewIdentifierIsEmitted() {
        ScratchRealm realm = ScratchRealm.create(server, admin, "rotation-over",
                Map.of("customer-id-key", KeycloakSuite.VECTOR_KEY, "customer-id-key-2028", "cd".repeat(32)),
                Map.of("key.vault.reference", "${vault.customer-id-key-2028}", "key.id", "2028",
                        "previous.key.vault.reference", "${vault.customer-id-key}", "previous.key.id", "1",
                        "previous.claim.until", LocalDate.now().minusDays(1).toString()),
                Map.of("alice", "12345678"));

        Map<String, Object> claims = realm.accessTokenClaims("alice");

        assertThat(claims).containsKey("customer_id").doesNotContainKey("customer_id_previous");
        assertThat((String) claims.get("customer_id")).startsWith("v1.2028.");
    }

    private static Map<String, Object> userInfo(String accessToken) {
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/userinfo"))
                .header("Authorization", "Bearer " + accessToken).GET().build());
        assertThat(response.statusCode()).isEqualTo(200);
        return Http.json(response.body());
    }

    /** A confidential test client with direct grants and its own identifier mapper (the sample scope removed). */
    record DirectGrantClient(String clientId, String secret) {

        static DirectGrantClient create(AdminApi admin, String clientId, Map<String, String> mapperConfig) {
            String secret = clientId + "-secret";
            Map<String, String> config = new HashMap<>(Map.of("access.token.claim", "true", "id.token.claim", "true",
                    "introspection.token.claim", "true", "userinfo.token.claim", "true"));
            config.putAll(mapperConfig);
            AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/clients", Map.of(
                    "clientId", clientId, "publicClient", false, "secret", secret,
                    "directAccessGrantsEnabled", true, "standardFlowEnabled", false,
                    "defaultClientScopes", List.of("basic", "profile"),
                    "protocolMappers", List.of(Map.of("name", "identifier", "protocol", "openid-connect",
                            "protocolMapper", CustomerIdentifierMapper.PROVIDER_ID, "config", config),
                            Map.of("name", "own audience", "protocol", "openid-connect",
                                    "protocolMapper", "oidc-audience-mapper", "config", Map.of(
                                            "included.client.audience", clientId, "access.token.claim", "true",
                                            "introspection.token.claim", "true"))))));
            return new DirectGrantClient(clientId, secret);
        }

        HttpResponse<String> passwordGrant(String username, String password) {
            return Http.grant(server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/token", Map.of(
                    "grant_type", "password", "client_id", clientId, "client_secret", secret,
                    "username", username, "password", password, "scope", "openid"));
        }

        Map<String, Object> introspect(String token) {
            HttpResponse<String> response = Http.postForm(
                    server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/token/introspect",
                    Map.of("token", token, "client_id", clientId, "client_secret", secret));
            assertThat(response.statusCode()).isEqualTo(200);
            return Http.json(response.body());
        }
    }
}
