package io.github.customerauth.linking;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.BrowserLogin;
import io.github.customerauth.testsupport.Customers;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KafkaStack;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.MessageContract;
import io.github.customerauth.testsupport.Pause;
import io.github.customerauth.testsupport.PostgresServer;
import io.github.customerauth.testsupport.ReadmeBlocks;
import io.github.customerauth.testsupport.TestFiles;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Kafka sink end to end, as a bank would run it: Keycloak 26.7.3 on PostgreSQL with logical replication, a
 * realm's Kafka sink writing the Debezium outbox, Kafka Connect with Debezium's PostgreSQL connector and Outbox Event
 * Router configured from the admin guide's block, and a KRaft broker; the topic read by Kafka's own consumer. Each test
 * reads the topic from the start and looks at the sessions its own logins opened.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaSinkIT {

    private static final String REALM = KeycloakSuite.REALM;
    private static final String TOPIC = "outbox.event.customer";
    private static final int CUSTOMERS = 100;
    private static final Duration ON_TOPIC_WITHIN = Duration.ofMinutes(3);
    private static final long SWEEP_INTERVAL_MS = 5_000;

    static PostgresServer postgres;
    static KeycloakServer keycloak;
    static KafkaStack kafka;
    static final List<String> usernames = new ArrayList<>();
    static final Set<String> accountNumbers = new HashSet<>();

    @BeforeAll
    static void start() {
        Path work = Path.of(System.getProperty("kc.work.dir")).resolveSibling("keycloak-it-kafka");
        postgres = new PostgresServer(15433).start("wal_level=logical", "max_wal_senders=4", "max_replication_slots=4");
        postgres.createDatabase("keycloak");
        keycloak = new KeycloakServer(new KeycloakServer.Settings(
                Path.of(System.getProperty("kc.dist.dir")), Path.of(System.getProperty("provider.jar")),
                Path.of(System.getProperty("realm.export.dir")), work.resolve("keycloak"),
                Path.of(System.getProperty("kc.server.java.home")), 18580, 19500,
                Map.of(REALM + "_customer-id-key", KeycloakSuite.VECTOR_KEY,
                        REALM + "_webhook-secret", KeycloakSuite.WEBHOOK_SECRET),
                Stream.concat(postgres.keycloakOptions("keycloak").stream(), Stream.of(
                        "--spi-events-listener--customer-linking--sweep-interval-ms=" + SWEEP_INTERVAL_MS)).toList()));
        keycloak.start();
        // The admin guide's statements: the publication by the table's owner, Debezium's own user.
        postgres.query("keycloak", ReadmeBlocks.fencedContaining("sql", "CREATE PUBLICATION customer_auth_outbox"));
        // A fresh broker and fresh Connect offsets: an earlier run's would point into another database's log.
        TestFiles.deleteTree(work.resolve("kafka"));
        kafka = new KafkaStack(work.resolve("kafka"));
        kafka.startBroker();
        // Connect before the sink: the replication slot starts at the connector's first start (admin guide, step 4).
        kafka.startConnect(ReadmeBlocks.fencedContaining("properties", "config.providers=file"),
                KafkaStack.connectorFromReadme(work.resolve("kafka"), 15433));
        AdminApi admin = AdminApi.asBootstrapAdmin(keycloak);
        for (int i = 0; i < CUSTOMERS; i++) {
            String username = "kafka-customer-" + i;
            String accountNumber = "77" + String.format("%08d", 40_000 + i);
            Customers.create(admin, REALM, username, accountNumber);
            usernames.add(username);
            accountNumbers.add(accountNumber);
        }
        HttpResponse<String> sink = admin.post("/admin/realms/" + REALM + "/components", Map.of("name", "platform-kafka",
                "providerId", "customer-kafka-sink", "providerType", "org.keycloak.services.ui.extend.UiPageProvider",
                "parentId", REALM, "config", Map.of("enabled", List.of("true"))));
        assertThat(sink.statusCode()).as(sink.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (keycloak != null) {
            keycloak.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void aThousandLoginsOfAHundredCustomersGiveAThousandRecordsKeyedAndNumberedPerCustomer() throws Exception {
        Set<String> sessions = ConcurrentHashMap.newKeySet();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> logins = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                String username = usernames.get(i % CUSTOMERS);
                logins.add(clients.submit(() -> sessions.add(login(username))));
            }
            for (Future<?> login : logins) {
                login.get(2, TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(sessions).hasSize(1_000);

        List<ConsumerRecord<String, String>> records = awaitSessions(sessions);
        assertThat(records).as("records on the topic, this test's logins being its first").hasSize(1_000);
        Map<String, List<ConsumerRecord<String, String>>> byKey = new HashMap<>();
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, String> record : records) {
            Map<String, Object> message = Http.json(record.value());
            assertThat(MessageContract.problems(record.value())).as("contracts/webhooks/ for %s", record.value())
                    .isEmpty();
            assertThat(message.get("type")).isEqualTo("LOGIN");
            assertThat(record.key()).as("key").isEqualTo(message.get("customer_id"));
            assertThat(header(record, "id")).as("id header").isEqualTo(message.get("id"));
            assertThat(header(record, "type")).as("type header").isEqualTo("LOGIN");
            ids.add((String) message.get("id"));
            byKey.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(record);
        }
        assertThat(ids).as("distinct message ids").hasSize(1_000);
        assertThat(byKey).as("one key per customer").hasSize(CUSTOMERS);
        byKey.forEach((key, ofCustomer) -> {
            assertThat(ofCustomer).as("records of one customer").hasSize(10);
            assertThat(ofCustomer.stream().map(ConsumerRecord::partition).distinct()).as("one partition").hasSize(1);
            long previous = Long.MIN_VALUE;
            for (ConsumerRecord<String, String> record : ofCustomer) {
                long seq = ((Number) Http.json(record.value()).get("seq")).longValue();
                assertThat(seq).as("seq of %s in topic order", key).isGreaterThan(previous);
                previous = seq;
            }
        });
        assertNoPersonalData(records);
    }

    @Test
    @Order(2)
    void connectKilledInTheMiddleLosesNothing() throws Exception {
        Logins logins = Logins.start(300);
        logins.awaitSucceeded(100);
        kafka.killConnect();
        logins.awaitSucceeded(200);
        kafka.restartConnect();
        Set<String> sessions = logins.finish();
        assertThat(logins.failed).as("failed logins").hasValue(0);
        assertDuplicatesAreRepeats(awaitSessions(sessions));
    }

    @Test
    @Order(3)
    void keycloakKilledInTheMiddleLosesNothing() throws Exception {
        Logins logins = Logins.start(300);
        logins.awaitSucceeded(100);
        keycloak.kill();
        keycloak.start();
        Set<String> sessions = logins.finish();
        // The logins the dead server never answered failed; every one that was answered has its record.
        assertThat(sessions).hasSizeGreaterThanOrEqualTo(300);
        assertDuplicatesAreRepeats(awaitSessions(sessions));
    }

    @Test
    @Order(4)
    void loginsGoOnWhileKafkaIsDownAndEveryEventArrivesAfterwards() throws Exception {
        Logins before = Logins.forSeconds(10);
        Set<String> sessions = new HashSet<>(before.finish());
        kafka.killBroker();
        Logins during = Logins.forSeconds(30);
        sessions.addAll(during.finish());
        kafka.startBroker();
        assertThat(during.failed).as("logins failed while Kafka was down").hasValue(0);
        double rateBefore = before.succeeded.get() / 10.0;
        double rateDuring = during.succeeded.get() / 30.0;
        System.out.printf("KafkaSinkIT: %.1f logins/s with Kafka up, %.1f with Kafka down%n", rateBefore, rateDuring);
        assertThat(rateDuring).as("logins per second with Kafka down, against %.1f with it up", rateBefore)
                .isGreaterThan(rateBefore * 0.7);
        assertDuplicatesAreRepeats(awaitSessions(sessions));
    }

    @Test
    @Order(5)
    void aLoginWhoseTransactionRollsBackPutsNothingOnTheTopic() {
        String username = "kafka-rollback";
        Customers.create(AdminApi.asBootstrapAdmin(keycloak), REALM, username, "7799990001");
        String before = login(username);
        // Fails the login's commit, after its outbox row was written and deleted: a link insert checked at commit.
        postgres.query("keycloak", "CREATE FUNCTION ca_refuse() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;"
                + " CREATE CONSTRAINT TRIGGER ca_refuse AFTER INSERT ON ca_link DEFERRABLE INITIALLY DEFERRED"
                + " FOR EACH ROW EXECUTE FUNCTION ca_refuse();");
        HttpResponse<String> refused;
        try {
            refused = grant(username);
        } finally {
            postgres.query("keycloak", "DROP TRIGGER ca_refuse ON ca_link; DROP FUNCTION ca_refuse();");
        }
        assertThat(refused.statusCode()).as(refused.body()).isGreaterThanOrEqualTo(500);
        String after = login(username);

        List<ConsumerRecord<String, String>> records = awaitSessions(Set.of(before, after));
        String key = records.stream().filter(record -> before.equals(Http.json(record.value()).get("session_id")))
                .findFirst().orElseThrow().key();
        List<Object> sessionsOfCustomer = records.stream().filter(record -> key.equals(record.key()))
                .map(record -> Http.json(record.value()).get("session_id")).toList();
        assertThat(sessionsOfCustomer).as("the customer's records: its two answered logins only")
                .containsExactly(before, after);
    }

    @Test
    @Order(6)
    void anAdminsRevocationEndsTheLinksInTheAdminsRequestNotAtTheSweep() {
        AdminApi admin = AdminApi.asBootstrapAdmin(keycloak);
        String revoked = login(usernames.get(0));
        String userId = admin.userId(REALM, usernames.get(1));
        List<String> loggedOut = List.of(login(usernames.get(1)), login(usernames.get(1)));

        assertThat(admin.delete("/admin/realms/" + REALM + "/sessions/" + revoked).statusCode()).isEqualTo(204);
        assertThat(admin.post("/admin/realms/" + REALM + "/users/" + userId + "/logout", Map.of()).statusCode())
                .isEqualTo(204);

        // The sweep (every 5 s here) would say session_gone; the admin's event says who ended the session.
        assertThat(endReasonWithin(revoked, Duration.ofSeconds(3))).isEqualTo("admin_revoked");
        for (String sessionId : loggedOut) {
            assertThat(endReasonWithin(sessionId, Duration.ofSeconds(3))).isEqualTo("admin_logout");
        }
        List<String> ended = kafka.readUntil(TOPIC, read -> endedSessions(read).containsAll(List.of(revoked,
                loggedOut.get(0), loggedOut.get(1))), ON_TOPIC_WITHIN).stream().map(KafkaSinkIT::endedSession)
                .filter(sessionId -> sessionId != null).toList();
        assertThat(ended).contains(revoked, loggedOut.get(0), loggedOut.get(1));
    }

    @Test
    @Order(7)
    void theLinkOfAnOfflineSessionStaysOpenUntilTheAdminRevokesTheOfflineSession() {
        AdminApi admin = AdminApi.asBootstrapAdmin(keycloak);
        // A browser login (a direct grant keeps no online session beside its offline one).
        Map<String, Object> tokens = new BrowserLogin(keycloak.baseUrl(), REALM, "web-chat",
                "http://localhost:3000/callback").withAuthorizationParameter("scope", "openid offline_access")
                .login(usernames.get(2), Customers.PASSWORD);
        assertThat(tokens.get("refresh_token")).isNotNull();
        String sessionId = (String) Http.claims((String) tokens.get("access_token")).get("sid");

        // Revoking the online session: Keycloak 26.7 keeps none beside an offline_access login's offline session
        // (404), older releases may (204). Either way the offline session lives on and refreshes.
        assertThat(admin.delete("/admin/realms/" + REALM + "/sessions/" + sessionId).statusCode()).isIn(204, 404);
        // Past the admin's commit and a sweep pass (which finds the offline session's row): the link stays open.
        Pause.millis(SWEEP_INTERVAL_MS + 2_000);
        assertThat(postgres.query("keycloak", "SELECT coalesce(end_reason, 'open') FROM ca_link WHERE session_id = '"
                + sessionId + "'")).isEqualTo("open");

        assertThat(admin.delete("/admin/realms/" + REALM + "/sessions/" + sessionId + "?isOffline=true").statusCode())
                .isEqualTo(204);
        assertThat(endReasonWithin(sessionId, Duration.ofSeconds(3))).isEqualTo("admin_revoked");
    }

    /** The link's end reason once it has one, or what it has when the time is up. */
    private static String endReasonWithin(String sessionId, Duration timeout) {
        String sql = "SELECT coalesce(end_reason, 'open') FROM ca_link WHERE session_id = '" + sessionId + "'";
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        String reason = postgres.query("keycloak", sql);
        while ("open".equals(reason) && System.currentTimeMillis() < deadline) {
            Pause.millis(100);
            reason = postgres.query("keycloak", sql);
        }
        return reason;
    }

    @Test
    @Order(8)
    void sessionsRemovedWithoutAnEventAreEndedByTheSweepFromKeycloaksSessionRows() {
        String open = "SELECT count(*) FROM ca_link WHERE ended_at IS NULL";
        assertThat(Long.parseLong(postgres.query("keycloak", open))).as("open links before").isGreaterThan(2_000);
        AdminApi admin = AdminApi.asBootstrapAdmin(keycloak);
        // Every session of the realm, removed in one statement: Keycloak tells no listener which sessions went.
        long before = System.currentTimeMillis();
        assertThat(admin.post("/admin/realms/" + REALM + "/logout-all", Map.of()).statusCode()).isEqualTo(200);

        long deadline = System.currentTimeMillis() + 120_000;
        while (!"0".equals(postgres.query("keycloak", open)) && System.currentTimeMillis() < deadline) {
            Pause.millis(1_000);
        }
        assertThat(postgres.query("keycloak", open)).as("open links two minutes after logout-all").isEqualTo("0");
        assertThat(postgres.query("keycloak", "SELECT DISTINCT end_reason FROM ca_link WHERE ended_at >= "
                + before)).isEqualTo("session_gone");
    }

    private static Set<String> endedSessions(List<ConsumerRecord<String, String>> records) {
        Set<String> sessions = new HashSet<>();
        records.forEach(record -> sessions.add(endedSession(record)));
        return sessions;
    }

    private static String endedSession(ConsumerRecord<String, String> record) {
        Map<String, Object> message = Http.json(record.value());
        return "SESSION_ENDED".equals(message.get("type")) ? (String) message.get("session_id") : null;
    }

    /** Reads the topic until every session has its LOGIN record, and returns everything read. */
    private static List<ConsumerRecord<String, String>> awaitSessions(Collection<String> sessions) {
        List<ConsumerRecord<String, String>> records = kafka.readUntil(TOPIC,
                read -> sessionsIn(read).containsAll(sessions), ON_TOPIC_WITHIN);
        Set<String> missing = new HashSet<>(sessions);
        missing.removeAll(sessionsIn(records));
        assertThat(missing).as("answered logins without a record on the topic (Connect log:\n%s)",
                missing.isEmpty() ? "" : kafka.connectLog().lines().skip(Math.max(0, kafka.connectLog().lines().count()
                        - 40)).reduce("", (a, b) -> a + "\n" + b)).isEmpty();
        return records;
    }

    private static Set<String> sessionsIn(List<ConsumerRecord<String, String>> records) {
        Set<String> sessions = new HashSet<>();
        records.forEach(record -> sessions.add((String) Http.json(record.value()).get("session_id")));
        return sessions;
    }

    /** A message on the topic twice (Connect sending again what it had not confirmed) is the same message. */
    private static void assertDuplicatesAreRepeats(List<ConsumerRecord<String, String>> records) {
        Map<String, String> byId = new HashMap<>();
        Map<String, Set<String>> loginIds = new HashMap<>();
        int repeats = 0;
        for (ConsumerRecord<String, String> record : records) {
            Map<String, Object> message = Http.json(record.value());
            if ("LOGIN".equals(message.get("type"))) {
                loginIds.computeIfAbsent((String) message.get("session_id"), s -> new HashSet<>())
                        .add(header(record, "id"));
            }
            String earlier = byId.putIfAbsent(header(record, "id"), record.value());
            if (earlier != null) {
                assertThat(record.value()).as("a record sent again").isEqualTo(earlier);
                repeats++;
            }
        }
        loginIds.forEach((sessionId, ids) -> assertThat(ids).as("ids of one login's records").hasSize(1));
        System.out.printf("KafkaSinkIT: %d records, %d of them sent again%n", records.size(), repeats);
        assertNoPersonalData(records);
    }

    private static void assertNoPersonalData(List<ConsumerRecord<String, String>> records) {
        for (ConsumerRecord<String, String> record : records) {
            StringBuilder text = new StringBuilder(record.key()).append(' ').append(record.value());
            for (Header header : record.headers()) {
                text.append(' ').append(new String(header.value(), StandardCharsets.UTF_8));
            }
            String all = text.toString();
            assertThat(all).doesNotContain("kafka-customer-", "kafka-rollback", "@customers.example.test");
            accountNumbers.forEach(number -> assertThat(all).doesNotContain(number));
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> grant(String username) {
        return Http.grant(keycloak.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "test-console", "username", username,
                        "password", Customers.PASSWORD));
    }

    /** The session of an answered login. */
    private static String login(String username) {
        HttpResponse<String> response = grant(username);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("login " + response.statusCode() + ": " + response.body());
        }
        return (String) Http.claims((String) Http.json(response.body()).get("access_token")).get("sid");
    }

    /** Logins of the test customers on four threads, round robin, counting answers and failures. */
    private static final class Logins {
        final Set<String> sessions = ConcurrentHashMap.newKeySet();
        final AtomicInteger succeeded = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger next = new AtomicInteger();
        final AtomicBoolean stop = new AtomicBoolean();
        final ExecutorService threads = Executors.newFixedThreadPool(4);
        final List<Future<?>> running = new ArrayList<>();

        /** Until {@code count} logins were answered (a server that is down meanwhile costs failures, not logins). */
        static Logins start(int count) {
            Logins logins = new Logins();
            logins.run(() -> logins.succeeded.get() >= count);
            return logins;
        }

        static Logins forSeconds(int seconds) {
            Logins logins = new Logins();
            long end = System.currentTimeMillis() + seconds * 1000L;
            logins.run(() -> System.currentTimeMillis() >= end);
            return logins;
        }

        private void run(java.util.function.BooleanSupplier done) {
            for (int t = 0; t < 4; t++) {
                running.add(threads.submit(() -> {
                    while (!stop.get() && !done.getAsBoolean()) {
                        try {
                            sessions.add(login(usernames.get(next.getAndIncrement() % CUSTOMERS)));
                            succeeded.incrementAndGet();
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                            Pause.millis(200);
                        }
                    }
                }));
            }
        }

        void awaitSucceeded(int count) {
            long deadline = System.currentTimeMillis() + 120_000;
            while (succeeded.get() < count) {
                assertThat(System.currentTimeMillis()).as("%d logins answered in time", count).isLessThan(deadline);
                Pause.millis(50);
            }
        }

        Set<String> finish() throws Exception {
            try {
                for (Future<?> thread : running) {
                    thread.get(5, TimeUnit.MINUTES);
                }
            } finally {
                stop.set(true);
                threads.shutdownNow();
            }
            return sessions;
        }
    }
}
