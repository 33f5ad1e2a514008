package io.github.customerauth.sample;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.BrowserLogin;
import io.github.customerauth.testsupport.Customers;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.Pause;
import io.github.customerauth.testsupport.Processes;
import io.github.customerauth.testsupport.TestFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.customerauth.testsupport.KeycloakSuite.REALM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The receiver samples of {@code examples/receivers/} (Python and Java with the customer-auth signature, Node.js
 * with the official Standard Webhooks library), each run as its comment says against the suite's Keycloak: a real
 * login reaches it and is applied; a forged message is refused with 401; a message sent again is recognised by its
 * id; an older message of the customer (a replayed dead letter) is recognised by its seq.
 */
@ExtendWith(KeycloakSuite.class)
class ReceiverSamplesIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger CUSTOMERS = new AtomicInteger();

    static KeycloakServer server;

    @BeforeAll
    static void setUp() {
        server = KeycloakSuite.server();
    }

    @Test
    void thePythonSampleVerifiesDeDuplicatesAndOrders() throws Exception {
        Path dir = copy("python");
        try (Processes.Background sample = Processes.start(dir, dir.resolve("out.log"), "env",
                "WEBHOOK_SECRET=" + KeycloakSuite.WEBHOOK_SECRET, "python3", "receiver.py", "18791")) {
            exercise(sample, 18791, "customer-auth", "${vault.webhook-secret}", KeycloakSuite.WEBHOOK_SECRET);
        }
    }

    @Test
    void theJavaSampleVerifiesDeDuplicatesAndOrders() throws Exception {
        Path dir = copy("java");
        String java = ProcessHandle.current().info().command().orElse("java");
        try (Processes.Background sample = Processes.start(dir, dir.resolve("out.log"), "env",
                "WEBHOOK_SECRET=" + KeycloakSuite.WEBHOOK_SECRET, java, "Receiver.java", "18792")) {
            exercise(sample, 18792, "customer-auth", "${vault.webhook-secret}", KeycloakSuite.WEBHOOK_SECRET);
        }
    }

    @Test
    void theNodeSampleVerifiesWithTheStandardWebhooksLibraryDeDuplicatesAndOrders() throws Exception {
        Path dir = copy("node");
        Processes.run(dir, Duration.ofMinutes(5), "npm", "install", "--no-audit", "--no-fund");
        try (Processes.Background sample = Processes.start(dir, dir.resolve("out.log"), "env",
                "WEBHOOK_SECRET=" + KeycloakSuite.STANDARD_SECRET, "node", "receiver.mjs", "18793")) {
            exercise(sample, 18793, "standard-webhooks", "${vault.whsec-current}", KeycloakSuite.STANDARD_SECRET);
        }
    }

    private static void exercise(Processes.Background sample, int port, String format, String secretReference,
                                 String secret) throws Exception {
        awaitLine(sample, "\"listening\"");
        String url = "http://127.0.0.1:" + port + "/hook";
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        HttpResponse<String> created = admin.post("/admin/realms/" + REALM + "/customer-links/webhooks", Map.of(
                "name", "sample " + format + " " + port, "url", url, "secret", secretReference,
                "signatureFormat", format, "eventTypes", List.of("LOGIN")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String receiverId = (String) Http.json(created.body()).get("id");
        try {
            String username = "receiver-sample-" + port + "-" + CUSTOMERS.incrementAndGet();
            Customers.create(admin, REALM, username, String.format("77%08d", port * 10 + CUSTOMERS.get()));
            String customerId = (String) Http.claims((String) new BrowserLogin(server.baseUrl(), REALM, "web-chat",
                    "http://localhost:3000/callback").login(username, Customers.PASSWORD).get("access_token"))
                    .get("customer_id");
            Map<String, Object> applied = Http.json(awaitLine(sample, customerId));
            assertThat(applied).containsEntry("outcome", "applied").containsEntry("type", "LOGIN");
            String id = (String) applied.get("id");
            long seq = ((Number) applied.get("seq")).longValue();

            Map<String, Object> again = message(id, seq, customerId);
            assertThat(send(url, format, "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "not-the-secret",
                    again).statusCode()).as("a forged message").isEqualTo(401);
            assertThat(send(url, format, secret, secret, again).statusCode()).isEqualTo(204);
            assertThat(Http.json(awaitLine(sample, "\"duplicate\""))).containsEntry("id", id);
            assertThat(sample.output().lines().filter(line -> line.contains(id)))
                    .as("the login, then its repeat: the forged message was not taken").hasSize(2);
            String lateId = UUID.randomUUID().toString();
            assertThat(send(url, format, secret, secret, message(lateId, seq - 1, customerId)).statusCode())
                    .isEqualTo(204);
            assertThat(Http.json(awaitLine(sample, lateId))).containsEntry("outcome", "late");
        } finally {
            admin.delete("/admin/realms/" + REALM + "/customer-links/webhooks/" + receiverId);
        }
    }

    private static Map<String, Object> message(String id, long seq, String customerId) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("type", "LOGIN");
        message.put("seq", seq);
        message.put("time", "2026-12-05T10:00:00Z");
        message.put("realm", REALM);
        message.put("customer_id", customerId);
        message.put("channel", "web-chat");
        message.put("session_id", "sample-session");
        return message;
    }

    /** Signs as Keycloak would, in either format ({@code whsecSecret} for Standard Webhooks, else {@code secret}). */
    private static HttpResponse<String> send(String url, String format, String whsecSecret, String secret,
                                             Map<String, Object> message) throws GeneralSecurityException {
        String body = Http.toJson(message);
        long now = System.currentTimeMillis() / 1000;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if ("standard-webhooks".equals(format)) {
            byte[] key = Base64.getDecoder().decode(whsecSecret.substring("whsec_".length()));
            String signed = message.get("id") + "." + now + "." + body;
            request.header("webhook-id", (String) message.get("id")).header("webhook-timestamp", Long.toString(now))
                    .header("webhook-signature", "v1," + Base64.getEncoder().encodeToString(hmac(key, signed)));
        } else {
            String signed = now + "." + body;
            request.header("Customer-Auth-Signature", "t=" + now + ",v1=" + HexFormat.of().formatHex(
                    hmac(secret.getBytes(StandardCharsets.UTF_8), signed)));
        }
        return Http.send(request.build());
    }

    private static byte[] hmac(byte[] key, String signed) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
    }

    /** The first line the sample printed that contains {@code text}. */
    private static String awaitLine(Processes.Background sample, String text) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> line = sample.output().lines().filter(candidate -> candidate.contains(text)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (!sample.alive()) {
                throw new AssertionError("the sample ended:\n" + sample.output());
            }
            Pause.millis(200);
        }
        throw new AssertionError("no line with " + text + " within " + WAIT + ":\n" + sample.output());
    }

    private static Path copy(String sample) throws IOException {
        Path target = Path.of(System.getProperty("kc.work.dir")).getParent().resolve("receiver-samples")
                .resolve(sample);
        TestFiles.deleteTree(target);
        Files.createDirectories(target);
        try (var files = Files.list(Path.of("examples", "receivers", sample))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return target;
    }
}
