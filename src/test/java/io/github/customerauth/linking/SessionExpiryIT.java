package io.github.customerauth.linking;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.Http;
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

/** A real idle expiry (SSO idle timeout of a few seconds): the customer's links end and the platform is told. */
@ExtendWith(KeycloakSuite.class)
class SessionExpiryIT {

    @Test
    void anIdleSessionThatExpiresEndsItsLinksAndTellsThePlatform() {
        KeycloakServer server = KeycloakSuite.server();
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        ScratchRealm realm = ScratchRealm.create(server, admin, "idle-expiry",
                Map.of("customer-id-key", KeycloakSuite.VECTOR_KEY, "webhook-secret", KeycloakSuite.WEBHOOK_SECRET),
                Map.of(), Map.of("alice", "12345678"),
                Map.of("ssoSessionIdleTimeout", 3, "eventsEnabled", true, "eventsListeners", List.of("customer-linking")));
        try (WebhookReceiver receiver = new WebhookReceiver().start()) {
            Webhooks.create(admin, realm.name(), "expiry-receiver", receiver.url());

            String sessionId = (String) realm.accessTokenClaims("alice").get("sid");
            receiver.await(json -> "LOGIN".equals(json.get("type")), Duration.ofSeconds(30));

            Map<String, Object> ended = receiver.await(json -> "SESSION_ENDED".equals(json.get("type"))
                    && sessionId.equals(json.get("session_id")), Duration.ofSeconds(90)).json();

            assertThat(ended).containsEntry("channel", ScratchRealm.CLIENT).containsKey("customer_id");
            Map<String, Object> links = AdminApi.asBootstrapAdmin(server).getJson("/admin/realms/" + realm.name()
                    + "/customer-links/" + ended.get("customer_id"));
            assertThat(links.get("links")).asList().singleElement().asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKey("ended_at").containsKey("end_reason");
        } finally {
            AdminApi.asBootstrapAdmin(server).delete("/admin/realms/" + realm.name());
        }
    }
}
