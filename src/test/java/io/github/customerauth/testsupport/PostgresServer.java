package io.github.customerauth.testsupport;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A private PostgreSQL (Debian's {@code postgresql} package) on 127.0.0.1, with its data in a fresh temporary
 * directory (the {@code postgres} OS user, which it runs as under root, may not be able to enter the checkout), for
 * the tests that need a production database. A missing installation fails the test with the command that installs
 * it: never a skip.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);

    private final Path dataDir;
    private final int port;
    private final Path bin;

    public PostgresServer(int port) {
        try {
            this.dataDir = Files.createTempDirectory("customer-auth-pg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.port = port;
        this.bin = findBin();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Keycloak's options to run on this server's {@code database} (trust authentication: any password). */
    public List<String> keycloakOptions(String database) {
        return List.of("--db=postgres", "--db-url=" + jdbcUrl(database), "--db-username=postgres",
                "--db-password=unused");
    }

    /** @param settings server settings of the test's own ({@code wal_level=logical}, say), each {@code name=value} */
    public PostgresServer start(String... settings) {
        if (isRoot()) {
            Processes.run(dataDir, COMMAND_TIMEOUT, "chown", "-R", "postgres:postgres", dataDir.toString());
        }
        runAsPostgres(List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(), "-A", "trust",
                "-U", "postgres", "--no-sync"));
        runAsPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w", "-l",
                dataDir.resolve("server.log").toString(), "-o",
                "-p " + port + " -k " + dataDir + " -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off"
                        + Stream.of(settings).map(setting -> " -c " + setting).collect(Collectors.joining()),
                "start"));
        return this;
    }

    public void createDatabase(String name) {
        runAsPostgres(List.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-U", "postgres", "-c", "CREATE DATABASE " + name));
    }

    /** One statement's rows, columns separated by {@code |}, in a connection of its own. */
    public String query(String database, String sql) {
        return Processes.output(dataDir, COMMAND_TIMEOUT, asPostgres(psql(database, "-At", "-c", sql)))
                .strip();
    }

    /**
     * A psql connection fed statements as the test goes, for a transaction the test holds open while the server
     * works; closing it ends psql, whose open transaction, if any, then rolls back.
     */
    public Session session(String database) {
        try {
            Process process = new ProcessBuilder(asPostgres(psql(database, "-q", "-v", "ON_ERROR_STOP=1")))
                    .directory(dataDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return new Session(process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** See {@link #session}. */
    public static final class Session implements AutoCloseable {
        private final Process process;
        private final Writer in;

        private Session(Process process) {
            this.process = process;
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        public Session send(String sql) {
            try {
                in.write(sql + "\n");
                in.flush();
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                in.close();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private List<String> psql(String database, String... args) {
        List<String> command = new ArrayList<>(List.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p",
                String.valueOf(port), "-U", "postgres", "-d", database));
        command.addAll(List.of(args));
        return command;
    }

    /** The postmaster's process id; the processes it starts later (one per connection) are its children. */
    public long pid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        runAsPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate", "stop"));
        TestFiles.deleteTree(dataDir);
    }

    private static Path findBin() {
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("postgres")))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IllegalStateException(
                            "PostgreSQL is not installed: apt-get install -y postgresql (the cluster test needs it)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void runAsPostgres(List<String> command) {
        // From the data directory: the postgres user may not be allowed into the current one.
        Processes.run(dataDir, COMMAND_TIMEOUT, asPostgres(command));
    }

    private static String[] asPostgres(List<String> command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        return full.toArray(String[]::new);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
