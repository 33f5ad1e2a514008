package io.github.customerauth.partner;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.BrowserLogin;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.PartnerApi;
import io.github.customerauth.testsupport.RawHttp;
import io.github.customerauth.testsupport.TestKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.customerauth.partner.PartnerIntrospectionIT.PASSWORD;
import static io.github.customerauth.partner.PartnerIntrospectionIT.accessToken;
import static io.github.customerauth.testsupport.KeycloakSuite.REALM;
import static org.assertj.core.api.Assertions.assertThat;

/** Claim comparison, the profile allow-list, client authentication and every error status. */
@ExtendWith(KeycloakSuite.class)
class PartnerEndpointsIT {

    static final String ALICE_ID = "v1.1.sr5m95fFEb0qNN-wYIOGYaaIKz8";

    static KeycloakServer server;
    static AdminApi admin;
    static PartnerApi backend;
    static PartnerApi analytics;
    static String webToken;

    @BeforeAll
    static void setUp() {
        server = KeycloakSuite.server();
        admin = AdminApi.asBootstrapAdmin(server);
        backend = new PartnerApi(server, REALM, "partner-backend", "partner-backend-secret-test-only");
        analytics = new PartnerApi(server, REALM, "partner-analytics", "partner-analytics-secret-test-only");
        webToken = accessToken(new BrowserLogin(server.baseUrl(), REALM, "web-chat", "http://localhost:3000/callback")
                .login("alice", PASSWORD));
    }

    @Test
    void comparisonSaysPerClaimWhetherTheSdkInputMatchesTheToken() {
        Map<String, Object> same = backend.call("compare", webToken, Map.of("expected.customer_id", ALICE_ID,
                "expected.client_id", "web-chat"));
        Map<String, Object> different = backend.call("compare", webToken, Map.of(
                "expected.customer_id", "v1.1.AAAAAAAAAAAAAAAAAAAAAAAAAAA", "expected.client_id", "web-chat"));

        assertThat(same).isEqualTo(Map.of("active", true, "match", true,
                "claims", Map.of("customer_id", "match", "client_id", "match")));
        assertThat(different).isEqualTo(Map.of("active", true, "match", false,
                "claims", Map.of("customer_id", "mismatch", "client_id", "match")));
    }

    @Test
    void comparisonIsNoOracleForClaimsThePartnerMayNotSee() {
        Map<String, Object> answer = backend.call("compare", webToken, Map.of("expected.email", "alice@customers.example.test"));

        assertThat(answer).containsEntry("match", false).containsEntry("claims", Map.of("email", "not_allowed"));
    }

    @Test
    void comparisonOfAnInactiveTokenSaysOnlyInactive() {
        assertThat(backend.call("compare", "not-a-jwt", Map.of("expected.customer_id", ALICE_ID)))
                .isEqualTo(Map.of("active", false));
    }

    @Test
    void theProfileHoldsTheAllowedFieldsOnly() {
        assertThat(backend.call("profile", webToken, Map.of())).isEqualTo(Map.of("active", true,
                "customer_id", ALICE_ID, "profile", Map.of("firstName", "Alice")));
        assertThat(analytics.call("profile", webToken, Map.of())).isEqualTo(Map.of("active", true,
                "customer_id", ALICE_ID, "profile", Map.of("email", "alice@customers.example.test",
                        "firstName", "Alice", "lastName", "Standard")));
    }

    @Test
    void aMissingTokenIs400() {
        HttpResponse<String> response = backend.post("introspect", Map.of("token_type_hint", "access_token"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Http.json(response.body())).isEqualTo(Map.of("error", "invalid_request",
                "error_description", "The token parameter is required."));
    }

    @Test
    void aRepeatedParameterIs400() {
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(partnerUri("introspect"))
                .header("Authorization", basic("partner-backend", "partner-backend-secret-test-only"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=a&token=b")).build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Http.json(response.body())).containsEntry("error", "invalid_request");
    }

    @Test
    void aJsonBodyIs415() {
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(partnerUri("introspect"))
                .header("Authorization", basic("partner-backend", "partner-backend-secret-test-only"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"x\"}")).build());

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(Http.json(response.body())).containsEntry("error", "invalid_request");
    }

    @Test
    void aWrongSecretIs401() {
        HttpResponse<String> response = new PartnerApi(server, REALM, "partner-backend", "wrong")
                .post("introspect", Map.of("token", webToken));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Http.json(response.body())).isEqualTo(Map.of("error", "invalid_client",
                "error_description", "Client authentication failed."));
    }

    @Test
    void aPublicClientIs401() {
        HttpResponse<String> response = Http.postForm(partnerUri("introspect").toString(),
                Map.of("client_id", "web-chat", "token", webToken));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Http.json(response.body())).containsEntry("error", "invalid_client");
    }

    @Test
    void aConfidentialClientWithoutThePartnerRoleIs403() {
        AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/clients", Map.of("clientId", "it-not-a-partner",
                "publicClient", false, "secret", "it-not-a-partner-secret", "serviceAccountsEnabled", true,
                "standardFlowEnabled", false)));

        HttpResponse<String> response = new PartnerApi(server, REALM, "it-not-a-partner", "it-not-a-partner-secret")
                .post("introspect", Map.of("token", webToken));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(Http.json(response.body())).isEqualTo(Map.of("error", "access_denied",
                "error_description", "This client does not have the partner role."));
    }

    @Test
    void anOversizedBodyIs413() {
        HttpResponse<String> response = backend.post("introspect", Map.of("token", "x".repeat(20_000)));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(Http.json(response.body())).containsEntry("error", "invalid_request");
    }

    /**
     * Keycloak's HTTP layer reads a request's whole body before any provider runs (up to
     * {@code quarkus.http.limits.max-body-size}, 10 MiB by default); a body declared larger is refused from its
     * {@code Content-Length} before it is sent, so a partner endpoint never holds more than that.
     */
    @Test
    void aBodyOverKeycloaksHttpLimitIsRefusedBeforeItIsSent() {
        long started = System.nanoTime();
        String answer = RawHttp.exchangeDeclaring(KeycloakSuite.HTTP_PORT, "POST /realms/" + REALM
                + "/partner/introspect HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded",
                11L * 1024 * 1024, "token=x".getBytes(StandardCharsets.US_ASCII));

        assertThat(RawHttp.status(answer)).isEqualTo(413);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aPartnerOverItsLimitGets429() {
        String clientUuid = AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/clients", Map.of(
                "clientId", "it-limited-partner", "publicClient", false, "secret", "it-limited-secret",
                "serviceAccountsEnabled", true, "standardFlowEnabled", false,
                "attributes", Map.of("customer-auth.partner.channels", "web-chat",
                        "customer-auth.partner.requests-per-second", "2"))));
        grantPartnerRole(clientUuid);
        PartnerApi limited = new PartnerApi(server, REALM, "it-limited-partner", "it-limited-secret");

        List<Integer> statuses = IntStream.range(0, 6)
                .mapToObj(i -> limited.post("introspect", Map.of("token", webToken)).statusCode()).toList();

        assertThat(statuses).startsWith(200, 200).contains(429);
        HttpResponse<String> refused = limited.post("introspect", Map.of("token", webToken));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Http.json(refused.body())).containsEntry("error", "too_many_requests");
    }

    @Test
    void aPartnerMayAuthenticateWithASignedJwt() {
        KeyPair keys = TestKeys.rsa();
        String clientUuid = AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/clients", Map.of(
                "clientId", "it-jwt-partner", "publicClient", false, "clientAuthenticatorType", "client-jwt",
                "serviceAccountsEnabled", true, "standardFlowEnabled", false,
                "attributes", Map.of("customer-auth.partner.channels", "web-chat", "use.jwks.string", "true",
                        "jwks.string", Http.toJson(Map.of("keys", List.of(TestKeys.publicJwk(keys, "it-jwt")))),
                        "token.endpoint.auth.signing.alg", "RS256"))));
        grantPartnerRole(clientUuid);
        long now = System.currentTimeMillis() / 1000;
        String assertion = TestKeys.rs256(keys, Map.of("alg", "RS256", "typ", "JWT", "kid", "it-jwt"), Map.of(
                "iss", "it-jwt-partner", "sub", "it-jwt-partner", "jti", UUID.randomUUID().toString(),
                "aud", server.baseUrl() + "/realms/" + REALM, "iat", now, "exp", now + 60));

        HttpResponse<String> response = Http.postForm(partnerUri("introspect").toString(), Map.of(
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", assertion, "token", webToken));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Http.json(response.body())).containsEntry("active", true).containsEntry("customer_id", ALICE_ID);
    }

    private static void grantPartnerRole(String clientUuid) {
        Map<String, Object> serviceAccount = admin.getJson("/admin/realms/" + REALM + "/clients/" + clientUuid
                + "/service-account-user");
        Map<String, Object> role = admin.getJson("/admin/realms/" + REALM + "/roles/customer-partner");
        assertThat(admin.post("/admin/realms/" + REALM + "/users/" + serviceAccount.get("id") + "/role-mappings/realm",
                List.of(role)).statusCode()).isEqualTo(204);
    }

    private static URI partnerUri(String endpoint) {
        return URI.create(server.baseUrl() + "/realms/" + REALM + "/partner/" + endpoint);
    }

    private static String basic(String clientId, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes());
    }
}
