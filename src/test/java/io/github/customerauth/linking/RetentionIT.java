package io.github.customerauth.linking;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.customerauth.identifier.IdentifierDerivation;
import io.github.customerauth.identifier.IdentifierKey;
import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.Customers;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.Pause;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Housekeeping keeps the link table bounded: a link of an ended session goes after its retention. */
@ExtendWith(KeycloakSuite.class)
class RetentionIT {

    static final String PASSWORD = "Test-only-1!";

    @Test
    void aLinkOfAnEndedSessionIsDeletedAfterItsRetention() {
        KeycloakServer server = KeycloakSuite.server();
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        String username = "retained-" + System.nanoTime() % 100_000;
        String accountNumber = "66" + String.format("%08d", System.nanoTime() % 100_000_000);
        Customers.create(admin, "customers", username, accountNumber);
        String tokens = Http.grant(server.baseUrl() + "/realms/customers/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "test-console", "username", username, "password", PASSWORD))
                .body();
        assertThat(Http.postForm(server.baseUrl() + "/realms/customers/protocol/openid-connect/logout", Map.of(
                "client_id", "test-console", "refresh_token", (String) Http.json(tokens).get("refresh_token")))
                .statusCode()).isEqualTo(204);
        String customerId = new IdentifierDerivation(IdentifierKey.of("1", KeycloakSuite.VECTOR_KEY)).derive(accountNumber);
        String links = "/admin/realms/customers/customer-links/" + customerId;
        assertThat(admin.getJson(links)).as("ended, still kept").containsEntry("total", 1);

        long deadline = System.currentTimeMillis() + KeycloakSuite.ENDED_LINK_RETENTION_MS + 20_000;
        Map<String, Object> page = Map.of();
        while (System.currentTimeMillis() < deadline) {
            page = AdminApi.asBootstrapAdmin(server).getJson(links);
            if (((Number) page.get("total")).intValue() == 0) {
                break;
            }
            Pause.millis(1_000);
        }

        assertThat(page).as("after the retention of ended links").containsEntry("total", 0);
    }
}
