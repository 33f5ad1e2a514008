package io.github.customerauth.bench;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.PostgresServer;
import io.github.customerauth.testsupport.ScratchRealm;
import io.github.customerauth.testsupport.WebhookReceiver;
import io.github.customerauth.testsupport.Webhooks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A backlog at size, on PostgreSQL: for each of {@code bench.backlogs} (10,000 and 1,000,000) pending messages of
 * one receiver, over a tenth as many customers (100,000 at a million), how fast one node with the shipped dispatch
 * settings drains them, whether each arrives once and in its customer's order, how late a healthy receiver of
 * another realm hears of logins meanwhile (five a second), and what each statement of the dispatcher costs the
 * database (from {@code pg_stat_statements}, reset when each backlog is written). The backlog is written straight
 * into the outbox, as an outage leaves it once the receiver is back (every message due): a million logins would
 * take an hour here. A drain stops after {@code bench.drain-seconds} (600) and says what was left;
 * {@code bench.postgres.settings} adds server settings ({@code name=value,...}). Run with
 * {@code mvn -Pbench verify -Dbench.db=postgres -Dbench.main=io.github.customerauth.bench.MillionBacklogBenchmark
 * -Dbench.server.cpus=0 -Dbench.client.cpus=1}.
 */
public final class MillionBacklogBenchmark {

    private static final int LIVE_CUSTOMERS = 20;
    private static final long LIVE_LOGIN_EVERY_MS = 200;

    private MillionBacklogBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (!"postgres".equals(System.getProperty("bench.db"))) {
            throw new IllegalStateException("run with -Dbench.db=postgres: the backlog at size is measured there");
        }
        long drainSeconds = Long.getLong("bench.drain-seconds", 600);
        List<String> report = new ArrayList<>();
        List<String> settings = new ArrayList<>(List.of("shared_preload_libraries=pg_stat_statements"));
        String extra = System.getProperty("bench.postgres.settings", "");
        if (!extra.isBlank()) {
            settings.addAll(List.of(extra.split(",")));
        }
        try (BenchServer bench = new BenchServer(settings.toArray(String[]::new));
             CountingReceiver drained = new CountingReceiver().start();
             WebhookReceiver live = new WebhookReceiver().start()) {
            KeycloakServer server = bench.start(List.of(BenchServer.CONCURRENT_LOGINS));
            report.add("(" + bench.describe() + "; shipped dispatch settings; PostgreSQL " + settings + ")");
            PostgresServer database = bench.database();
            database.query("keycloak", "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            AdminApi admin = AdminApi.asBootstrapAdmin(server);
            ScratchRealm.withLinking(server, admin, "drained", Map.of(), Map.of());
            String webhookId = Webhooks.create(admin, "drained", "platform", drained.url());
            String realmId = (String) admin.getJson("/admin/realms/drained").get("id");
            Map<String, String> liveCustomers = new LinkedHashMap<>();
            for (int i = 0; i < LIVE_CUSTOMERS; i++) {
                liveCustomers.put("live" + i, String.format("88%08d", i));
            }
            ScratchRealm healthy = ScratchRealm.withLinking(server, admin, "healthy", liveCustomers, Map.of());
            Webhooks.create(admin, "healthy", "platform", live.url());
            long seqBase = 0;
            for (String size : System.getProperty("bench.backlogs", "10000,1000000").split(",")) {
                int backlog = Integer.parseInt(size.strip());
                drained.reset();
                int liveBefore = live.accepted().size();
                long written = writeBacklog(database, realmId, webhookId, backlog, seqBase);
                seqBase += backlog;
                AtomicBoolean draining = new AtomicBoolean(true);
                Thread logins = new Thread(() -> loginPaced(healthy, liveCustomers, draining));
                logins.start();
                long deadline = written + drainSeconds * 1000;
                while (drained.distinct() < backlog && System.currentTimeMillis() < deadline) {
                    Thread.sleep(500);
                }
                draining.set(false);
                logins.join();
                Thread.sleep(3_000);
                report(report, database, webhookId, backlog, written, drained,
                        live.accepted().subList(liveBefore, live.accepted().size()));
            }
        } finally {
            BenchServer.printAndKeep("million-backlog-results.txt", report);
        }
    }

    /**
     * Pending LOGIN messages of one receiver, {@code count} over a tenth as many customers, written one a
     * millisecond up to now as during an outage, each customer's in increasing {@code seq}, with ids and numbers as
     * the outbox and the sequence give them, committed at once; statistics gathered and
     * {@code pg_stat_statements} reset after.
     *
     * @return when the backlog was committed, in epoch milliseconds
     */
    private static long writeBacklog(PostgresServer database, String realmId, String webhookId, int count,
                                     long seqBase) {
        int customers = Math.max(1, count / 10);
        long now = System.currentTimeMillis();
        // Numbers as the sequence gives them: the clock in microseconds when each message was written.
        String seq = "(" + (now - count) + " + g) * 1000";
        database.query("keycloak", "INSERT INTO ca_outbox (id, event_id, seq, realm_id, webhook_id, customer_id, body,"
                + " status, created_at, next_attempt_at, attempts, claimed_until) SELECT " + timeOrderedId(now - count)
                + ", 'backlog-' || (" + seqBase + " + g), " + seq + ", '" + realmId + "', '" + webhookId + "',"
                + " 'backlog-customer-' || (g % " + customers + "), json_build_object('id', 'backlog-' || ("
                + seqBase + " + g), 'type', 'LOGIN', 'seq', " + seq + ", 'time', to_char(now() AT TIME ZONE"
                + " 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), 'realm', 'drained', 'customer_id',"
                + " 'backlog-customer-' || (g % " + customers + "), 'channel', 'app', 'session_id',"
                + " 'backlog-session-' || g)::text, 'PENDING', " + now + ", " + now + ", 0, 0"
                + " FROM generate_series(1, " + count + ") g; ANALYZE ca_outbox; SELECT pg_stat_statements_reset();"
                + " SELECT pg_stat_reset_single_table_counters('ca_outbox'::regclass);");
        return System.currentTimeMillis();
    }

    /**
     * The id the outbox gives a message (a version 7 UUID: its millisecond, then random bits), for message {@code g}
     * written one millisecond after message {@code g - 1}, as an outage's messages were.
     */
    private static String timeOrderedId(long firstMillis) {
        String millis = "lpad(to_hex(" + firstMillis + " + g), 12, '0')";
        return "substr(" + millis + ", 1, 8) || '-' || substr(" + millis + ", 9, 4) || '-7'"
                + " || substr(gen_random_uuid()::text, 16)";
    }

    private static void loginPaced(ScratchRealm realm, Map<String, String> customers, AtomicBoolean going) {
        List<String> usernames = List.copyOf(customers.keySet());
        int next = 0;
        while (going.get()) {
            long started = System.currentTimeMillis();
            Load.check(realm.passwordGrant(usernames.get(next++ % usernames.size())));
            try {
                Thread.sleep(Math.max(0, LIVE_LOGIN_EVERY_MS - (System.currentTimeMillis() - started)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void report(List<String> report, PostgresServer database, String webhookId, int backlog,
                               long written, CountingReceiver drained, List<WebhookReceiver.Delivery> live) {
        long pending = Long.parseLong(database.query("keycloak", "SELECT count(*) FROM ca_outbox WHERE webhook_id = '"
                + webhookId + "' AND status = 'PENDING'"));
        long span = Math.max(1, drained.lastAt() - drained.firstAt());
        report.add(String.format("%,d pending messages of %,d customers for one receiver:", backlog,
                Math.max(1, backlog / 10)));
        report.add(String.format("  delivered %,d distinct (%d twice, %d out of their customer's order), %,d still"
                + " pending", drained.distinct(), drained.duplicates(), drained.outOfOrder(), pending));
        report.add(String.format("  first to last delivery %.1f s: %.0f messages/s (target >= 500); from the commit"
                + " of the backlog %.0f messages/s", span / 1000.0, (drained.distinct() - 1) * 1000.0 / span,
                drained.distinct() * 1000.0 / Math.max(1, drained.lastAt() - written)));
        List<Long> lags = new ArrayList<>();
        live.forEach(d -> lags.add(d.receivedAt() - Instant.parse((String) d.json().get("time")).toEpochMilli()));
        Collections.sort(lags);
        report.add(String.format("  healthy receiver of another realm meanwhile: %d logins, event to receipt p50 %d"
                + " ms, p99 %d ms, max %d ms (target p99 < 1000 ms)", lags.size(), Load.percentile(lags, 50),
                Load.percentile(lags, 99), lags.isEmpty() ? 0 : lags.get(lags.size() - 1)));
        String[] updates = database.query("keycloak", "SELECT n_tup_upd, n_tup_hot_upd, autovacuum_count,"
                + " (SELECT current_setting('block_size')::int * relpages / 1048576 FROM pg_class WHERE relname ="
                + " 'ca_outbox') FROM pg_stat_user_tables WHERE relname = 'ca_outbox'").strip().split("\\|");
        report.add(String.format("  ca_outbox: %s updates, %s of them HOT (no index entry written), %s autovacuums,"
                + " table %s MiB", updates[0], updates[1], updates[2], updates[3]));
        report.add("  database time of the dispatcher's statements on ca_outbox (pg_stat_statements):");
        String rows = database.query("keycloak", "SELECT calls, round(mean_exec_time::numeric, 3),"
                + " round(max_exec_time::numeric, 3), round(shared_blks_hit::numeric / calls, 1),"
                + " round(shared_blks_read::numeric / calls, 1), regexp_replace(query, '\\s+', ' ', 'g')"
                + " FROM pg_stat_statements"
                + " WHERE query ILIKE '%ca_outbox%' AND query NOT ILIKE '%pg_stat_statements%'"
                + " AND query NOT ILIKE 'INSERT INTO ca_outbox (id, event_id%' ORDER BY total_exec_time DESC LIMIT 8");
        for (String row : rows.split("\n")) {
            String[] columns = row.split("\\|", 6);
            if (columns.length == 6) {
                report.add(String.format("    %8s calls, mean %7s ms, max %8s ms, pages per call %s found in and %s"
                        + " read into the buffers: %s", columns[0], columns[1], columns[2], columns[3], columns[4],
                        columns[5].length() > 150 ? columns[5].substring(0, 150) + "..." : columns[5]));
            }
        }
    }
}
