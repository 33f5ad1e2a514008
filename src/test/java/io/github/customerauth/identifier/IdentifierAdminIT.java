package io.github.customerauth.identifier;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.ScratchRealm;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.customerauth.identifier.CustomerIdentifierIT.ALICE_ID;
import static io.github.customerauth.identifier.CustomerIdentifierIT.PASSWORD;
import static io.github.customerauth.testsupport.KeycloakSuite.REALM;
import static org.assertj.core.api.Assertions.assertThat;

/** Tracing identifiers back to users: only for the realm's admins, always audited; and config validation. */
@ExtendWith(KeycloakSuite.class)
class IdentifierAdminIT {

    static final String BASE = "/admin/realms/" + REALM + "/customer-identifiers/";

    static KeycloakServer server;
    static AdminApi admin;

    @BeforeAll
    static void connect() {
        server = KeycloakSuite.server();
        admin = AdminApi.asBootstrapAdmin(server);
        assertThat(admin.post(BASE + "reindex", null).statusCode()).isEqualTo(200);
    }

    @Test
    void anAdminLooksAnIdentifierUpAndTheLookupIsAudited() {
        Map<String, Object> found = admin.getJson(BASE + ALICE_ID);

        assertThat(found).containsEntry("identifier", ALICE_ID).containsEntry("username", "alice")
                .containsEntry("userId", admin.userId(REALM, "alice")).containsEntry("keyId", "1");
        List<Map<String, Object>> events = admin.getJsonList("/admin/realms/" + REALM
                + "/admin-events?resourcePath=customer-identifiers/*&max=100");
        assertThat(events).anySatisfy(event -> {
            assertThat(event.get("resourcePath")).isEqualTo("customer-identifiers/" + ALICE_ID);
            assertThat(event.get("operationType")).isEqualTo("ACTION");
            assertThat(event.get("resourceType")).isEqualTo(IdentifierAdminResource.EVENT_RESOURCE_TYPE);
            @SuppressWarnings("unchecked")
            Map<String, Object> authDetails = (Map<String, Object>) event.get("authDetails");
            assertThat(authDetails.get("userId")).isNotNull();
        });
    }

    @Test
    void unknownAndMalformedIdentifiersGetClearErrors() {
        HttpResponse<String> unknown = admin.get(BASE + "v1.1.AAAAAAAAAAAAAAAAAAAAAAAAAAA");
        HttpResponse<String> malformed = admin.get(BASE + "12345678");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Http.json(unknown.body())).containsEntry("error", "not_found");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(Http.json(malformed.body())).containsEntry("error", "invalid_request");
    }

    @Test
    void theExportListsEveryCustomerWithAnAccountNumberAsCsv() {
        HttpResponse<String> export = admin.get(BASE + "export");

        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
        List<String> lines = export.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("user_id,username,customer_id,key_id");
        assertThat(lines).contains(admin.userId(REALM, "alice") + ",alice," + ALICE_ID + ",1");
        assertThat(lines).noneMatch(line -> line.contains(",carol,"));
        assertThat(export.body()).doesNotContain("12345678");
    }

    @Test
    void theExportIsWrittenPageByPageNotBuiltInMemory() {
        KeycloakServer server = KeycloakSuite.server();
        ScratchRealm realm = ScratchRealm.create(server, admin, "export-pages", Map.of("customer-id-key",
                KeycloakSuite.VECTOR_KEY), Map.of(), Map.of("first-customer", "70000000"));
        try {
            // Past two pages of the export's user reading (500 each); no passwords, so the import is quick.
            List<Map<String, Object>> users = new java.util.ArrayList<>();
            for (int i = 0; i < 1_100; i++) {
                users.add(Map.of("username", "bulk-" + i, "enabled", true,
                        "attributes", Map.of("accountNumber", List.of(String.valueOf(70_000_001 + i)))));
            }
            HttpResponse<String> imported = admin.post("/admin/realms/" + realm.name() + "/partialImport",
                    Map.of("ifResourceExists", "FAIL", "users", users));
            assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);

            HttpResponse<String> export = admin.get("/admin/realms/" + realm.name() + "/customer-identifiers/export");

            assertThat(export.statusCode()).isEqualTo(200);
            assertThat(export.body().lines().skip(1).toList()).hasSize(1_101)
                    .allSatisfy(line -> assertThat(line).matches("[^,]+,(bulk-[0-9]+|first-customer),v1\\.[^,]+,1"));
            assertThat(export.headers().firstValue("Content-Length")).as("streamed, not sized in advance").isEmpty();
        } finally {
            admin.delete("/admin/realms/" + realm.name());
        }
    }

    @Test
    void aViewOnlyAdminMayLookUpButNotReindex() {
        createUserWithRealmManagementRoles("helpdesk", List.of("view-users"));
        AdminApi helpdesk = AdminApi.asUser(server, REALM, "admin-cli", "helpdesk", PASSWORD);

        assertThat(helpdesk.get(BASE + ALICE_ID).statusCode()).isEqualTo(200);
        assertThat(helpdesk.post(BASE + "reindex", null).statusCode()).isEqualTo(403);
    }

    @Test
    void aCustomerCannotLookUpOrExport() {
        AdminApi alice = AdminApi.asUser(server, REALM, "admin-cli", "alice", PASSWORD);

        assertThat(alice.get(BASE + ALICE_ID).statusCode()).isEqualTo(403);
        assertThat(alice.get(BASE + "export").statusCode()).isEqualTo(403);
    }

    @Test
    void anAdminOfAnotherRealmCannotLookUp() {
        AdminApi.createdId(admin.post("/admin/realms", Map.of("realm", "other-it", "enabled", true)));
        String userId = AdminApi.createdId(admin.post("/admin/realms/other-it/users", Map.of(
                "username", "otheradmin", "enabled", true, "email", "otheradmin@example.test", "firstName", "O",
                "lastName", "A", "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)))));
        admin.grantRealmManagementRoles("other-it", userId, List.of("realm-admin"));
        AdminApi otherAdmin = AdminApi.asUser(server, "other-it", "admin-cli", "otheradmin", PASSWORD);

        assertThat(otherAdmin.get("/admin/realms/other-it/users").statusCode()).isEqualTo(200);
        assertThat(otherAdmin.get(BASE + ALICE_ID).statusCode()).isEqualTo(403);
    }

    @Test
    void deletingAUserRemovesItsIdentifiers() {
        String userId = createCustomer("dave", "5555 0000");
        admin.post(BASE + "reindex", null);
        String daveId = CustomerIdentifierIT.VECTOR.derive("55550000");
        assertThat(admin.getJson(BASE + daveId)).containsEntry("userId", userId);

        assertThat(admin.delete("/admin/realms/" + REALM + "/users/" + userId).statusCode()).isEqualTo(204);

        assertThat(admin.get(BASE + daveId).statusCode()).isEqualTo(404);
    }

    @Test
    void aSecondUserCannotTakeAnAccountNumberInAnyFormatting() {
        HttpResponse<String> sameDigits = admin.post("/admin/realms/" + REALM + "/users", customer("mallory", "1234-5678"));
        HttpResponse<String> sameExactly = admin.post("/admin/realms/" + REALM + "/users", customer("mallory", "12345678"));

        assertThat(sameDigits.statusCode()).isEqualTo(400);
        assertThat(sameDigits.body()).contains(UniqueAccountNumberValidator.MESSAGE);
        assertThat(sameExactly.statusCode()).isEqualTo(400);
        assertThat(sameExactly.body()).contains(UniqueAccountNumberValidator.MESSAGE);
        assertThat(createCustomer("mallory", "99990001")).isNotBlank();
    }

    @Test
    void badMapperConfigIsRefusedWhenSavedWithAMessageForTheAdmin() throws Exception {
        Files.writeString(server.vaultDir().resolve(REALM + "_short-key"), "ab".repeat(16));
        String client = admin.clientUuid(REALM, "web-chat");
        String mappers = "/admin/realms/" + REALM + "/clients/" + client + "/protocol-mappers/models";

        assertRefused(mappers, Map.of("key.vault.reference", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
                "must be a vault reference");
        assertRefused(mappers, Map.of("key.vault.reference", "${vault.no-such-key}"), "empty or missing");
        assertRefused(mappers, Map.of("key.vault.reference", "${vault.short-key}"), "at least 256 bits");
        assertRefused(mappers, Map.of("algorithm", "SHA-256"), "Unknown algorithm");
        assertRefused(mappers, Map.of("key.id", "not valid!"), "Key version");
        assertRefused(mappers, Map.of("previous.key.vault.reference", "${vault.customer-id-key}",
                "previous.key.id", "0", "previous.claim.until", "next week"), "is not a date");
        assertThat(admin.post(mappers, mapper(Map.of())).statusCode()).isEqualTo(201);
    }

    private void assertRefused(String mappers, Map<String, String> config, String message) {
        HttpResponse<String> response = admin.post(mappers, mapper(config));
        assertThat(response.statusCode()).as(config.toString()).isEqualTo(400);
        assertThat(response.body()).contains(message).doesNotContain("000102030405060708090a0b0c0d0e0f1011");
    }

    private static Map<String, Object> mapper(Map<String, String> config) {
        return Map.of("name", "identifier-" + System.nanoTime(), "protocol", "openid-connect",
                "protocolMapper", CustomerIdentifierMapper.PROVIDER_ID, "config", config);
    }

    private static String createCustomer(String username, String accountNumber) {
        return AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/users", customer(username, accountNumber)));
    }

    private static Map<String, Object> customer(String username, String accountNumber) {
        return Map.of("username", username, "enabled", true, "email", username + "@customers.example.test",
                "firstName", username, "lastName", "Test", "attributes", Map.of("accountNumber", List.of(accountNumber)));
    }

    private static void createUserWithRealmManagementRoles(String username, List<String> roles) {
        String userId = AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/users", Map.of(
                "username", username, "enabled", true, "email", username + "@customers.example.test",
                "firstName", username, "lastName", "Admin",
                "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)))));
        admin.grantRealmManagementRoles(REALM, userId, roles);
    }
}
