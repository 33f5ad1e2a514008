package io.github.customerauth.identifier;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.BrowserLogin;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.customerauth.identifier.CustomerIdentifierIT.ALICE_ID;
import static io.github.customerauth.identifier.CustomerIdentifierIT.PASSWORD;
import static io.github.customerauth.testsupport.KeycloakSuite.REALM;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(KeycloakSuite.class)
class IdentifierRestartIT {

    @Test
    void theIdentifierAndItsIndexSurviveARestart() {
        KeycloakServer server = KeycloakSuite.server();
        BrowserLogin androidApp = new BrowserLogin(server.baseUrl(), REALM, "android-app",
                "com.example.chat.android:/oauth2redirect");
        String before = (String) Http.claims((String) androidApp.login("alice", PASSWORD).get("access_token"))
                .get("customer_id");

        server.restart();

        String after = (String) Http.claims((String) androidApp.login("alice", PASSWORD).get("access_token"))
                .get("customer_id");
        assertThat(before).isEqualTo(ALICE_ID);
        assertThat(after).isEqualTo(before);
        assertThat(AdminApi.asBootstrapAdmin(server).getJson("/admin/realms/" + REALM + "/customer-identifiers/" + ALICE_ID))
                .containsEntry("username", "alice");
    }
}
