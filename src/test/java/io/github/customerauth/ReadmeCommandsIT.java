package io.github.customerauth;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.BrowserLogin;
import io.github.customerauth.testsupport.Customers;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.PartnerApi;
import io.github.customerauth.testsupport.Processes;
import io.github.customerauth.testsupport.ReadmeBlocks;
import io.github.customerauth.testsupport.SignatureVerifier;
import io.github.customerauth.testsupport.WebhookReceiver;
import java.io.IOException;
import java.net.http.HttpResponse;
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
 * The shell commands of the README and the guides in docs/, as a reader pastes them: each {@code bash} block that
 * talks to a running server is run with bash, curl and jq against the suite's server ({@code http://localhost:8080}
 * replaced by its address), with the shell variables the docs say to set. The build and benchmark commands are run
 * by CI and by hand; the simulator's and the web sample's by {@code AccountMatrixIT} and {@code WebChatSampleIT}.
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
        String commands = block("customers_customer-id-key").replace("/opt/keycloak/vault", work.toString());
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

        String report = run(block("customers/customer-identifiers/access-token-privacy"), Map.of("TOKEN", AdminApi.bearerOfBootstrapAdmin(server)));
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
    void theOneStepSetupsDryRunOnTheSampleRealm() {
        Map<String, Object> answer = Http.json(run(block("customers/customer-setup?dryRun=true"),
                Map.of("TOKEN", AdminApi.bearerOfBootstrapAdmin(server))));
        assertThat(answer).containsEntry("dryRun", true).containsEntry("changes", List.of());
    }

    /**
     * The admin guide's five steps, as they are, on a new realm with one customer and one channel client: the
     * customer's next login carries an identifier, the partner introspects it, and the receiver hears of it.
     */
    @Test
    void theAdminGuidesStepsOnAnEmptyRealm() throws IOException {
        String realm = "guide-bank";
        HttpResponse<String> created = AdminApi.asBootstrapAdmin(server).post("/admin/realms", Map.of("realm", realm,
                "enabled", true, "clients", List.of(Map.of("clientId", "shop-app", "publicClient", true,
                        "directAccessGrantsEnabled", true)),
                "users", List.of(Customers.representation("pat"))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Map<String, String> env = Map.of("REALM", realm, "CHANNELS", "[\"shop-app\"]", "PARTNER", "messaging-platform",
                "TOKEN", AdminApi.bearerOfBootstrapAdmin(server), "CUSTOMER", "pat", "ACCOUNT_NUMBER", "0012345678");

        run(block("${REALM}_webhook-secret").replace("/opt/keycloak/vault", server.vaultDir().toString()), env);
        List<String> setup = run(block("$REALM/customer-setup?dryRun=true"), env).strip().lines().toList();
        assertThat(setup).as("the dry run's changes, then how many the setup made").hasSizeGreaterThan(10)
                .last().isEqualTo(String.valueOf(setup.size() - 1));
        try (WebhookReceiver receiver = new WebhookReceiver().start()) {
            run(block("$REALM/customer-links/webhooks").replace("https://platform.example.com/keycloak-events",
                    receiver.url()), env);
            String partnerSecret = run(block("$PARTNER_UUID/client-secret"), env).strip();
            assertThat(run(block("$REALM/users/$USER_ID"), env).strip()).as("the privacy report").isEqualTo("[]");

            HttpResponse<String> login = Http.grant(server.baseUrl() + "/realms/" + realm
                    + "/protocol/openid-connect/token", Map.of("grant_type", "password", "client_id", "shop-app",
                    "username", "pat", "password", Customers.PASSWORD));
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            String accessToken = (String) Http.json(login.body()).get("access_token");
            Object identifier = Http.claims(accessToken).get("customer_id");
            assertThat(identifier).asString().matches("v1\\.1\\.[A-Za-z0-9_-]{27}");
            assertThat(new PartnerApi(server, realm, "messaging-platform", partnerSecret).introspect(accessToken))
                    .containsEntry("active", true).containsEntry("customer_id", identifier);
            WebhookReceiver.Delivery heard = receiver.await(message -> identifier.equals(message.get("customer_id"))
                    && "LOGIN".equals(message.get("type")), Duration.ofSeconds(30));
            String webhookSecret = Files.readString(server.vaultDir().resolve(realm + "_webhook-secret")).strip();
            assertThat(SignatureVerifier.verify(webhookSecret, heard.signature(), heard.body(),
                    System.currentTimeMillis() / 1000, 300)).as("signed with the vault's secret").isTrue();
        }
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
