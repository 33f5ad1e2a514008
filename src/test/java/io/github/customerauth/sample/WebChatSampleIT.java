package io.github.customerauth.sample;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.HeadlessChromium;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.Processes;
import io.github.customerauth.testsupport.ReadmeBlocks;
import io.github.customerauth.testsupport.WebhookReceiver;
import io.github.customerauth.testsupport.Webhooks;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The testers' guide's SDK hand-off, run as a customer would: the sample page {@code examples/web-chat}
 * (oidc-client-ts from npm) in headless Chromium, served on the web chat's origin, logs alice in through the chat
 * login form and hands {@code customer_id} and the access token to the chat widget stub; the anonymous conversation
 * reaches the CODE_TO_TOKEN webhook.
 */
@ExtendWith(KeycloakSuite.class)
class WebChatSampleIT {

    static final String ALICE_ID = "v1.1.sr5m95fFEb0qNN-wYIOGYaaIKz8";

    @Test
    void theSamplePageHandsTheCustomerIdAndTokenToTheChatWidget() throws Exception {
        KeycloakServer server = KeycloakSuite.server();
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        try (Processes.Background site = serveSampleAsTheReadmeSays();
             WebhookReceiver receiver = new WebhookReceiver().start();
             HeadlessChromium chrome = HeadlessChromium.start(390, 844)) {
            String webhookId = Webhooks.create(admin, KeycloakSuite.REALM, "sdk-sample", receiver.url());
            try {
                chrome.navigate("http://localhost:3000/index.html?issuer="
                        + Http.enc(server.baseUrl() + "/realms/" + KeycloakSuite.REALM));
                chrome.await("document.readyState === 'complete' && window.chatWidget !== undefined"
                        + " && document.getElementById('login') !== null", 30_000);
                String handle = (String) chrome.eval("window.chatWidget.anonymousHandle");

                chrome.eval("document.getElementById('login').click(); true");
                chrome.await("document.getElementById('kc-form-login') !== null", 30_000);
                chrome.eval("document.getElementById('username').value = 'alice';"
                        + "document.getElementById('password').value = 'Test-only-1!';"
                        + "document.getElementById('kc-login').click(); true");
                chrome.await("window.chatWidget && (window.chatWidget.identified !== null || window.chatWidget.error)", 30_000);

                assertThat(chrome.eval("window.chatWidget.error || null")).isNull();
                assertThat(chrome.eval("window.chatWidget.identified.customerId")).isEqualTo(ALICE_ID);
                Map<String, Object> claims = Http.claims((String) chrome.eval("window.chatWidget.identified.accessToken"));
                assertThat(claims).containsEntry("customer_id", ALICE_ID).containsEntry("azp", "web-chat")
                        .doesNotContainKeys("name", "given_name", "family_name", "email", "preferred_username");
                assertThat(chrome.eval("location.search")).isEqualTo("");

                WebhookReceiver.Delivery code = receiver.await(json -> "CODE_TO_TOKEN".equals(json.get("type"))
                        && handle.equals(json.get("conversation_handle")), Duration.ofSeconds(30));
                assertThat(code.json()).containsEntry("customer_id", ALICE_ID).containsEntry("channel", "web-chat");
            } finally {
                admin.delete("/admin/realms/" + KeycloakSuite.REALM + "/components/" + webhookId);
            }
        }
    }

    /**
     * The testers' guide's command, run as written with bash in a copy of {@code examples/web-chat} under target/:
     * npm install, the copy of oidc-client-ts beside the page, and Python's web server on port 3000 (the web chat's
     * origin).
     */
    private static Processes.Background serveSampleAsTheReadmeSays() throws Exception {
        Path copy = Path.of(System.getProperty("kc.work.dir")).getParent().resolve("web-chat-sample");
        Path sample = copy.resolve("examples/web-chat");
        Files.createDirectories(sample);
        try (Stream<Path> files = Files.list(Path.of("examples", "web-chat"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, sample.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        String command = ReadmeBlocks.containing("http.server 3000");
        Processes.Background site = Processes.start(copy, copy.resolve("readme-command.log"), "bash", "-c", command);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!site.alive()) {
                throw new IllegalStateException("the testers' guide's web sample command ended:\n" + site.output());
            }
            if (answers("http://localhost:3000/oidc-client-ts.min.js")) {
                return site;
            }
            Thread.sleep(500);
        }
        site.close();
        throw new IllegalStateException("the testers' guide's web sample command did not serve port 3000:\n"
                + site.output());
    }

    private static boolean answers(String url) {
        try {
            return Http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build())
                    .statusCode() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
    }
}
