package io.github.customerauth.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Keycloak distribution run with {@code kc.sh start-dev} on a dev-file H2 database (or the database the extra
 * options name), with this project's JAR in
 * {@code providers/}, a file vault and the sample realms imported. Used by the integration tests and by
 * {@link DevServer} (the README's run command), so both start Keycloak the same way.
 */
public final class KeycloakServer {

    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    private final Settings settings;
    private final Map<String, String> environment = new HashMap<>();
    private final Path home;
    private Process process;

    public record Settings(Path distribution, Path providerJar, Path realmExportDir, Path workDir, Path javaHome,
                           int httpPort, int managementPort, Map<String, String> vaultEntries, List<String> extraOptions) {
    }

    public KeycloakServer(Settings settings) {
        this.settings = settings;
        this.home = settings.workDir().resolve(settings.distribution().getFileName());
    }

    /** An environment variable for the server from its next start on, e.g. {@code JAVA_OPTS_KC_HEAP}. */
    public synchronized KeycloakServer withEnvironment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public String baseUrl() {
        return "http://localhost:" + settings.httpPort();
    }

    public Path home() {
        return home;
    }

    public Path log() {
        return settings.workDir().resolve("server.log");
    }

    /** Where the log ends now: give it to {@link #logSince} to read what a test made the server write. */
    public long logMark() {
        try {
            return Files.size(log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the server logged after {@code mark}. */
    public String logSince(long mark) {
        try {
            byte[] log = Files.readAllBytes(log());
            int from = (int) Math.min(mark, log.length);
            return new String(log, from, log.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void start() {
        prepare();
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port=" + settings.httpPort(),
                "--http-management-port=" + settings.managementPort(),
                "--health-enabled=true",
                "--vault=file", "--vault-dir=" + vaultDir(),
                "--import-realm"));
        if (settings.extraOptions().stream().noneMatch(option -> option.startsWith("--db="))) {
            command.add("--db=dev-file");
        }
        command.addAll(settings.extraOptions());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        builder.environment().put("JAVA_HOME", settings.javaHome().toString());
        // Keycloak 26.5's jboss-threads needs this on Java 24+ (26.7's kc.sh passes it itself); harmless otherwise.
        // -Dkc.java.opts.append adds JVM options of one's own (a benchmark's flight recording, for instance).
        builder.environment().put("JAVA_OPTS_APPEND", ("--add-opens=java.base/java.lang=ALL-UNNAMED "
                + System.getProperty("kc.java.opts.append", "")).strip());
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        }
        awaitReady();
    }

    /** The running server's processes ({@code kc.sh} and the JVM it starts), for tools such as CPU pinning. */
    public synchronized Stream<ProcessHandle> processes() {
        if (process == null) {
            return Stream.empty();
        }
        return Stream.concat(Stream.of(process.toHandle()), process.descendants());
    }

    /** Graceful stop, as an operator would do it. */
    public synchronized void stop() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            awaitExit();
        }
    }

    /** {@code kill -9} of the server JVM: no shutdown hooks, nothing flushed. */
    public synchronized void kill() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            awaitExit();
        }
    }

    public void restart() {
        stop();
        start();
    }

    private void awaitExit() {
        try {
            process.onExit().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Keycloak did not stop", e);
        }
        process = null;
    }

    private void prepare() {
        try {
            if (!Files.isDirectory(home)) {
                copyTree(settings.distribution(), home);
            }
            Files.copy(settings.providerJar(), home.resolve("providers/customer-auth.jar"),
                    StandardCopyOption.REPLACE_EXISTING);
            Path importDir = home.resolve("data/import");
            Files.createDirectories(importDir);
            try (Stream<Path> realms = Files.list(settings.realmExportDir())) {
                for (Path realm : realms.filter(p -> p.toString().endsWith(".json")).toList()) {
                    Files.copy(realm, importDir.resolve(realm.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.createDirectories(vaultDir());
            for (Map.Entry<String, String> entry : settings.vaultEntries().entrySet()) {
                Path file = vaultDir().resolve(entry.getKey());
                if (!Files.exists(file)) {
                    Files.writeString(file, entry.getValue(), StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Keycloak in " + home, e);
        }
    }

    public Path vaultDir() {
        return settings.workDir().resolve("vault");
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create("http://localhost:" + settings.managementPort() + "/health/ready");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; see " + log()
                        + "\n" + tail());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(ready).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Pause.millis(1000);
        }
        throw new IllegalStateException("Keycloak not ready within " + START_TIMEOUT + "; see " + log() + "\n" + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
