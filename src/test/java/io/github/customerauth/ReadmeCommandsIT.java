package io.github.customerauth;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.BrowserLogin;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.Processes;
import io.github.customerauth.testsupport.ReadmeBlocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's shell commands, as a reader pastes them: each {@code bash} block that talks to a running server is
 * run with bash, curl and jq against the suite's server ({@code http://localhost:8080} replaced by its address), with
 * the shell variables the README says to set. The build and benchmark commands are run by CI and by hand; the
 * simulator's and the web sample's by {@code AccountMatrixIT} and {@code WebChatSampleIT}.
 */
@ExtendWith(KeycloakSuite.class)
class ReadmeCommandsIT {

    static KeycloakServer server;

    @TempDir
    Path work;

    @BeforeAll
    static void setUp() {
        server = KeycloakSuite.server();
    }

    @Test
    void theFirstTokenRequest() {
        assertThat(Http.json(run(block("client_id=test-console"), Map.of()))).containsKey("access_token");
    }

    @Test
    void theDerivationWithOpenssl() {
        assertThat(run(block("openssl dgst"), Map.of()).strip()).isEqualTo("-3XPVSC2SfuVpJKi106uDLEqb-g");
    }

    @Test
    void creatingAKeyInTheFileVault() throws IOException {
        String commands = block("openssl rand").replace("/opt/keycloak/vault", work.toString());
        run(commands, Map.of());
        Path key = work.resolve("customers_customer-id-key");
        assertThat(Files.readString(key).strip()).matches("[0-9a-f]{64}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("r--------");
    }

    @Test
    void theAdminLookupAndExportAndThePrivacyReport() throws IOException {
        assertThat(Http.json(run(block("customer-identifiers/export"), Map.of()))).containsEntry("username", "alice")
                .containsEntry("identifier", "v1.1.sr5m95fFEb0qNN-wYIOGYaaIKz8");
        assertThat(Files.readString(work.resolve("ids.csv"))).startsWith("user_id,username,customer_id,key_id")
                .contains("v1.1.sr5m95fFEb0qNN-wYIOGYaaIKz8");

        String report = run(block("access-token-privacy"), Map.of("TOKEN", AdminApi.bearerOfBootstrapAdmin(server)));
        assertThat(report.strip()).startsWith("[").endsWith("]");
    }

    @Test
    void thePartnerCalls() {
        String channelToken = webChatToken();
        Map<String, String> env = Map.of("ACCESS_TOKEN", channelToken, "CHANNEL_ACCESS_TOKEN", channelToken);

        assertThat(Http.json(run(block("partner/introspect"), env))).containsEntry("active", true)
                .containsEntry("customer_id", "v1.1.sr5m95fFEb0qNN-wYIOGYaaIKz8");
        assertThat(run(block("partner/compare"), env)).contains("\"match\":true");
        assertThat(Http.json(run(block("token-type:access_token\n"), env)))
                .containsKey("access_token");
    }

    @Test
    void theCompanyApiTokenAndItsRefresh() {
        String commands = block("audience=customer-api");
        String exchange = commands.substring(0, commands.indexOf("# {"));
        Map<String, Object> exchanged = Http.json(run(exchange, Map.of("CHANNEL_ACCESS_TOKEN", webChatToken())));
        assertThat(exchanged).containsKey("refresh_token");

        String refresh = commands.substring(commands.indexOf("curl", commands.indexOf("# {")));
        assertThat(Http.json(run(refresh, Map.of("PARTNER_REFRESH_TOKEN", (String) exchanged.get("refresh_token")))))
                .containsKey("access_token");
    }

    @Test
    void aReceiverCreatedChangedAndTested() {
        String admin = AdminApi.bearerOfBootstrapAdmin(server);
        Map<String, Object> created = Http.json(run(block("customer-links/webhooks \\"), Map.of("TOKEN", admin)));
        String id = (String) created.get("id");
        try {
            assertThat(created).containsEntry("name", "platform").containsEntry("enabled", true)
                    .containsEntry("signatureFormat", "customer-auth");
            Map<String, Object> changed = Http.json(run(block("\"eventTypes\":[\"LOGIN\",\"LOGOUT\"]"),
                    Map.of("TOKEN", admin, "WEBHOOK_ID", id)));
            assertThat(changed.get("eventTypes")).isEqualTo(List.of("LOGIN", "LOGOUT"));
            assertThat(changed.get("channels")).isEqualTo(List.of("web-chat"));
            @SuppressWarnings("unchecked")
            Map<String, List<String>> config = (Map<String, List<String>>) AdminApi.asBootstrapAdmin(server)
                    .getJson("/admin/realms/customers/components/" + id).get("config");
            assertThat(config.get("eventTypes")).as("the same receiver through /components")
                    .containsExactlyInAnyOrder("LOGIN", "LOGOUT");

            // platform.example.com is not reachable from here: the answer says why the test did not arrive.
            assertThat(Http.json(run(block("$WEBHOOK_ID/test"), Map.of("TOKEN", admin, "WEBHOOK_ID", id))))
                    .containsEntry("sent", true).containsEntry("accepted", false).containsKey("problem");
        } finally {
            AdminApi.asBootstrapAdmin(server).delete("/admin/realms/customers/components/" + id);
        }
    }

    /** The bash block that contains {@code marker}; exactly one must. */
    private static String block(String marker) {
        return ReadmeBlocks.containing(marker);
    }

    /** Runs the commands with bash (errors stop it), in this test's directory, against the suite's server. */
    private String run(String commands, Map<String, String> env) {
        StringBuilder script = new StringBuilder("set -euo pipefail\n");
        env.forEach((name, value) -> script.append(name).append("='").append(value).append("'\n"));
        script.append(commands.replace("http://localhost:8080", server.baseUrl()));
        return Processes.output(work, Duration.ofMinutes(1), "bash", "-c", script.toString());
    }

    private static String webChatToken() {
        return (String) new BrowserLogin(server.baseUrl(), "customers", "web-chat", "http://localhost:3000/callback")
                .login("alice", "Test-only-1!").get("access_token");
    }
}
