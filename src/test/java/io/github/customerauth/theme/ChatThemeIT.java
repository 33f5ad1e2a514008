package io.github.customerauth.theme;

import com.sun.net.httpserver.HttpServer;
import io.github.customerauth.testsupport.HeadlessChromium;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** The chat login theme in a real headless Chromium at phone size: themed, accessible, and it logs in. */
@ExtendWith(KeycloakSuite.class)
class ChatThemeIT {

    static final String CALLBACK = "http://localhost:3000/callback";

    @Test
    void theChatLoginWorksInAPhoneSizedBrowser() throws Exception {
        KeycloakServer server = KeycloakSuite.server();
        CompletableFuture<String> callback = new CompletableFuture<>();
        HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 3000), 0);
        app.createContext("/callback", exchange -> {
            callback.complete(exchange.getRequestURI().getQuery());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        app.start();
        try (HeadlessChromium chrome = HeadlessChromium.start(390, 844)) {
            chrome.navigate(server.baseUrl() + "/realms/customers/protocol/openid-connect/auth?client_id=web-chat"
                    + "&response_type=code&scope=openid&state=theme-it&redirect_uri=" + Http.enc(CALLBACK)
                    + "&code_challenge_method=S256&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
            chrome.await("document.readyState === 'complete' && document.getElementById('kc-form-login') !== null", 30_000);

            assertThat(chrome.eval("Array.from(document.styleSheets).some(s => (s.href || '').endsWith('/login/chat/css/chat.css'))"))
                    .as("chat.css is loaded").isEqualTo(true);
            assertThat(chrome.eval("document.querySelector('label[for=username]') !== null"
                    + " && document.querySelector('label[for=password]') !== null")).as("inputs have labels").isEqualTo(true);
            assertThat(chrome.eval("document.documentElement.scrollWidth <= window.innerWidth"))
                    .as("no horizontal scrolling at 390 px").isEqualTo(true);
            assertThat(chrome.eval("parseFloat(getComputedStyle(document.getElementById('username')).fontSize) >= 16"))
                    .as("16 px inputs, no zoom on focus").isEqualTo(true);
            chrome.eval("document.getElementById('username').focus()");
            assertThat(chrome.eval("document.activeElement.id + ' ' + getComputedStyle(document.activeElement).outlineStyle"
                    + " + ' ' + getComputedStyle(document.activeElement).outlineWidth"))
                    .as("visible focus").isEqualTo("username solid 3px");
            byte[] screenshot = chrome.screenshot();
            Path shot = Path.of(System.getProperty("kc.work.dir")).resolve("chat-login.png");
            Files.write(shot, screenshot);
            assertThat(screenshot).startsWith(0x89, 'P', 'N', 'G');

            chrome.eval("document.getElementById('username').value = 'alice';"
                    + "document.getElementById('password').value = 'Test-only-1!';"
                    + "document.getElementById('kc-login').click(); true");

            assertThat(callback.get(30, TimeUnit.SECONDS)).contains("state=theme-it").contains("code=");
        } finally {
            app.stop(0);
        }
    }
}
