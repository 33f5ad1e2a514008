package io.github.customerauth.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.HeadlessChromium;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.Processes;
import io.github.customerauth.testsupport.WebhookReceiver;
import io.github.customerauth.testsupport.Webhooks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's SDK hand-off, run as a customer would: the sample page {@code examples/web-chat} (oidc-client-ts from
 * npm) in headless Chromium, served on the web chat's origin, logs alice in through the chat login form and hands
 * {@code customer_id} and the access token to the chat widget stub; the anonymous conversation reaches the
 * CODE_TO_TOKEN webhook.
 */
@ExtendWith(KeycloakSuite.class)
class WebChatSampleIT {

    static final String ALICE_ID = "v1.1.sr5m95fFEb0qNN-wYIOGYaaIKz8";

    @Test
    void theSamplePageHandsTheCustomerIdAndTokenToTheChatWidget() throws Exception {
        KeycloakServer server = KeycloakSuite.server();
        HttpServer site = serveSample(installSample());
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        try (WebhookReceiver receiver = new WebhookReceiver().start();
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
        } finally {
            site.stop(0);
        }
    }

    /** The sample with its npm dependency, installed as its README says, under target/. */
    private static Path installSample() throws IOException {
        Path sample = Path.of("examples", "web-chat");
        Path installed = Path.of(System.getProperty("kc.work.dir")).getParent().resolve("web-chat-sample");
        Files.createDirectories(installed);
        Files.copy(sample.resolve("package.json"), installed.resolve("package.json"),
                StandardCopyOption.REPLACE_EXISTING);
        if (!Files.isDirectory(installed.resolve("node_modules/oidc-client-ts"))) {
            Processes.run(installed, Duration.ofMinutes(3), "npm", "install", "--no-audit", "--no-fund");
        }
        return installed.resolve("node_modules/oidc-client-ts/dist/browser/oidc-client-ts.min.js");
    }

    /** The web chat's origin, http://localhost:3000 (a redirect URI and web origin of the web-chat client). */
    private static HttpServer serveSample(Path oidcClient) throws IOException {
        Path sample = Path.of("examples", "web-chat");
        HttpServer site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 3000), 0);
        site.createContext("/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring(1);
            Path file = name.equals("oidc-client-ts.min.js") ? oidcClient
                    : name.matches("[a-z-]+\\.(html|js)") ? sample.resolve(name) : null;
            if (file == null || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                byte[] body = Files.readAllBytes(file);
                exchange.getResponseHeaders().set("Content-Type",
                        name.endsWith(".html") ? "text/html; charset=utf-8" : "text/javascript; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        site.start();
        return site;
    }
}
