package io.github.customerauth.identifier;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.github.customerauth.testsupport.KeycloakSuite.REALM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The identifier export at a bank's size: 200,000 customers of the sample realm on PostgreSQL, exported by a
 * Keycloak whose heap is {@value #HEAP} (a CSV of 200,000 rows built in memory, with the users read for it, would
 * not fit beside Keycloak's own state).
 */
class IdentifierExportAtSizeIT {

    private static final int CUSTOMERS = 200_000;
    private static final String HEAP = "-Xms64m -Xmx192m";

    static PostgresServer postgres;
    static KeycloakServer keycloak;

    @BeforeAll
    static void start() {
        Path work = Path.of(System.getProperty("kc.work.dir")).resolveSibling("keycloak-it-export");
        postgres = new PostgresServer(15434).start();
        postgres.createDatabase("keycloak");
        keycloak = new KeycloakServer(new KeycloakServer.Settings(
                Path.of(System.getProperty("kc.dist.dir")), Path.of(System.getProperty("provider.jar")),
                Path.of(System.getProperty("realm.export.dir")), work,
                Path.of(System.getProperty("kc.server.java.home")), 18680, 19600,
                Map.of(REALM + "_customer-id-key", KeycloakSuite.VECTOR_KEY,
                        REALM + "_webhook-secret", KeycloakSuite.WEBHOOK_SECRET),
                postgres.keycloakOptions("keycloak")))
                .withEnvironment("JAVA_OPTS_KC_HEAP", HEAP);
        keycloak.start();
        String realmId = (String) AdminApi.asBootstrapAdmin(keycloak).getJson("/admin/realms/" + REALM).get("id");
        // Straight into Keycloak's tables: creating 200,000 users through the admin API would take an hour here.
        postgres.query("keycloak", "INSERT INTO user_entity (id, email_constraint, email_verified, enabled, realm_id,"
                + " username, created_timestamp, not_before) SELECT 'export-user-' || g, 'export-user-' || g, false,"
                + " true, '" + realmId + "', 'export-customer-' || g, 0, 0 FROM generate_series(1, " + CUSTOMERS
                + ") g;"
                + " INSERT INTO user_attribute (id, name, value, user_id) SELECT 'export-attribute-' || g,"
                + " 'accountNumber', (5000000000 + g)::text, 'export-user-' || g FROM generate_series(1, " + CUSTOMERS
                + ") g; ANALYZE;");
    }

    @AfterAll
    static void stop() {
        if (keycloak != null) {
            keycloak.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void twoHundredThousandCustomersExportWithASmallHeap() throws Exception {
        long mark = keycloak.logMark();
        HttpRequest request = HttpRequest.newBuilder(URI.create(keycloak.baseUrl() + "/admin/realms/" + REALM
                        + "/customer-identifiers/export"))
                .header("Authorization", "Bearer " + AdminApi.bearerOfBootstrapAdmin(keycloak))
                .timeout(Duration.ofMinutes(15)).GET().build();
        HttpResponse<Stream<String>> export = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofLines());

        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Length")).as("streamed, not sized in advance").isEmpty();
        Set<String> identifiers = new HashSet<>();
        int[] exported = {0};
        try (Stream<String> lines = export.body()) {
            lines.skip(1).filter(line -> line.startsWith("export-user-")).forEach(line -> {
                exported[0]++;
                identifiers.add(line.split(",")[2]);
            });
        }
        assertThat(exported[0]).as("rows of the inserted customers").isEqualTo(CUSTOMERS);
        assertThat(identifiers).as("distinct identifiers").hasSize(CUSTOMERS);
        assertThat(keycloak.logSince(mark)).doesNotContain("OutOfMemoryError");
    }
}
