package io.github.customerauth.linking;

import io.github.customerauth.linking.upkeep.SessionSweep;
import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.ScratchRealm;
import io.github.customerauth.testsupport.WebhookReceiver;
import io.github.customerauth.testsupport.Webhooks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real idle expiry (SSO idle timeout of a few seconds): the customer's links end and the platform is told. Keycloak
 * 26.7 sends {@code USER_SESSION_DELETED} at the timeout only without persistent user sessions; then that event ends
 * the links (the sweep leaves the session to it for {@link KeycloakSuite#EXPIRY_EVENT_GRACE_MS}). With persistent user
 * sessions (Keycloak's default) no event comes and the sweep ends them at once. The build runs this test on both
 * versions with persistent sessions, and on 26.7.3 without them (failsafe execution {@code volatile-sessions}).
 */
@ExtendWith(KeycloakSuite.class)
class SessionExpiryIT {

    private static final boolean KEYCLOAK_SENDS_THE_EVENT = System.getProperty("kc.extra.options", "")
            .contains("--features-disabled=persistent-user-sessions");

    @Test
    void anIdleSessionThatExpiresEndsItsLinksAndTellsThePlatform() {
        KeycloakServer server = KeycloakSuite.server();
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        ScratchRealm realm = ScratchRealm.withLinking(server, admin, "idle-expiry", Map.of("alice", "12345678"),
                Map.of("ssoSessionIdleTimeout", 3, "eventsEnabled", true));
        try (WebhookReceiver receiver = new WebhookReceiver().start()) {
            Webhooks.create(admin, realm.name(), "expiry-receiver", receiver.url());
            long mark = server.logMark();

            String sessionId = (String) realm.accessTokenClaims("alice").get("sid");
            receiver.await(json -> "LOGIN".equals(json.get("type")), Duration.ofSeconds(30));
            long loggedIn = System.currentTimeMillis();

            Map<String, Object> ended = receiver.await(json -> "SESSION_ENDED".equals(json.get("type"))
                    && sessionId.equals(json.get("session_id")),
                    Duration.ofMillis(KeycloakSuite.EXPIRY_EVENT_GRACE_MS + 30_000)).json();
            long after = System.currentTimeMillis() - loggedIn;

            assertThat(ended).containsEntry("channel", ScratchRealm.CLIENT).containsKey("customer_id");
            Map<String, Object> link = AdminApi.asBootstrapAdmin(server).getJson("/admin/realms/" + realm.name()
                    + "/customer-links/" + ended.get("customer_id"));
            assertThat(link.get("links")).asList().hasSize(1);
            @SuppressWarnings("unchecked")
            Map<String, Object> only = ((List<Map<String, Object>>) link.get("links")).get(0);
            assertThat(only).containsKey("ended_at");
            String log = server.logSince(mark);
            System.out.printf("SessionExpiryIT on %s: SESSION_ENDED %d ms after the login, end_reason %s%n",
                    System.getProperty("kc.dist.version"), after, only.get("end_reason"));
            if (KEYCLOAK_SENDS_THE_EVENT) {
                assertThat(only).as("ended by Keycloak's event, not the sweep")
                        .containsEntry("end_reason", "user_session_expired");
                assertThat(log).contains("ended by Keycloak's USER_SESSION_DELETED event (user_session_expired)")
                        .doesNotContain("ended by the sweep");
                assertThat(after).as("before the sweep's grace was over").isLessThan(KeycloakSuite.EXPIRY_EVENT_GRACE_MS);
            } else {
                assertThat(only.get("end_reason")).isIn(SessionSweep.EXPIRED, SessionSweep.GONE);
                assertThat(log).contains("ended by the sweep");
                assertThat(after).as("at the first sweep after the timeout, no grace").isLessThan(30_000);
            }
        } finally {
            AdminApi.asBootstrapAdmin(server).delete("/admin/realms/" + realm.name());
        }
    }
}
