package io.github.customerauth.partner;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.github.customerauth.testsupport.BrowserLogin;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.PartnerApi;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.github.customerauth.partner.PartnerIntrospectionIT.PASSWORD;
import static io.github.customerauth.partner.PartnerIntrospectionIT.accessToken;
import static io.github.customerauth.testsupport.KeycloakSuite.REALM;
import static org.assertj.core.api.Assertions.assertThat;

/** One customer token for the partner, whatever the channel: standard token exchange (RFC 8693) and JWKS checks. */
@ExtendWith(KeycloakSuite.class)
class PartnerTokenExchangeIT {

    static final String ALICE_ID = "v1.1.sr5m95fFEb0qNN-wYIOGYaaIKz8";
    static KeycloakServer server;

    @BeforeAll
    static void setUp() {
        server = KeycloakSuite.server();
    }

    @ParameterizedTest
    @CsvSource({
            "web-chat,    http://localhost:3000/callback",
            "ios-app,     com.example.chat.ios:/oauth2redirect",
            "android-app, com.example.chat.android:/oauth2redirect",
    })
    void everyChannelsTokenExchangesForTheSameImpersonalPartnerToken(String channel, String redirectUri) {
        Map<String, Object> login = new BrowserLogin(server.baseUrl(), REALM, channel, redirectUri).login("alice", PASSWORD);
        Map<String, Object> subject = Http.claims(accessToken(login));

        HttpResponse<String> exchanged = exchange(accessToken(login));

        assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
        Map<String, Object> claims = Http.claims(accessToken(Http.json(exchanged.body())));
        assertThat(claims).containsEntry("customer_id", ALICE_ID).containsEntry("azp", "partner-backend")
                .containsEntry("sid", subject.get("sid"))
                .doesNotContainKeys("name", "given_name", "family_name", "email", "preferred_username");
        assertThat(((Number) claims.get("exp")).longValue()).isLessThanOrEqualTo(
                ((Number) claims.get("iat")).longValue() + 300);
    }

    @Test
    void theExchangedTokenDiesWithTheCustomersSession() {
        BrowserLogin webChat = new BrowserLogin(server.baseUrl(), REALM, "web-chat", "http://localhost:3000/callback");
        Map<String, Object> login = webChat.login("alice", PASSWORD);
        String partnerToken = accessToken(Http.json(exchange(accessToken(login)).body()));
        PartnerApi backend = new PartnerApi(server, REALM, "partner-backend", "partner-backend-secret-test-only");
        assertThat(backend.introspect(partnerToken)).containsEntry("active", true).containsEntry("customer_id", ALICE_ID);

        Http.postForm(server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/logout",
                Map.of("client_id", "web-chat", "refresh_token", (String) login.get("refresh_token")));

        assertThat(backend.introspect(partnerToken)).isEqualTo(Map.of("active", false));
    }

    @Test
    void aPartnerVerifiesTokensOfflineWithTheRealmsJwks() throws Exception {
        String token = accessToken(new BrowserLogin(server.baseUrl(), REALM, "web-chat", "http://localhost:3000/callback")
                .login("alice", PASSWORD));
        JWKSet jwks = JWKSet.load(new URL(server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/certs"));

        JWSObject genuine = JWSObject.parse(token);
        RSAKey key = (RSAKey) jwks.getKeyByKeyId(genuine.getHeader().getKeyID());
        String[] parts = token.split("\\.");
        String payload = parts[1];
        char flipped = payload.charAt(10) == 'A' ? 'B' : 'A';
        JWSObject tampered = JWSObject.parse(parts[0] + "." + payload.substring(0, 10) + flipped
                + payload.substring(11) + "." + parts[2]);

        assertThat(genuine.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(tampered.verify(new RSASSAVerifier(key))).isFalse();
    }

    private static HttpResponse<String> exchange(String subjectToken) {
        return Http.postForm(server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/token", Map.of(
                "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                "subject_token", subjectToken,
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token",
                "client_id", "partner-backend", "client_secret", "partner-backend-secret-test-only"));
    }
}
