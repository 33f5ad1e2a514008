package io.github.customerauth.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The README's run command ({@code mvn -Prun verify}): Keycloak on http://localhost:8080 with the extension and the
 * sample realm, on a dev-file H2 database kept in {@code target/run} across restarts, until Ctrl-C.
 */
public final class DevServer {

    private DevServer() {
    }

    public static void main(String[] args) throws Exception {
        Path workDir = Path.of(System.getProperty("kc.work.dir"));
        Files.createDirectories(workDir);
        int port = Integer.getInteger("kc.run.http.port", 8080);
        KeycloakServer server = new KeycloakServer(new KeycloakServer.Settings(
                Path.of(System.getProperty("kc.dist.dir")),
                Path.of(System.getProperty("provider.jar")),
                Path.of(System.getProperty("realm.export.dir")),
                workDir,
                Path.of(System.getProperty("kc.server.java.home")),
                port, 9000,
                Map.of("customers_customer-id-key", devKey(workDir, "customers"),
                        "customers-eu_customer-id-key", devKey(workDir, "customers-eu")),
                List.of()));
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        System.out.println("Starting Keycloak (log: " + server.log() + ") ...");
        server.start();
        System.out.printf("""

                Keycloak is up at %1$s (Ctrl-C stops it; data is kept in %2$s).
                  Admin console: %1$s/admin  user: %3$s  password: %4$s
                  Sample realm:  customers (test accounts in docs/testers-guide.md; password Test-only-1!)
                  Token request (test-console is a test-only client with direct grants):
                    curl -s %1$s/realms/customers/protocol/openid-connect/token \\
                      -d grant_type=password -d client_id=test-console -d username=alice -d 'password=Test-only-1!'
                """, server.baseUrl(), workDir, KeycloakServer.ADMIN_USER, KeycloakServer.ADMIN_PASSWORD);
        Thread.currentThread().join();
    }

    /** A random development key, made once and kept with the database, so identifiers survive restarts. */
    private static String devKey(Path workDir, String realm) throws Exception {
        Path file = workDir.resolve("vault/" + realm + "_customer-id-key");
        if (Files.exists(file)) {
            return Files.readString(file);
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return HexFormat.of().formatHex(key);
    }
}
