package io.github.customerauth.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The official Standard Webhooks verifier, the npm package {@code standardwebhooks}, installed with npm into
 * {@code target/standardwebhooks} and run with Node.js: a receiver's check written by somebody else than this project.
 */
public final class StandardWebhooksVerifier {

    /** Pinned: the version this test was written against. */
    static final String PACKAGE = "standardwebhooks@1.1.1";

    private static final String SCRIPT = """
            const { Webhook } = require('standardwebhooks');
            const fs = require('fs');
            const [secret, file] = process.argv.slice(2);
            const message = JSON.parse(fs.readFileSync(file, 'utf8'));
            try {
              new Webhook(secret).verify(message.body, message.headers);
            } catch (e) {
              console.error('refused: ' + e.message);
              process.exit(3);
            }
            """;

    private final Path directory;

    private StandardWebhooksVerifier(Path directory) {
        this.directory = directory;
    }

    public static synchronized StandardWebhooksVerifier install() {
        Path directory = Path.of(System.getProperty("kc.work.dir")).getParent().resolve("standardwebhooks");
        try {
            Files.createDirectories(directory);
            if (!Files.isDirectory(directory.resolve("node_modules/standardwebhooks"))) {
                Files.writeString(directory.resolve("package.json"), "{\"private\":true}\n");
                Processes.run(directory, Duration.ofMinutes(3), "npm", "install", "--no-audit", "--no-fund",
                        "--save-exact", PACKAGE);
            }
            Files.writeString(directory.resolve("verify.js"), SCRIPT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new StandardWebhooksVerifier(directory);
    }

    /** Whether the official verifier accepts the delivery with this secret. */
    public boolean verifies(String secret, WebhookReceiver.Delivery delivery) {
        try {
            Path message = Files.createTempFile(directory, "message", ".json");
            Files.writeString(message, Http.toJson(Map.of("body", delivery.body(), "headers", Map.of(
                    "webhook-id", delivery.headers().get("webhook-id"),
                    "webhook-timestamp", delivery.headers().get("webhook-timestamp"),
                    "webhook-signature", delivery.headers().get("webhook-signature")))), StandardCharsets.UTF_8);
            try {
                Processes.run(directory, Duration.ofSeconds(30), "node", "verify.js", secret, message.toString());
                return true;
            } catch (IllegalStateException refused) {
                if (refused.getMessage().contains("refused: ")) {
                    return false;
                }
                throw refused;
            } finally {
                Files.deleteIfExists(message);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
