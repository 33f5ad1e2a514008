package io.github.customerauth.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A Kafka broker (KRaft, one node as broker and controller) and Kafka Connect (standalone, file offsets) with
 * Debezium's PostgreSQL connector, each a process of its own on loopback ports, from the classpath in
 * {@code target/kafka-runtime} (see {@code src/test/kafka/pom.xml}); either can be killed and started again.
 */
public final class KafkaStack implements AutoCloseable {

    public static final int BROKER_PORT = 19092;
    private static final int CONTROLLER_PORT = 19093;
    private static final int CONNECT_PORT = 18083;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Path runtime = Path.of(System.getProperty("kafka.runtime.dir", "target/kafka-runtime"));
    private final Path dir;
    private final String java = ProcessHandle.current().info().command().orElse("java");
    private Process broker;
    private Process connect;
    private String connectorName;
    private Path connectorFile;

    public KafkaStack(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            if (!Files.isDirectory(runtime) || Files.list(runtime).findAny().isEmpty()) {
                throw new IllegalStateException("no Kafka runtime in " + runtime + ": mvn verify copies it there"
                        + " (pre-integration-test, from src/test/kafka/pom.xml)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + BROKER_PORT;
    }

    /**
     * The admin guide's connector block, pointed at a database on loopback at this port; the password is read from
     * a file in {@code dir} through the worker's file config provider, as the admin guide shows.
     */
    public static Map<String, String> connectorFromReadme(Path dir, int postgresPort) {
        Path secrets = dir.resolve("keycloak-db.properties");
        write(secrets, "password=change-me\n");
        Map<String, String> connector = new LinkedHashMap<>();
        String block = ReadmeBlocks.fencedContaining("properties", "io.debezium.transforms.outbox.EventRouter");
        for (String line : block.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                connector.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        if (!connector.getOrDefault("database.password", "").startsWith("${file:")) {
            throw new IllegalStateException("the admin guide's connector must read the password through ${file:...}");
        }
        connector.put("database.password", "${file:" + secrets + ":password}");
        connector.putAll(Map.of("database.hostname", "127.0.0.1", "database.port", String.valueOf(postgresPort),
                "database.dbname", "keycloak"));
        return connector;
    }

    /** The broker's and Connect's processes that run now. */
    public synchronized List<ProcessHandle> processes() {
        List<ProcessHandle> running = new ArrayList<>();
        for (Process process : new Process[] {broker, connect}) {
            if (process != null && process.isAlive()) {
                running.add(process.toHandle());
            }
        }
        return running;
    }

    /** Formats the broker's storage the first time, then starts it and waits until it takes connections. */
    public synchronized void startBroker() {
        Path config = dir.resolve("broker.properties");
        Path logDir = dir.resolve("broker-data");
        if (!Files.exists(config)) {
            write(config, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + CONTROLLER_PORT,
                    "listeners=PLAINTEXT://127.0.0.1:" + BROKER_PORT + ",CONTROLLER://127.0.0.1:" + CONTROLLER_PORT,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + BROKER_PORT,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + logDir,
                    "num.partitions=3",
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "group.initial.rebalance.delay.ms=0"));
            Processes.run(dir, Duration.ofMinutes(2), java, "-Xmx256m", "-cp", classpath(), "kafka.tools.StorageTool",
                    "format", "-t", UUID.randomUUID().toString().replace("-", "").substring(0, 22), "-c",
                    config.toString());
        }
        broker = launch("broker", "-Xmx512m", "kafka.Kafka", config.toString());
        awaitPort(broker, "broker", BROKER_PORT);
    }

    /** {@code kill -9} of the broker. */
    public synchronized void killBroker() {
        broker = kill(broker);
    }

    /**
     * Starts Connect standalone with the worker's and the connector's properties as an operator would write them
     * ({@code workerExtra} after this stack's own worker settings) and waits until the connector and its task run.
     */
    public synchronized void startConnect(String workerExtra, Map<String, String> connector) {
        Path worker = dir.resolve("worker.properties");
        write(worker, String.join("\n",
                "bootstrap.servers=" + bootstrapServers(),
                "key.converter=org.apache.kafka.connect.storage.StringConverter",
                "value.converter=org.apache.kafka.connect.storage.StringConverter",
                "offset.storage.file.filename=" + dir.resolve("connect.offsets"),
                "offset.flush.interval.ms=1000",
                "listeners=http://127.0.0.1:" + CONNECT_PORT,
                workerExtra));
        connectorName = connector.get("name");
        connectorFile = dir.resolve("connector.properties");
        StringBuilder properties = new StringBuilder();
        connector.forEach((key, value) -> properties.append(key).append('=').append(value).append('\n'));
        write(connectorFile, properties.toString());
        restartConnect();
    }

    /** Connect again, with the connector it had. */
    public synchronized void restartConnect() {
        connect = launch("connect", "-Xmx512m", "org.apache.kafka.connect.cli.ConnectStandalone", dir.resolve(
                "worker.properties").toString(), connectorFile.toString());
        awaitConnectorRunning();
    }

    /** {@code kill -9} of Connect: no offsets flushed, no shutdown. */
    public synchronized void killConnect() {
        connect = kill(connect);
    }

    /**
     * Every record on the topic, read from the start by a consumer of its own until {@code enough}, and then on
     * until two seconds pass without a record (what arrives late is read too).
     */
    public List<ConsumerRecord<String, String>> readUntil(String topic, Predicate<List<ConsumerRecord<String, String>>>
            enough, Duration timeout) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (!enough.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            int quietPolls = 0;
            while (quietPolls < 4) {
                int before = records.size();
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                quietPolls = records.size() == before ? quietPolls + 1 : 0;
            }
        }
        return records;
    }

    public String connectLog() {
        return read(dir.resolve("connect.log"));
    }

    @Override
    public synchronized void close() {
        for (Process process : new Process[] {connect, broker}) {
            if (process != null) {
                process.destroy();
                try {
                    if (!process.waitFor(20, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private Process launch(String name, String heap, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(java, heap, "-cp", classpath(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", mainClass));
        command.addAll(List.of(args));
        try {
            return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private static Process kill(Process process) {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return null;
    }

    private String classpath() {
        return runtime.toAbsolutePath() + "/*";
    }

    private void awaitPort(Process process, String name, int port) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited:\n" + tail(dir.resolve(name + ".log")));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Pause.millis(500);
            }
        }
        throw new IllegalStateException(name + " not listening on " + port + ":\n" + tail(dir.resolve(name + ".log")));
    }

    private void awaitConnectorRunning() {
        URI status = URI.create("http://127.0.0.1:" + CONNECT_PORT + "/connectors/" + connectorName + "/status");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "(no answer)";
        while (System.nanoTime() < deadline) {
            if (!connect.isAlive()) {
                throw new IllegalStateException("Connect exited:\n" + tail(dir.resolve("connect.log")));
            }
            try {
                HttpResponse<String> response = Http.send(HttpRequest.newBuilder(status).build());
                last = response.body();
                if (response.statusCode() == 200 && last.contains("\"tasks\":[{")
                        && !last.contains("FAILED") && !last.contains("UNASSIGNED")
                        && last.split("\"RUNNING\"", -1).length - 1 >= 2) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // Connect's REST server is not up yet
            }
            Pause.millis(1000);
        }
        throw new IllegalStateException("connector not running: " + last + "\n" + tail(dir.resolve("connect.log")));
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String tail(Path log) {
        String text = read(log);
        return text.substring(Math.max(0, text.length() - 6000));
    }
}
