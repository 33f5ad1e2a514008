package io.github.customerauth.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker/compose.yaml} is what a bank starts in production: it must not import the sample realms (test
 * customers with known passwords, test client secrets) nor give any password a default; only the files for
 * testers do.
 */
class ComposeFilesTest {

    private static final Path DOCKER = Path.of(System.getProperty("project.dir", ".")).resolve("docker");

    @Test
    void theProductionComposeFileImportsNoRealmAndHasNoDefaultPassword() throws IOException {
        String production = Files.readString(DOCKER.resolve("compose.yaml"));
        String commands = production.lines().filter(line -> !line.strip().startsWith("#"))
                .reduce("", (all, line) -> all + line + "\n");

        assertThat(commands).doesNotContain("--import-realm", "realm-export", "test-only", "PASSWORD:-");
        assertThat(commands).contains("${KC_DB_PASSWORD:?", "${KC_BOOTSTRAP_ADMIN_PASSWORD:?", "${KC_HOSTNAME:?");
    }

    @Test
    void onlyTheSampleFilesImportTheSampleRealmsWithTestPasswords() throws IOException {
        assertThat(Files.readString(DOCKER.resolve("compose.sample.yaml")))
                .contains("--import-realm", "../realm-export:/opt/keycloak/data/import:ro");
        assertThat(Files.readString(DOCKER.resolve("sample.env")))
                .contains("KC_DB_PASSWORD=test-only-", "KC_BOOTSTRAP_ADMIN_PASSWORD=", "KC_HOSTNAME=http://localhost");
    }
}
