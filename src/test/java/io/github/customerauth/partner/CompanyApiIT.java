package io.github.customerauth.partner;

import io.github.customerauth.testsupport.BrowserLogin;
import io.github.customerauth.testsupport.CompanyApi;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.PersonalData;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.github.customerauth.partner.PartnerIntrospectionIT.PASSWORD;
import static io.github.customerauth.partner.PartnerIntrospectionIT.accessToken;
import static io.github.customerauth.partner.PartnerTokenExchangeIT.ALICE_ID;
import static io.github.customerauth.testsupport.KeycloakSuite.REALM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The partner keeps a customer's token alive for the company's own API: it exchanges the channel's token for one
 * addressed to {@code customer-api} with a refresh token bound to the customer's session, refreshes it, and the API
 * (a standard JOSE library against the JWKS, and Keycloak's introspection) accepts both, free of personal data.
 */
@ExtendWith(KeycloakSuite.class)
class CompanyApiIT {

    private static final String REFRESH_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:refresh_token";
    private static final String[] PERSONAL_CLAIMS = {"name", "given_name", "family_name", "email",
            "preferred_username", "accountNumber", "account_number", "phone_number", "address"};

    static KeycloakServer server;
    static CompanyApi companyApi;

    @BeforeAll
    static void setUp() {
        server = KeycloakSuite.server();
        companyApi = new CompanyApi(server, REALM);
    }

    @ParameterizedTest
    @CsvSource({
            "web-chat,    http://localhost:3000/callback",
            "ios-app,     com.example.chat.ios:/oauth2redirect",
            "android-app, com.example.chat.android:/oauth2redirect",
    })
    void thePartnerRefreshesAnImpersonalTokenThatTheCompanyApiAccepts(String channel, String redirectUri) {
        Map<String, Object> login = new BrowserLogin(server.baseUrl(), REALM, channel, redirectUri).login("alice", PASSWORD);
        String sid = (String) Http.claims(accessToken(login)).get("sid");

        Map<String, Object> exchanged = ok(exchangeForCompanyApi(accessToken(login)));
        assertThat(exchanged).containsKeys("access_token", "refresh_token")
                .containsEntry("issued_token_type", REFRESH_TOKEN_TYPE);
        assertAcceptedAndImpersonal((String) exchanged.get("access_token"), sid);

        Map<String, Object> refreshed = ok(partnerRefresh((String) exchanged.get("refresh_token")));
        assertAcceptedAndImpersonal((String) refreshed.get("access_token"), sid);
        assertThat(refreshed).containsKey("refresh_token");
        assertThat(ok(partnerRefresh((String) refreshed.get("refresh_token")))).containsKey("access_token");
    }

    @Test
    void onceTheCustomerLogsOutThePartnerCannotRefreshAndTheApiSeesAnInactiveToken() {
        BrowserLogin webChat = new BrowserLogin(server.baseUrl(), REALM, "web-chat", "http://localhost:3000/callback");
        Map<String, Object> login = webChat.login("alice", PASSWORD);
        Map<String, Object> exchanged = ok(exchangeForCompanyApi(accessToken(login)));
        String apiToken = (String) exchanged.get("access_token");
        assertThat(companyApi.introspect(apiToken)).containsEntry("active", true);

        HttpResponse<String> logout = Http.postForm(server.baseUrl() + "/realms/" + REALM
                + "/protocol/openid-connect/logout", Map.of("client_id", "web-chat",
                "refresh_token", (String) login.get("refresh_token")));
        assertThat(logout.statusCode()).as(logout.body()).isEqualTo(204);

        HttpResponse<String> refresh = partnerRefresh((String) exchanged.get("refresh_token"));
        assertThat(refresh.statusCode()).as(refresh.body()).isEqualTo(400);
        assertThat(Http.json(refresh.body())).containsEntry("error", "invalid_grant");
        assertThat(companyApi.introspect(apiToken)).isEqualTo(Map.of("active", false));
    }

    @Test
    void thePartnersOwnTokensDoNotReachTheCompanyApi() {
        Map<String, Object> serviceToken = ok(Http.postForm(tokenUrl(), Map.of("grant_type", "client_credentials",
                "client_id", "partner-backend", "client_secret", "partner-backend-secret-test-only")));
        assertThatThrownBy(() -> companyApi.accept((String) serviceToken.get("access_token"))).hasMessageContaining("aud");

        String channelToken = accessToken(new BrowserLogin(server.baseUrl(), REALM, "web-chat",
                "http://localhost:3000/callback").login("alice", PASSWORD));
        Map<String, Object> plainExchange = ok(Http.postForm(tokenUrl(), Map.of(
                "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token", channelToken,
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token",
                "client_id", "partner-backend", "client_secret", "partner-backend-secret-test-only")));
        assertThatThrownBy(() -> companyApi.accept((String) plainExchange.get("access_token"))).hasMessageContaining("aud");
    }

    @Test
    void theCompanyApiRefusesAChannelTokenThatDoesNotNameIt() {
        String channelToken = accessToken(new BrowserLogin(server.baseUrl(), REALM, "web-chat",
                "http://localhost:3000/callback").login("alice", PASSWORD));

        assertThatThrownBy(() -> companyApi.accept(channelToken)).hasMessageContaining("aud");
    }

    private static void assertAcceptedAndImpersonal(String apiToken, String sid) {
        Map<String, Object> claims = companyApi.accept(apiToken);
        assertThat(claims).containsEntry("customer_id", ALICE_ID).containsEntry("azp", "partner-backend")
                .containsEntry("sid", sid).doesNotContainKeys(PERSONAL_CLAIMS);
        String payload = new String(Base64.getUrlDecoder().decode(apiToken.split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(PersonalData.ofSampleRealm().hits(payload)).isEmpty();

        Map<String, Object> introspected = companyApi.introspect(apiToken);
        assertThat(introspected).containsEntry("active", true).containsEntry("customer_id", ALICE_ID)
                .doesNotContainKeys(PERSONAL_CLAIMS);
        assertThat(PersonalData.ofSampleRealm().hits(Http.toJson(introspected))).isEmpty();
    }

    private static Map<String, Object> ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response.body());
    }

    private static HttpResponse<String> exchangeForCompanyApi(String subjectToken) {
        return Http.postForm(tokenUrl(), Map.of(
                "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                "subject_token", subjectToken,
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token",
                "requested_token_type", REFRESH_TOKEN_TYPE,
                "audience", CompanyApi.CLIENT_ID, "scope", "customer-api-audience",
                "client_id", "partner-backend", "client_secret", "partner-backend-secret-test-only"));
    }

    private static HttpResponse<String> partnerRefresh(String refreshToken) {
        return Http.postForm(tokenUrl(), Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", "partner-backend", "client_secret", "partner-backend-secret-test-only"));
    }

    private static String tokenUrl() {
        return server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/token";
    }
}
