package io.github.customerauth.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * SQL on a Keycloak's dev-file H2 database, through H2's own shell from the distribution. The database is opened
 * with {@code AUTO_SERVER=TRUE}, as {@link KeycloakSuite}'s server opens it, so that a test can change it while that
 * server runs (the fault injections of {@code LinkingEdgesIT}), or after a server stopped.
 */
public final class H2Shell {

    /**
     * Keycloak's dev-file database, with the URL properties that let a second process open it meanwhile. H2 refuses
     * {@code AUTO_SERVER} beside the {@code DB_CLOSE_ON_EXIT=FALSE} Keycloak adds unless the URL says otherwise.
     */
    public static final String URL_PROPERTIES = ";NON_KEYWORDS=VALUE;AUTO_SERVER=TRUE;DB_CLOSE_ON_EXIT=TRUE";

    private H2Shell() {
    }

    /** @param keycloakHome the distribution whose {@code data/h2/keycloakdb} to open */
    public static void execute(Path keycloakHome, String user, String password, String sql) {
        Path database = keycloakHome.resolve("data/h2/keycloakdb");
        String output = Processes.output(keycloakHome, Duration.ofMinutes(2),
                Path.of(System.getProperty("kc.server.java.home"), "bin", "java").toString(), "-cp",
                h2Jar(keycloakHome).toString(), "org.h2.tools.Shell", "-url", "jdbc:h2:file:" + database + URL_PROPERTIES,
                "-user", user, "-password", password, "-sql", sql);
        // The shell prints a failed statement's error and still exits with 0.
        if (output.contains("Error: ")) {
            throw new IllegalStateException("H2 refused " + sql + ": " + output);
        }
    }

    private static Path h2Jar(Path keycloakHome) {
        try (var jars = Files.list(keycloakHome.resolve("lib/lib/main"))) {
            return jars.filter(path -> path.getFileName().toString().startsWith("com.h2database.h2-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no H2 JAR in " + keycloakHome));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
