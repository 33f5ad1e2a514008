package io.github.customerauth.identifier;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.ScratchRealm;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.customerauth.testsupport.KeycloakSuite.REALM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mapper configuration that reaches Keycloak without the admin console's validation (realm import, partial import,
 * clients created with inline mappers): never a 500, never raw key material used as a key, one WARN naming the
 * mapper, and a second identifier that disagrees with the realm's is refused when saved.
 */
@ExtendWith(KeycloakSuite.class)
class MapperConfigBypassIT {

    static final String RAW_KEY = "0f".repeat(32);

    static KeycloakServer server;

    @BeforeAll
    static void setUp() {
        server = KeycloakSuite.server();
    }

    @Test
    void anImportedRealmWithKeyMaterialInTheMapperIssuesNoIdentifierAndNeverUsesIt() throws Exception {
        long logStart = server.logMark();
        ScratchRealm realm = ScratchRealm.create(server, AdminApi.asBootstrapAdmin(server), "bypass-raw-key", Map.of(),
                Map.of("key.vault.reference", RAW_KEY), Map.of("alice", "12345678"));

        Map<String, Object> first = realm.accessTokenClaims("alice");
        Map<String, Object> second = realm.accessTokenClaims("alice");

        assertThat(first).doesNotContainKey("customer_id");
        assertThat(second).doesNotContainKey("customer_id");
        String log = server.logSince(logStart);
        assertThat(log.split("by mapper 'customer identifier'", -1)).as("one WARN").hasSize(2);
        assertThat(log).contains("Customer identifier not issued in realm bypass-raw-key")
                .contains("vault reference").doesNotContain(RAW_KEY);
    }

    @Test
    void aMalformedRotationDateIsAWarningNotAFailedLogin() throws Exception {
        long logStart = server.logMark();
        ScratchRealm realm = ScratchRealm.create(server, AdminApi.asBootstrapAdmin(server), "bypass-bad-date",
                Map.of("customer-id-key", KeycloakSuite.VECTOR_KEY),
                Map.of("previous.key.vault.reference", "${vault.customer-id-key}", "previous.key.id", "0",
                        "previous.claim.until", "next tuesday"), Map.of("alice", "12345678"));

        HttpResponse<String> grant = realm.passwordGrant("alice");

        assertThat(grant.statusCode()).isEqualTo(200);
        assertThat(Http.claims((String) Http.json(grant.body()).get("access_token"))).doesNotContainKey("customer_id");
        assertThat(server.logSince(logStart)).contains("'next tuesday' is not a date");
    }

    @Test
    void twoImportedMappersThatDisagreeGiveNoIdentifierRatherThanTwo() throws Exception {
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        ScratchRealm realm = realmWithASecondKey(admin, "bypass-two-keys");
        long logStart = server.logMark();
        HttpResponse<String> partial = admin.post("/admin/realms/" + realm.name() + "/partialImport", Map.of(
                "ifResourceExists", "FAIL", "clients", List.of(Map.of("clientId", "other-app", "publicClient", true,
                        "directAccessGrantsEnabled", true, "protocolMappers", List.of(identifierMapper("other identifier",
                                Map.of("key.vault.reference", "${vault.other-key}", "key.id", "2")))))));
        assertThat(partial.statusCode()).as(partial.body()).isEqualTo(200);
        createScopeWithTheSecondKey(admin, realm, "second-identifier");

        assertThat(realm.accessTokenClaims("alice")).doesNotContainKey("customer_id");
        HttpResponse<String> otherApp = Http.grant(server.baseUrl() + "/realms/" + realm.name()
                + "/protocol/openid-connect/token", Map.of("grant_type", "password", "client_id", "other-app",
                "username", "alice", "password", ScratchRealm.PASSWORD));
        assertThat(otherApp.statusCode()).isEqualTo(200);
        assertThat(Http.claims((String) Http.json(otherApp.body()).get("access_token"))).doesNotContainKey("customer_id");
        assertThat(server.logSince(logStart)).contains("disagree");
    }

    @Test
    void aDisagreeingMapperImportedAfterTokensWereIssuedStopsTheClaimWithinTheNodesCacheTime() throws Exception {
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        ScratchRealm realm = realmWithASecondKey(admin, "bypass-late-import");
        assertThat(realm.accessTokenClaims("alice")).containsKey("customer_id");

        // A scope that no client uses: its mapper never runs, so only the realm's definition can notice it.
        createScopeWithTheSecondKey(admin, realm, "late-identifier");
        long imported = System.nanoTime();
        Map<String, Object> claims = realm.accessTokenClaims("alice");
        while (claims.containsKey("customer_id") && System.nanoTime() - imported < Duration.ofSeconds(30).toNanos()) {
            Thread.sleep(500);
            claims = realm.accessTokenClaims("alice");
        }

        assertThat(claims).doesNotContainKey("customer_id");
        assertThat(Duration.ofNanos(System.nanoTime() - imported))
                .isLessThanOrEqualTo(Duration.ofMillis(DefinitionCache.KEEP_MILLIS + 5_000));
    }

    @Test
    void aSecondIdentifierMapperThatDisagreesIsRefusedWhenSaved() {
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        String scopeId = AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/client-scopes", Map.of(
                "name", "bypass-extra-scope", "protocol", "openid-connect")));
        String mappers = "/admin/realms/" + REALM + "/client-scopes/" + scopeId + "/protocol-mappers/models";

        HttpResponse<String> otherClaim = admin.post(mappers, identifierMapper("renamed", Map.of("claim.name", "cid")));
        HttpResponse<String> otherAttribute = admin.post(mappers, identifierMapper("other attribute",
                Map.of("user.attribute", "customerNumber")));
        HttpResponse<String> same = admin.post(mappers, identifierMapper("same", Map.of()));

        HttpResponse<String> dotted = admin.post(mappers, identifierMapper("dotted", Map.of("claim.name", "customer.id")));
        admin.delete("/admin/realms/" + REALM + "/client-scopes/" + scopeId);

        for (HttpResponse<String> refused : List.of(otherClaim, otherAttribute)) {
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("Every identifier mapper of a realm must use the same");
        }
        assertThat(same.statusCode()).isEqualTo(201);
        assertThat(dotted.statusCode()).isEqualTo(400);
        assertThat(dotted.body()).contains("must not contain");
    }

    @Test
    void anImportedMapperWithAnUnknownRuleForMissingAccountNumbersNeverFailsALogin() throws Exception {
        long logStart = server.logMark();
        ScratchRealm realm = ScratchRealm.create(server, AdminApi.asBootstrapAdmin(server), "bypass-bad-rule",
                Map.of("customer-id-key", KeycloakSuite.VECTOR_KEY), Map.of("missing.attribute", "deny"),
                Map.of("alice", "12345678", "carol", " "));

        HttpResponse<String> withNumber = realm.passwordGrant("alice");
        HttpResponse<String> without = realm.passwordGrant("carol");

        assertThat(withNumber.statusCode()).isEqualTo(200);
        assertThat(without.statusCode()).isEqualTo(200);
        assertThat(server.logSince(logStart)).contains("'deny' is not one of omit, refuse");
    }

    /** Alice, her identifier under the test-vector key, and a second key in the vault for a disagreeing mapper. */
    private static ScratchRealm realmWithASecondKey(AdminApi admin, String name) {
        return ScratchRealm.create(server, admin, name,
                Map.of("customer-id-key", KeycloakSuite.VECTOR_KEY, "other-key", "ee".repeat(32)),
                Map.of(), Map.of("alice", "12345678"));
    }

    /** A client scope created with an identifier mapper under the second key: creation skips the mapper's checks. */
    private static void createScopeWithTheSecondKey(AdminApi admin, ScratchRealm realm, String scopeName) {
        HttpResponse<String> scope = admin.post("/admin/realms/" + realm.name() + "/client-scopes", Map.of(
                "name", scopeName, "protocol", "openid-connect", "protocolMappers", List.of(identifierMapper(
                        scopeName, Map.of("key.vault.reference", "${vault.other-key}", "key.id", "2")))));
        assertThat(scope.statusCode()).as(scope.body()).isEqualTo(201);
    }

    private static Map<String, Object> identifierMapper(String name, Map<String, String> config) {
        Map<String, String> full = new HashMap<>(Map.of("access.token.claim", "true", "id.token.claim", "true"));
        full.putAll(config);
        return Map.of("name", name, "protocol", "openid-connect",
                "protocolMapper", CustomerIdentifierMapper.PROVIDER_ID, "config", full);
    }
}
