package io.github.customerauth.bench;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KafkaStack;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.ReadmeBlocks;
import io.github.customerauth.testsupport.ScratchRealm;
import io.github.customerauth.testsupport.TestFiles;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The Kafka sink's cost on logins, on PostgreSQL with logical replication and Debezium reading it: password-grant
 * logins of 20 customers with the realm's sink off, on, and off again (the control pair), in interleaved rounds
 * whose order rotates, the customer-linking listener on throughout (without a webhook receiver); and, from a
 * consumer of the topic, how long after each event its record was there, and how many records a second came. The
 * broker, Kafka Connect and the database run beside the load generator (with {@code -Dbench.client.cpus}), as on
 * machines of their own. Run with {@code mvn -Pbench verify -Dbench.db=postgres
 * -Dbench.main=io.github.customerauth.bench.KafkaSinkBenchmark -Dbench.server.cpus=0 -Dbench.client.cpus=1}.
 */
public final class KafkaSinkBenchmark {

    private static final String REALM = "kafka";
    private static final String TOPIC = "outbox.event.customer";
    private static final int CONCURRENCY = 8;
    private static final List<String> MODES = List.of("off", "on", "off again");

    private KafkaSinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (!"postgres".equals(System.getProperty("bench.db"))) {
            throw new IllegalStateException("run with -Dbench.db=postgres: the Kafka sink needs PostgreSQL");
        }
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "10"));
        int rounds = Integer.getInteger("bench.rounds", 6);
        double warmUp = Double.parseDouble(System.getProperty("bench.warmup", "120"));
        List<String> report = new ArrayList<>();
        try (BenchServer bench = new BenchServer("wal_level=logical", "max_wal_senders=4", "max_replication_slots=4")) {
            KeycloakServer server = bench.start(List.of(BenchServer.CONCURRENT_LOGINS));
            bench.database().query("keycloak", ReadmeBlocks.fencedContaining("sql",
                    "CREATE PUBLICATION customer_auth_outbox"));
            Path kafkaDir = bench.workDir().resolve("kafka");
            TestFiles.deleteTree(kafkaDir);
            try (KafkaStack kafka = new KafkaStack(kafkaDir)) {
                kafka.startBroker();
                kafka.startConnect(ReadmeBlocks.fencedContaining("properties", "config.providers=file"),
                        KafkaStack.connectorFromReadme(kafkaDir, 25432));
                kafka.processes().forEach(process -> CpuPinning.applyBesideClient(process.pid(), bench.workDir()));
                report.add("(" + bench.describe() + "; Kafka broker and Connect beside the load generator)");
                try (TopicLag lag = new TopicLag(kafka)) {
                    run(server, lag, seconds, rounds, warmUp, report);
                }
            }
        } finally {
            BenchServer.printAndKeep("kafka-sink-results.txt", report);
        }
    }

    private static void run(KeycloakServer server, TopicLag lag, double seconds, int rounds,
                            double warmUp, List<String> report) {
        Map<String, String> customers = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            customers.put("kafka" + i, String.format("66%08d", i));
        }
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        ScratchRealm realm = ScratchRealm.withLinking(server, admin, REALM, customers, Map.of());
        String realmId = (String) admin.getJson("/admin/realms/" + REALM).get("id");
        String sinkId = AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/components", Map.of(
                "name", "platform-kafka", "providerId", "customer-kafka-sink",
                "providerType", "org.keycloak.services.ui.extend.UiPageProvider", "parentId", realmId,
                "config", Map.of("enabled", List.of("false")))));
        List<String> usernames = List.copyOf(customers.keySet());
        AtomicInteger next = new AtomicInteger();
        Supplier<HttpResponse<String>> login = () -> realm.passwordGrant(
                usernames.get(Math.floorMod(next.getAndIncrement(), usernames.size())));
        long slices = Math.max(2, Math.round(warmUp / 30));
        for (int slice = 0; slice < slices; slice++) {
            sink(server, sinkId, slice % 2 == 0);
            Load.run("warm-up", CONCURRENCY, warmUp / slices, login);
        }
        sink(server, sinkId, false);
        Map<String, ModeTotals> totals = new LinkedHashMap<>();
        Map<String, List<Double>> perRound = new LinkedHashMap<>();
        ServerThreads threads = new ServerThreads();
        sleep(3_000);
        lag.since(System.currentTimeMillis());
        int loginsOn = 0;
        double secondsOn = 0;
        for (int round = 0; round < rounds; round++) {
            List<String> order = new ArrayList<>(MODES);
            Collections.rotate(order, round);
            for (String mode : order) {
                sink(server, sinkId, "on".equals(mode));
                ServerThreads.Used before = threads.now(server);
                Load.Result result = Load.run("logins, sink " + mode, CONCURRENCY, seconds, login);
                if (result.errors() > 0) {
                    throw new IllegalStateException(result + " had errors");
                }
                if ("on".equals(mode)) {
                    loginsOn += result.requests();
                    secondsOn += result.seconds();
                }
                totals.computeIfAbsent(mode, k -> new ModeTotals()).add(result, threads.since(server, before));
                perRound.computeIfAbsent(mode, k -> new ArrayList<>()).add(result.perSecond());
                System.out.println(Instant.now() + " round " + (round + 1) + "  " + result);
            }
        }
        sink(server, sinkId, false);
        sleep(10_000);
        ModeTotals off = totals.get("off");
        ModeTotals on = totals.get("on");
        ModeTotals control = totals.get("off again");
        report.add(String.format("Kafka sink on password logins (listener on, no webhook receiver), concurrency %d,"
                + " %d rounds of %.0f s per mode (modes rotate: off, on, off again):", CONCURRENCY, rounds, seconds));
        report.add(String.format("  off %.1f/s, on %.1f/s, off again %.1f/s", off.perSecond(), on.perSecond(),
                control.perSecond()));
        report.add(String.format("  on/off %.3f (target >= 0.97); control, off again/off %.3f",
                on.perSecond() / off.perSecond(), control.perSecond() / off.perSecond()));
        report.add("  per round, on/off: " + RoundRatios.describe(perRound.get("on"), perRound.get("off")));
        report.add("  per round, off again/off: "
                + RoundRatios.describe(perRound.get("off again"), perRound.get("off")));
        report.add(String.format("  server CPU per login without the JIT compiler threads: off %.3f ms, on %.3f ms",
                off.cpuMillisWithoutJit(), on.cpuMillisWithoutJit()));
        List<Long> lags = lag.lags();
        report.add(String.format("  records on the topic from the measured rounds: %d of %d logins with the sink on"
                + " (%.1f records/s, the rate of those logins)", lags.size(), loginsOn, lags.size() / secondsOn));
        report.add(String.format("  event to record readable on the topic: p50 %d ms, p99 %d ms, max %d ms",
                Load.percentile(lags, 50), Load.percentile(lags, 99), lags.isEmpty() ? 0 : lags.get(lags.size() - 1)));
    }

    private static void sink(KeycloakServer server, String sinkId, boolean enabled) {
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        String path = "/admin/realms/" + REALM + "/components/" + sinkId;
        Map<String, Object> component = admin.getJson(path);
        @SuppressWarnings("unchecked")
        Map<String, Object> config = new LinkedHashMap<>((Map<String, Object>) component.get("config"));
        config.put("enabled", List.of(Boolean.toString(enabled)));
        component.put("config", config);
        Load.check(admin.put(path, component));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A consumer of the topic on a thread of its own: for each record of an event since a moment, its lag. */
    private static final class TopicLag implements AutoCloseable {
        private final List<Long> lags = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private volatile long since = Long.MAX_VALUE;

        TopicLag(KafkaStack kafka) {
            Properties properties = new Properties();
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            properties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "2000");
            thread = new Thread(() -> {
                try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                        new StringDeserializer())) {
                    consumer.subscribe(List.of(TOPIC));
                    while (running.get()) {
                        consumer.poll(Duration.ofMillis(100)).forEach(record -> {
                            long now = System.currentTimeMillis();
                            long time = Instant.parse((String) Http.json(record.value()).get("time")).toEpochMilli();
                            if (time >= since) {
                                lags.add(now - time);
                            }
                        });
                    }
                }
            });
            thread.start();
        }

        void since(long millis) {
            since = millis;
        }

        List<Long> lags() {
            List<Long> sorted = new ArrayList<>(lags);
            Collections.sort(sorted);
            return sorted;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }
}
