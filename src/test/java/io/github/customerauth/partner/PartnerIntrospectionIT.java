package io.github.customerauth.partner;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.BrowserLogin;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.PartnerApi;
import io.github.customerauth.testsupport.TestKeys;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.customerauth.testsupport.KeycloakSuite.REALM;
import static org.assertj.core.api.Assertions.assertThat;

/** The partner introspection endpoint: exactly what is answered for a valid token, and active:false for the rest. */
@ExtendWith(KeycloakSuite.class)
class PartnerIntrospectionIT {

    static final String PASSWORD = "Test-only-1!";
    static final String KNOWN_KID = "it-known-key";

    static KeycloakServer server;
    static AdminApi admin;
    static PartnerApi backend;
    static PartnerApi analytics;
    static BrowserLogin webChat;
    static BrowserLogin iosApp;
    static KeyPair knownKey;

    @BeforeAll
    static void setUp() {
        server = KeycloakSuite.server();
        admin = AdminApi.asBootstrapAdmin(server);
        backend = new PartnerApi(server, REALM, "partner-backend", "partner-backend-secret-test-only");
        analytics = new PartnerApi(server, REALM, "partner-analytics", "partner-analytics-secret-test-only");
        webChat = new BrowserLogin(server.baseUrl(), REALM, "web-chat", "http://localhost:3000/callback");
        iosApp = new BrowserLogin(server.baseUrl(), REALM, "ios-app", "com.example.chat.ios:/oauth2redirect");
        knownKey = installKnownSigningKey();
    }

    /** A realm signing key the test also holds, so it can forge otherwise-valid tokens with one thing wrong. */
    static KeyPair installKnownSigningKey() {
        KeyPair keys = TestKeys.rsa();
        String realmId = (String) admin.getJson("/admin/realms/" + REALM).get("id");
        AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/components", Map.of(
                "name", KNOWN_KID, "providerId", "rsa", "providerType", "org.keycloak.keys.KeyProvider",
                "parentId", realmId, "config", Map.of("priority", List.of("1000"), "algorithm", List.of("RS256"),
                        "privateKey", List.of(TestKeys.privateKeyPem(keys)), "active", List.of("true"),
                        "enabled", List.of("true")))));
        return keys;
    }

    @Test
    void aValidChannelTokenIsActiveWithTheIdentifierAndNothingPersonal() {
        String accessToken = accessToken(webChat.login("alice", PASSWORD));

        Map<String, Object> answer = backend.introspect(accessToken);

        assertThat(answer).containsOnlyKeys("active", "exp", "iat", "client_id", "token_type", "scope", "sid", "customer_id")
                .containsEntry("active", true).containsEntry("client_id", "web-chat").containsEntry("token_type", "Bearer")
                .containsEntry("customer_id", "v1.1.sr5m95fFEb0qNN-wYIOGYaaIKz8")
                .containsEntry("sid", Http.claims(accessToken).get("sid"));
        assertThat(answer.toString()).doesNotContain("alice", "12345678");
    }

    @Test
    void aPartnerSeesTheChannelsOnItsAllowListOnly() {
        String web = accessToken(webChat.login("alice", PASSWORD));
        String ios = accessToken(iosApp.login("alice", PASSWORD));

        assertThat(analytics.introspect(web)).containsEntry("active", true)
                .containsEntry("acr", Http.claims(web).get("acr"));
        assertThat(analytics.introspect(ios)).isEqualTo(Map.of("active", false));
    }

    @Test
    void aPartnerNamedInTheAudienceSeesAChannelOffItsList() {
        String token = directGrant("test-console", null, "alice");

        assertThat(Http.claims(token).get("aud")).asString().contains("partner-backend");
        assertThat(backend.introspect(token)).containsEntry("active", true).containsEntry("client_id", "test-console");
        assertThat(analytics.introspect(token)).isEqualTo(Map.of("active", false));
    }

    @Test
    void garbageIsInactive() {
        assertThat(backend.introspect("not-a-jwt")).isEqualTo(Map.of("active", false));
        assertThat(backend.introspect("a.b.c")).isEqualTo(Map.of("active", false));
    }

    @Test
    void aTamperedTokenIsInactive() {
        String token = accessToken(webChat.login("alice", PASSWORD));
        String[] parts = token.split("\\.");
        Map<String, Object> claims = new HashMap<>(Http.claims(token));
        claims.put("customer_id", "v1.1.AAAAAAAAAAAAAAAAAAAAAAAAAAA");
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Http.toJson(claims).getBytes(StandardCharsets.UTF_8));

        assertThat(backend.introspect(parts[0] + "." + payload + "." + parts[2])).isEqualTo(Map.of("active", false));
    }

    @Test
    void anUnsignedTokenIsInactive() {
        String token = accessToken(webChat.login("alice", PASSWORD));

        assertThat(backend.introspect(TestKeys.unsigned(Http.claims(token)))).isEqualTo(Map.of("active", false));
    }

    @Test
    void aTokenSignedWithThePublicKeyAsHmacSecretIsInactive() {
        String token = accessToken(webChat.login("alice", PASSWORD));
        String kid = (String) TestKeys.header(token).get("kid");

        String confused = TestKeys.hs256(knownKey.getPublic().getEncoded(), Map.of("alg", "HS256", "typ", "JWT", "kid", kid),
                Http.claims(token));

        assertThat(backend.introspect(confused)).isEqualTo(Map.of("active", false));
    }

    @Test
    void aForgedTokenWithTheRealKeyIsActiveSoTheNextCasesTestOneThingEach() {
        Map<String, Object> claims = Http.claims(accessToken(webChat.login("alice", PASSWORD)));

        assertThat(backend.introspect(forge(claims))).containsEntry("active", true);
    }

    @Test
    void anExpiredTokenIsInactive() {
        Map<String, Object> claims = new HashMap<>(Http.claims(accessToken(webChat.login("alice", PASSWORD))));
        long now = System.currentTimeMillis() / 1000;
        claims.put("iat", now - 600);
        claims.put("exp", now - 300);

        assertThat(backend.introspect(forge(claims))).isEqualTo(Map.of("active", false));
    }

    @Test
    void aNotYetValidTokenIsInactive() {
        Map<String, Object> claims = new HashMap<>(Http.claims(accessToken(webChat.login("alice", PASSWORD))));
        claims.put("nbf", System.currentTimeMillis() / 1000 + 3600);

        assertThat(backend.introspect(forge(claims))).isEqualTo(Map.of("active", false));
    }

    @Test
    void anotherRealmsTokenIsInactive() {
        AdminApi.createdId(admin.post("/admin/realms", Map.of("realm", "partner-other", "enabled", true,
                "clients", List.of(Map.of("clientId", "web-chat", "publicClient", true, "directAccessGrantsEnabled", true)),
                "users", List.of(Map.of("username", "alice", "enabled", true, "email", "alice@other.example.test",
                        "firstName", "A", "lastName", "O",
                        "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)))))));
        HttpResponse<String> other = Http.grant(server.baseUrl() + "/realms/partner-other/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "web-chat", "username", "alice", "password", PASSWORD));

        assertThat(backend.introspect(accessToken(Http.json(other.body())))).isEqualTo(Map.of("active", false));
    }

    @Test
    void aLoggedOutSessionIsInactive() {
        Map<String, Object> login = webChat.login("alice", PASSWORD);
        HttpResponse<String> logout = Http.postForm(server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/logout",
                Map.of("client_id", "web-chat", "refresh_token", (String) login.get("refresh_token")));
        assertThat(logout.statusCode()).isEqualTo(204);

        assertThat(backend.introspect(accessToken(login))).isEqualTo(Map.of("active", false));
    }

    @Test
    void aDeletedSessionIsInactive() {
        String token = accessToken(webChat.login("alice", PASSWORD));
        assertThat(admin.delete("/admin/realms/" + REALM + "/sessions/" + Http.claims(token).get("sid")).statusCode())
                .isEqualTo(204);

        assertThat(backend.introspect(token)).isEqualTo(Map.of("active", false));
    }

    @Test
    void aDisabledUsersTokenIsInactive() {
        String userId = createCustomer("pi-disabled", "77770001");
        String token = directGrant("test-console", null, "pi-disabled");
        assertThat(backend.introspect(token)).containsEntry("active", true);

        Map<String, Object> user = admin.getJson("/admin/realms/" + REALM + "/users/" + userId);
        user.put("enabled", false);
        assertThat(admin.put("/admin/realms/" + REALM + "/users/" + userId, user).statusCode()).isEqualTo(204);

        assertThat(backend.introspect(token)).isEqualTo(Map.of("active", false));
    }

    @Test
    void aDeletedUsersTokenIsInactive() {
        String userId = createCustomer("pi-deleted", "77770002");
        String token = directGrant("test-console", null, "pi-deleted");

        assertThat(admin.delete("/admin/realms/" + REALM + "/users/" + userId).statusCode()).isEqualTo(204);

        assertThat(backend.introspect(token)).isEqualTo(Map.of("active", false));
    }

    @Test
    void aDisabledClientsTokenIsInactive() {
        String clientUuid = createChannel("it-disabled-channel");
        String token = directGrant("it-disabled-channel", null, "alice");
        assertThat(backend.introspect(token)).containsEntry("active", true);

        Map<String, Object> client = admin.getJson("/admin/realms/" + REALM + "/clients/" + clientUuid);
        client.put("enabled", false);
        assertThat(admin.put("/admin/realms/" + REALM + "/clients/" + clientUuid, client).statusCode()).isEqualTo(204);

        assertThat(backend.introspect(token)).isEqualTo(Map.of("active", false));
    }

    @Test
    void aTokenRevokedByNotBeforeIsInactive() {
        String clientUuid = createChannel("it-revoked-channel");
        String token = directGrant("it-revoked-channel", null, "alice");
        assertThat(backend.introspect(token)).containsEntry("active", true);

        Map<String, Object> client = admin.getJson("/admin/realms/" + REALM + "/clients/" + clientUuid);
        client.put("notBefore", System.currentTimeMillis() / 1000 + 1);
        assertThat(admin.put("/admin/realms/" + REALM + "/clients/" + clientUuid, client).statusCode()).isEqualTo(204);

        assertThat(backend.introspect(token)).isEqualTo(Map.of("active", false));
    }

    @Test
    void theJwtAnswerIsSignedByTheRealmAsRfc9701Says() throws Exception {
        String token = accessToken(webChat.login("alice", PASSWORD));

        HttpResponse<String> response = backend.post("introspect", Map.of("token", token),
                "Accept", "application/token-introspection+jwt");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/token-introspection+jwt");
        JWSObject jwt = JWSObject.parse(response.body());
        assertThat(jwt.getHeader().getType().toString()).isEqualTo("token-introspection+jwt");
        JWKSet jwks = JWKSet.load(new URL(server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/certs"));
        RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        Map<String, Object> claims = jwt.getPayload().toJSONObject();
        assertThat(claims).containsEntry("iss", server.baseUrl() + "/realms/" + REALM)
                .containsEntry("aud", "partner-backend").containsKey("iat");
        @SuppressWarnings("unchecked")
        Map<String, Object> introspection = (Map<String, Object>) claims.get("token_introspection");
        assertThat(introspection).containsEntry("active", true).containsEntry("customer_id", "v1.1.sr5m95fFEb0qNN-wYIOGYaaIKz8");
    }

    static String forge(Map<String, Object> claims) {
        return TestKeys.rs256(knownKey, Map.of("alg", "RS256", "typ", "JWT", "kid", knownKid()), claims);
    }

    private static String cachedKid;

    /** The kid Keycloak gave the known key, from the realm's JWKS. */
    static synchronized String knownKid() {
        if (cachedKid == null) {
            Map<String, Object> certs = Http.json(Http.send(HttpRequest.newBuilder(URI.create(
                    server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/certs")).build()).body());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> keys = (List<Map<String, Object>>) certs.get("keys");
            String modulus = (String) TestKeys.publicJwk(knownKey, "x").get("n");
            cachedKid = (String) keys.stream().filter(k -> modulus.equals(k.get("n"))).findFirst().orElseThrow().get("kid");
        }
        return cachedKid;
    }

    static String accessToken(Map<String, Object> tokenResponse) {
        return (String) tokenResponse.get("access_token");
    }

    static String directGrant(String clientId, String secret, String username) {
        Map<String, String> form = new HashMap<>(Map.of("grant_type", "password", "client_id", clientId,
                "username", username, "password", PASSWORD));
        if (secret != null) {
            form.put("client_secret", secret);
        }
        HttpResponse<String> response = Http.grant(server.baseUrl() + "/realms/" + REALM
                + "/protocol/openid-connect/token", form);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return accessToken(Http.json(response.body()));
    }

    /** A public channel client with direct grants, the identifier and partner-backend in aud, as the sample channels. */
    static String createChannel(String clientId) {
        return AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/clients", Map.of("clientId", clientId,
                "publicClient", true, "directAccessGrantsEnabled", true, "standardFlowEnabled", false,
                "defaultClientScopes", List.of("basic", "profile", "customer-identifier", "partner-backend-audience"))));
    }

    static String createCustomer(String username, String accountNumber) {
        return AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/users", Map.of("username", username,
                "enabled", true, "email", username + "@customers.example.test", "firstName", username, "lastName", "Test",
                "attributes", Map.of("accountNumber", List.of(accountNumber)),
                "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)))));
    }
}
