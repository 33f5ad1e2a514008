package io.github.customerauth.packaging;

import java.io.IOException;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two artifacts of the build: the provider JAR that goes into Keycloak's {@code providers/} holds providers,
 * their resources and the theme only; the testers' login simulator is a runnable JAR of its own.
 */
class ArtifactsIT {

    private static final List<String> FEATURE_PACKAGES = List.of("identifier", "linking", "partner", "setup",
            "support");

    @Test
    void theProviderJarHoldsProvidersAndThemesOnly() throws IOException {
        try (JarFile jar = new JarFile(System.getProperty("provider.jar"))) {
            List<String> entries = jar.stream().map(ZipEntry::getName).filter(name -> !name.endsWith("/")).toList();

            assertThat(entries).isNotEmpty().allSatisfy(name -> assertThat(isProviderContent(name))
                    .as("%s belongs in the provider JAR", name).isTrue());
            assertThat(entries).noneMatch(name -> name.contains("/simulator/"));
            assertThat(entries).contains("META-INF/services/org.keycloak.protocol.ProtocolMapper",
                    "META-INF/keycloak-themes.json", "theme/chat/login/theme.properties", "META-INF/LICENSE");
            assertThat(mainClass(jar.getManifest())).as("a provider JAR is not a program").isNull();
        }
    }

    @Test
    void theSimulatorJarRunsOnTheJdkAlone() throws IOException {
        try (JarFile jar = new JarFile(System.getProperty("simulator.jar"))) {
            assertThat(mainClass(jar.getManifest())).isEqualTo("io.github.customerauth.simulator.SimulateLogin");
            assertThat(jar.stream().map(ZipEntry::getName).filter(name -> name.endsWith(".class")).toList())
                    .isNotEmpty().allMatch(name -> name.startsWith("io/github/customerauth/simulator/"))
                    .noneMatch(name -> name.endsWith("Test.class") || name.endsWith("IT.class"));
        }
    }

    private static boolean isProviderContent(String name) {
        if (name.endsWith(".class")) {
            return FEATURE_PACKAGES.stream().anyMatch(feature -> name.startsWith("io/github/customerauth/" + feature + "/"));
        }
        return name.equals("META-INF/MANIFEST.MF") || name.equals("META-INF/keycloak-themes.json")
                || name.equals("META-INF/LICENSE")
                || name.startsWith("META-INF/services/org.keycloak.")
                || name.equals("META-INF/services/io.github.customerauth.identifier.IdentifierNodeFactory")
                || name.startsWith("META-INF/customer-auth/") && name.endsWith(".xml")
                || name.startsWith("META-INF/maven/io.github.customerauth/")
                || name.startsWith("theme/");
    }

    private static String mainClass(Manifest manifest) {
        return manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
    }
}
