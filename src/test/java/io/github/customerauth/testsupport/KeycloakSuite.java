package io.github.customerauth.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that starts one real Keycloak for the whole integration-test run (it is stopped when the run
 * ends) and hands it to the test classes through {@link #server()}. The settings come from Failsafe's system
 * properties (see pom.xml).
 */
public final class KeycloakSuite implements BeforeAllCallback {

    public static final String REALM = "customers";
    public static final String KEY_NAME = "customer-id-key";
    /** The reference's test-vector key (docs/reference.md), so that tests can assert exact identifiers. */
    public static final String VECTOR_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    /** Key of the second sample realm, customers-eu: the same account numbers give other identifiers there. */
    public static final String EU_KEY = "ee".repeat(32);
    public static final String WEBHOOK_SECRET = "test-only-webhook-secret";
    /** The secret a rotation moves to ({@code ${vault.webhook-secret-next}}). */
    public static final String WEBHOOK_SECRET_NEXT = "test-only-webhook-secret-next";
    /** Standard Webhooks secrets, 32 bytes each ({@code ${vault.whsec-current}}, {@code ${vault.whsec-next}}). */
    public static final String STANDARD_SECRET = "whsec_dGVzdC1vbmx5LXN0YW5kYXJkLXdlYmhvb2tzLWtleTE=";
    public static final String STANDARD_SECRET_NEXT = "whsec_dGVzdC1vbmx5LXN0YW5kYXJkLXdlYmhvb2tzLWtleTI=";
    /** The dev-file database's account, given so that tests can open it beside the server ({@link H2Shell}). */
    public static final String H2_USER = "suite";
    public static final String H2_PASSWORD = "suite-test-only";
    public static final long MAX_AGE_MS = 15_000;
    public static final long ENDED_LINK_RETENTION_MS = 20_000;
    public static final long DELIVERED_RETENTION_MS = 20_000;
    /** Longer than a test takes to find a dead letter and replay it past the claim front's minute (ClaimOrderIT). */
    public static final long DEAD_LETTER_RETENTION_MS = 90_000;
    /** What the sweep leaves to Keycloak's USER_SESSION_DELETED event, where Keycloak sends it (SessionExpiryIT). */
    public static final long EXPIRY_EVENT_GRACE_MS = 60_000;
    public static final int HTTP_PORT = Integer.getInteger("kc.it.http.port", 18080);

    public static final int MANAGEMENT_PORT = HTTP_PORT + 920;

    private static volatile KeycloakServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KeycloakSuite.class, key -> startServer(), Running.class);
    }

    /**
     * The suite's server options plus those of {@code -Dkc.extra.options} (space-separated), to run the suite
     * against another server configuration, e.g. {@code --features-disabled=persistent-user-sessions}.
     */
    private static List<String> withExtraOptions(List<String> options) {
        String extra = System.getProperty("kc.extra.options", "").trim();
        if (extra.isEmpty()) {
            return options;
        }
        List<String> all = new ArrayList<>(options);
        all.addAll(List.of(extra.split("\\s+")));
        return all;
    }

    public static KeycloakServer server() {
        if (server == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(KeycloakSuite.class)");
        }
        return server;
    }

    private static Running startServer() {
        Path workDir = Path.of(required("kc.work.dir"));
        deleteOldRun(workDir);
        KeycloakServer started = new KeycloakServer(new KeycloakServer.Settings(
                Path.of(required("kc.dist.dir")),
                Path.of(required("provider.jar")),
                Path.of(required("realm.export.dir")),
                workDir,
                Path.of(required("kc.server.java.home")),
                HTTP_PORT, MANAGEMENT_PORT,
                Map.of(REALM + "_" + KEY_NAME, VECTOR_KEY, REALM + "_webhook-secret", WEBHOOK_SECRET,
                        REALM + "_webhook-secret-next", WEBHOOK_SECRET_NEXT,
                        REALM + "_whsec-current", STANDARD_SECRET, REALM + "_whsec-next", STANDARD_SECRET_NEXT,
                        "customers-eu_" + KEY_NAME, EU_KEY, "customers-eu_webhook-secret", WEBHOOK_SECRET),
                withExtraOptions(List.of("--metrics-enabled=true",
                        "--db-username=" + H2_USER, "--db-password=" + H2_PASSWORD,
                        "--db-url-properties=" + H2Shell.URL_PROPERTIES,
                        // The privacy test scans the extension's log lines, DEBUG included.
                        "--log-level=INFO,io.github.customerauth:debug",
                        // Fast retries and a short maximum age, so that outages and dead letters fit in a test.
                        "--spi-events-listener--customer-linking--dispatch-interval-ms=200",
                        "--spi-events-listener--customer-linking--retry-base-ms=200",
                        "--spi-events-listener--customer-linking--retry-max-ms=1000",
                        "--spi-events-listener--customer-linking--max-age-ms=" + MAX_AGE_MS,
                        // A receiver that recovers is probed again within seconds, not minutes.
                        "--spi-events-listener--customer-linking--breaker-open-ms=1000",
                        "--spi-events-listener--customer-linking--sweep-interval-ms=1000",
                        "--spi-events-listener--customer-linking--expiry-event-grace-ms=" + EXPIRY_EVENT_GRACE_MS,
                        // Short enough for RetentionIT to see a link of an ended session go.
                        "--spi-events-listener--customer-linking--ended-link-retention-ms=" + ENDED_LINK_RETENTION_MS,
                        "--spi-events-listener--customer-linking--delivered-retention-ms=" + DELIVERED_RETENTION_MS,
                        "--spi-events-listener--customer-linking--dead-letter-retention-ms=" + DEAD_LETTER_RETENTION_MS))));
        started.start();
        server = started;
        return new Running(started);
    }

    /** A fresh database and vault per run; the unpacked distribution is kept to save the copy. */
    private static void deleteOldRun(Path workDir) {
        TestFiles.deleteTree(workDir.resolve(Path.of(required("kc.dist.dir")).getFileName()).resolve("data"));
        TestFiles.deleteTree(workDir.resolve("vault"));
        TestFiles.deleteTree(workDir.resolve("server.log"));
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set: run the tests with mvn verify");
        }
        return value;
    }

    private record Running(KeycloakServer server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            server.stop();
        }
    }
}
