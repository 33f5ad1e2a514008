package io.github.customerauth.linking;

import io.github.customerauth.identifier.IdentifierDerivation;
import io.github.customerauth.identifier.IdentifierKey;
import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.Customers;
import io.github.customerauth.testsupport.H2Shell;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.Pause;
import io.github.customerauth.testsupport.Processes;
import io.github.customerauth.testsupport.TestFiles;
import io.github.customerauth.testsupport.WebhookReceiver;
import io.github.customerauth.testsupport.Webhooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upgrade in place: Keycloak runs the JAR of the last release before the delivery rewrite (built here from that
 * commit), records links and leaves messages pending for a receiver that is down; then the new JAR starts on the
 * same database. No link or message is lost, and the pending ones arrive in each customer's order; links the previous
 * release made twice are merged into one.
 */
class UpgradeIT {

    /** The last commit of the previous delivery code and schema. */
    static final String PREVIOUS = "aefac9e";
    static final String REALM = "customers";
    static final String PASSWORD = "Test-only-1!";
    static final int CUSTOMERS = 3;
    static final int LOGINS_EACH = 4;
    static final int DUPLICATE_EVENTS = 2;
    /** The embedded database's account, given so that the test can open it between the two releases. */
    static final String DB_USER = "upgrade";
    static final String DB_PASSWORD = "upgrade-test-only";
    static final IdentifierDerivation VECTOR = new IdentifierDerivation(IdentifierKey.of("1", KeycloakSuite.VECTOR_KEY));

    @Test
    @SuppressWarnings("unchecked")
    void pendingMessagesAndLinksSurviveTheUpgradeAndArriveInOrder() throws Exception {
        Path project = Path.of(System.getProperty("project.dir"));
        Path target = Path.of(System.getProperty("kc.work.dir")).getParent();
        Path workDir = target.resolve("upgrade");
        TestFiles.deleteTree(workDir);
        Path previousJar = buildPrevious(project, target.resolve("upgrade-source"));

        try (WebhookReceiver receiver = new WebhookReceiver().start()) {
            receiver.answer(503);
            KeycloakServer previous = server(previousJar, workDir);
            previous.start();
            List<String> customerIds = new ArrayList<>();
            try {
                AdminApi admin = AdminApi.asBootstrapAdmin(previous);
                Webhooks.create(admin, REALM, "upgrade", receiver.url());
                for (int c = 0; c < CUSTOMERS; c++) {
                    String username = "upgrade" + c;
                    String accountNumber = "990" + c + "0000";
                    Customers.create(admin, REALM, username, accountNumber);
                    customerIds.add(VECTOR.derive(accountNumber));
                }
                for (int i = 0; i < LOGINS_EACH; i++) {
                    for (int c = 0; c < CUSTOMERS; c++) {
                        login(previous, "upgrade" + c);
                    }
                }
                Pause.millis(2_000);
            } finally {
                previous.stop();
            }
            int refusedBefore = receiver.all().size();
            duplicateEveryLink(workDir);

            receiver.answer(204);
            KeycloakServer upgraded = server(Path.of(System.getProperty("provider.jar")), workDir);
            upgraded.start();
            try {
                for (String customerId : customerIds) {
                    List<WebhookReceiver.Delivery> logins = awaitLogins(receiver, customerId);
                    List<Instant> times = logins.stream()
                            .map(delivery -> Instant.parse((String) delivery.json().get("time"))).toList();
                    assertThat(times).as("order of " + customerId).isSorted();
                    assertThat(logins.stream().map(WebhookReceiver.Delivery::eventId).distinct()).hasSize(LOGINS_EACH);
                    Map<String, Object> links = AdminApi.asBootstrapAdmin(upgraded).getJson("/admin/realms/" + REALM
                            + "/customer-links/" + customerId);
                    assertThat(links).as("links of " + customerId + ", each merged with its duplicate")
                            .containsEntry("total", LOGINS_EACH);
                    assertThat((List<Map<String, Object>>) links.get("links"))
                            .allSatisfy(link -> assertThat(link.get("events")).isEqualTo(1 + DUPLICATE_EVENTS));
                }
                System.out.printf("UpgradeIT: %d attempts refused while the receiver was down on the previous "
                        + "release; after the upgrade every one of %d logins was delivered, in order%n",
                        refusedBefore, CUSTOMERS * LOGINS_EACH);
            } finally {
                upgraded.stop();
            }
        }
    }

    /**
     * The previous release had no unique key on links, and two writers could make one link twice: a copy of every
     * link, with counts of its own and a later last sighting, for the upgrade's changeSet to merge.
     */
    private static void duplicateEveryLink(Path workDir) {
        H2Shell.execute(workDir.resolve(Path.of(System.getProperty("kc.dist.dir")).getFileName()), DB_USER, DB_PASSWORD,
                "INSERT INTO CA_LINK (ID, REALM_ID, CUSTOMER_ID, USER_ID, CLIENT_ID, SESSION_ID, FIRST_SEEN, LAST_SEEN,"
                        + " EVENT_COUNT, ENDED_AT, END_REASON) SELECT CAST(RANDOM_UUID() AS VARCHAR(36)), REALM_ID,"
                        + " CUSTOMER_ID, USER_ID, CLIENT_ID, SESSION_ID, FIRST_SEEN + 1, LAST_SEEN + 1000, "
                        + DUPLICATE_EVENTS + ", ENDED_AT, END_REASON FROM CA_LINK");
    }

    /** The provider JAR as the previous release built it, from a worktree of that commit. */
    private static Path buildPrevious(Path project, Path source) {
        TestFiles.deleteTree(source);
        Processes.run(project, Duration.ofMinutes(2), "git", "worktree", "prune");
        Processes.run(project, Duration.ofMinutes(2), "git", "worktree", "add", "--detach", "--force",
                source.toString(), PREVIOUS);
        Processes.run(source, Duration.ofMinutes(10), "mvn", "-B", "-q", "package", "-DskipTests", "-Dmdep.skip=true");
        try (var jars = Files.list(source.resolve("target"))) {
            return jars.filter(path -> path.getFileName().toString().matches("keycloak-customer-auth-.*\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no JAR built from " + PREVIOUS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<WebhookReceiver.Delivery> awaitLogins(WebhookReceiver receiver, String customerId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            List<WebhookReceiver.Delivery> logins = receiver.accepted().stream()
                    .filter(d -> customerId.equals(d.json().get("customer_id")) && "LOGIN".equals(d.json().get("type")))
                    .toList();
            if (logins.size() >= LOGINS_EACH) {
                return logins;
            }
            Pause.millis(250);
        }
        throw new AssertionError("not every login of " + customerId + " was delivered after the upgrade");
    }

    private static void login(KeycloakServer server, String username) {
        assertThat(Http.grant(server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "test-console", "username", username, "password", PASSWORD))
                .statusCode()).isEqualTo(200);
    }

    private static KeycloakServer server(Path providerJar, Path workDir) {
        return new KeycloakServer(new KeycloakServer.Settings(
                Path.of(System.getProperty("kc.dist.dir")), providerJar, Path.of(System.getProperty("realm.export.dir")),
                workDir, Path.of(System.getProperty("kc.server.java.home")), 18380, 19300,
                Map.of(REALM + "_customer-id-key", KeycloakSuite.VECTOR_KEY, REALM + "_webhook-secret",
                        KeycloakSuite.WEBHOOK_SECRET),
                List.of("--db-username=" + DB_USER, "--db-password=" + DB_PASSWORD,
                        "--spi-events-listener--customer-linking--dispatch-interval-ms=200",
                        "--spi-events-listener--customer-linking--retry-base-ms=200",
                        "--spi-events-listener--customer-linking--retry-max-ms=1000")));
    }
}
