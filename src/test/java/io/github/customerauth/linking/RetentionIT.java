package io.github.customerauth.linking;

import io.github.customerauth.identifier.IdentifierDerivation;
import io.github.customerauth.identifier.IdentifierKey;
import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.Customers;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.Pause;
import io.github.customerauth.testsupport.ScratchRealm;
import io.github.customerauth.testsupport.WebhookReceiver;
import io.github.customerauth.testsupport.Webhooks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Housekeeping keeps the tables bounded: a link of an ended session, a dead letter and a delivered message each go
 * after their retention (short in the suite, see {@link KeycloakSuite}).
 */
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

    @Test
    void aDeadLetterIsDeletedAfterItsRetention() {
        KeycloakServer server = KeycloakSuite.server();
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        ScratchRealm realm = ScratchRealm.withLinking(server, admin, "dead-retention", Map.of("alice", "12345678"), Map.of());
        try (WebhookReceiver receiver = new WebhookReceiver().start()) {
            receiver.answer(500);
            Webhooks.create(admin, realm.name(), "failing", receiver.url());
            long loggedIn = System.currentTimeMillis();
            realm.accessTokenClaims("alice");
            String deadLetters = "/admin/realms/" + realm.name() + "/customer-links/dead-letters";

            assertThat(await(server, deadLetters, list -> !list.isEmpty(), KeycloakSuite.MAX_AGE_MS + 30_000))
                    .as("dead-lettered after the maximum age").hasSize(1);
            assertThat(await(server, deadLetters, List::isEmpty, KeycloakSuite.DEAD_LETTER_RETENTION_MS + 30_000))
                    .as("deleted after the dead-letter retention").isEmpty();
            assertThat(System.currentTimeMillis() - loggedIn).as("not before the retention")
                    .isGreaterThanOrEqualTo(KeycloakSuite.DEAD_LETTER_RETENTION_MS);
        } finally {
            AdminApi.asBootstrapAdmin(server).delete("/admin/realms/" + realm.name());
        }
    }

    /** No API lists delivered messages: housekeeping's DEBUG line counts what it deleted. */
    @Test
    void aDeliveredMessageIsDeletedAfterItsRetention() {
        KeycloakServer server = KeycloakSuite.server();
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        ScratchRealm realm = ScratchRealm.withLinking(server, admin, "delivered-retention", Map.of("bob", "87654321"),
                Map.of());
        try (WebhookReceiver receiver = new WebhookReceiver().start()) {
            Webhooks.create(admin, realm.name(), "healthy", receiver.url());
            realm.accessTokenClaims("bob");
            receiver.await(json -> "LOGIN".equals(json.get("type")), Duration.ofSeconds(30));
            long mark = server.logMark();

            Pattern purged = Pattern.compile("Retention: deleted ([1-9][0-9]*) delivered");
            long deadline = System.currentTimeMillis() + KeycloakSuite.DELIVERED_RETENTION_MS + 30_000;
            while (System.currentTimeMillis() < deadline && !purged.matcher(server.logSince(mark)).find()) {
                Pause.millis(1_000);
            }

            assertThat(server.logSince(mark)).containsPattern(purged);
        } finally {
            AdminApi.asBootstrapAdmin(server).delete("/admin/realms/" + realm.name());
        }
    }

    private static List<Map<String, Object>> await(KeycloakServer server, String path,
                                                  Predicate<List<Map<String, Object>>> done,
                                                  long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        List<Map<String, Object>> list = AdminApi.asBootstrapAdmin(server).getJsonList(path);
        while (!done.test(list) && System.currentTimeMillis() < deadline) {
            Pause.millis(1_000);
            list = AdminApi.asBootstrapAdmin(server).getJsonList(path);
        }
        return list;
    }
}
