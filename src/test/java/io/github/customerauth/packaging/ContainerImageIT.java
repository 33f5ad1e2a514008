package io.github.customerauth.packaging;

import dasniko.testcontainers.keycloak.KeycloakContainer;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.MountableFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container image from {@code docker/Dockerfile}, built on the offline base image from
 * {@code docker/build-base-image.sh}, booted with testcontainers-keycloak in production mode (optimized start) on
 * PostgreSQL, configured as {@code docker/compose.yaml} configures it. A missing Docker engine fails this test.
 */
class ContainerImageIT {

    static final String IMAGE = "customer-auth/keycloak:it";
    static final String ALICE_ID = "v1.1.sr5m95fFEb0qNN-wYIOGYaaIKz8";

    static final Path PROJECT = Path.of(System.getProperty("project.dir", "."));
    static final String KC_VERSION = System.getProperty("kc.dist.version", "26.7.3");

    static final Path CONTAINER_LOG = PROJECT.resolve("target/container-image-it.log");

    static final String POSTGRES_IMAGE = "customer-auth/postgres-offline:15";
    static final String DB_PASSWORD = "test-only-db-password";

    static Network network = Network.newNetwork();
    static GenericContainer<?> postgres;
    static KeycloakContainer keycloak;

    @BeforeAll
    static void buildAndBoot() throws IOException {
        Docker.requireEngine();
        Files.deleteIfExists(CONTAINER_LOG);
        String baseImage = "customer-auth/keycloak-base:" + KC_VERSION;
        if (!Docker.imageExists(baseImage) || !Docker.imageExists(POSTGRES_IMAGE)) {
            timed("base images", () -> Processes.run(PROJECT, Duration.ofMinutes(15),
                    "docker/build-base-image.sh", "--with-postgres", KC_VERSION));
        }
        timed("image " + IMAGE, () -> Processes.run(PROJECT, Duration.ofMinutes(10),
                "docker", "build", "--network", "none", "-q", "-f", "docker/Dockerfile",
                "--build-arg", "KEYCLOAK_IMAGE=" + baseImage, "-t", IMAGE, "."));

        postgres = new GenericContainer<>(POSTGRES_IMAGE)
                .withNetwork(network)
                .withNetworkAliases("postgres")
                .withEnv(Map.of("POSTGRES_DB", "keycloak", "POSTGRES_USER", "keycloak",
                        "POSTGRES_PASSWORD", DB_PASSWORD))
                .withExposedPorts(5432)
                .waitingFor(Wait.forListeningPort());
        timed("postgres start", postgres::start);

        keycloak = new KeycloakContainer(IMAGE)
                .withNetwork(network)
                .withProductionMode()
                .withOptimizedFlag()
                .withEnv("KC_DB_URL", "jdbc:postgresql://postgres:5432/keycloak")
                .withEnv("KC_DB_USERNAME", "keycloak")
                .withEnv("KC_DB_PASSWORD", DB_PASSWORD)
                .withEnv("KC_HTTP_ENABLED", "true")
                .withEnv("KC_HOSTNAME_STRICT", "false")
                .withCopyToContainer(Transferable.of(KeycloakSuite.VECTOR_KEY, 0644),
                        "/opt/keycloak/vault/customers_customer-id-key")
                .withCopyToContainer(Transferable.of(KeycloakSuite.EU_KEY, 0644),
                        "/opt/keycloak/vault/customers-eu_customer-id-key")
                // "started" answers before the realms are imported; "ready" waits for the bootstrap.
                .waitingFor(Wait.forHttp("/health/ready").forPort(9000).withStartupTimeout(Duration.ofMinutes(4)))
                .withLogConsumer(frame -> appendLog(frame.getUtf8String()));
        for (Path realm : realmExports()) {
            keycloak.withCopyFileToContainer(MountableFile.forHostPath(realm, 0644),
                    "/opt/keycloak/data/import/" + realm.getFileName());
        }
        timed("container start", keycloak::start);
    }

    @AfterAll
    static void stop() {
        if (keycloak != null) {
            keycloak.stop();
        }
        if (postgres != null) {
            postgres.stop();
        }
        network.close();
    }

    @Test
    void theImageIssuesTheDocumentedIdentifierFromItsVaultKey() {
        Map<String, Object> tokens = passwordGrant("customers", "alice");

        Map<String, Object> claims = Http.claims((String) tokens.get("access_token"));
        assertThat(claims).containsEntry("customer_id", ALICE_ID);
        assertThat(claims.toString()).doesNotContain("12345678");
    }

    @Test
    void theLinkingTablesLiveInPostgresAndRecordTheLogin() throws Exception {
        passwordGrant("customers", "alice");

        var links = postgres.execInContainer("psql", "-U", "keycloak", "-d", "keycloak", "-Atc",
                "select count(*) from ca_link l join realm r on r.id = l.realm_id where r.name = 'customers'");
        assertThat(links.getExitCode()).as(links.getStderr()).isZero();
        assertThat(Integer.parseInt(links.getStdout().trim())).isPositive();
    }

    @Test
    void theSecondSampleRealmIsImportedWithItsOwnKey() {
        Map<String, Object> claims = Http.claims((String) passwordGrant("customers-eu", "alice").get("access_token"));

        assertThat((String) claims.get("customer_id")).startsWith("v1.").isNotEqualTo(ALICE_ID);
    }

    @Test
    void theServerRunsTheOptimizedBuildWithTheProvider() {
        String logs = keycloak.getLogs();

        assertThat(logs).contains("Realm 'customers' imported").contains("jdbc-postgresql");
        // An optimized start does not re-augment; a changed build option would make Keycloak rebuild or refuse.
        assertThat(logs).doesNotContain("Updating the configuration and installing your custom providers");
        HttpResponse<String> metrics = Http.send(
                HttpRequest.newBuilder(URI.create(keycloak.getMgmtServerUrl() + "/metrics")).build());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("customer_auth_");
    }

    private static Map<String, Object> passwordGrant(String realm, String user) {
        HttpResponse<String> response = Http.grant(keycloak.getAuthServerUrl() + "/realms/" + realm + "/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "test-console", "username", user,
                        "password", "Test-only-1!", "scope", "openid"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response.body());
    }

    /** The container's output, kept in target/ because a container that fails to start is removed. */
    private static void appendLog(String line) {
        try {
            Files.writeString(CONTAINER_LOG, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> realmExports() throws IOException {
        try (Stream<Path> files = Files.list(PROJECT.resolve("realm-export"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static void timed(String what, Runnable step) {
        long start = System.nanoTime();
        step.run();
        System.out.printf("ContainerImageIT: %s took %d s%n", what, (System.nanoTime() - start) / 1_000_000_000);
    }
}
