package io.github.customerauth.bench;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.PostgresServer;
import io.github.customerauth.testsupport.ScratchRealm;
import io.github.customerauth.testsupport.WebhookReceiver;
import io.github.customerauth.testsupport.Webhooks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Session ends at size, on PostgreSQL with persistent user sessions (Keycloak's default): for each of
 * {@code bench.open-sessions} (10,000 and 100,000) open sessions with a link each, the cost of the sweep's passes
 * (from its debug line), how long an admin's revocation takes to reach a webhook receiver, and how long after the
 * end of a session's idle timeout the receiver hears that it ended. The open sessions are written straight into
 * Keycloak's session table and the link table (logging in 100,000 times would take hours here); the revoked and
 * expiring sessions are real logins. Run with {@code mvn -Pbench verify -Dbench.db=postgres
 * -Dbench.main=io.github.customerauth.bench.SessionSweepBenchmark}.
 */
public final class SessionSweepBenchmark {

    private static final Pattern PASS = Pattern.compile(
            "Session sweep: (\\d+) candidate sessions found and checked in ([0-9.]+) ms, (\\d+) ended");
    private static final int IDLE_SECONDS = 20;
    private static final int PASSES = 4;
    private static final long SWEEP_INTERVAL_MS = 30_000;

    private SessionSweepBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (!"postgres".equals(System.getProperty("bench.db"))) {
            throw new IllegalStateException("run with -Dbench.db=postgres: the sweep at size is measured there");
        }
        List<String> report = new ArrayList<>();
        try (BenchServer bench = new BenchServer(); WebhookReceiver receiver = new WebhookReceiver().start()) {
            KeycloakServer server = bench.start(List.of(
                    "--spi-events-listener--customer-linking--sweep-interval-ms=" + SWEEP_INTERVAL_MS,
                    "--log-level=INFO,io.github.customerauth.linking.upkeep.SessionSweep:debug"));
            report.add("(" + bench.describe() + "; sweep every " + SWEEP_INTERVAL_MS / 1000 + " s, as shipped)");
            AdminApi admin = AdminApi.asBootstrapAdmin(server);
            ScratchRealm big = ScratchRealm.withLinking(server, admin, "sweep-big", Map.of("revoked", "55500001"),
                    Map.of("eventsEnabled", true));
            ScratchRealm idle = ScratchRealm.withLinking(server, admin, "sweep-idle", Map.of("idler", "55500002"),
                    Map.of("eventsEnabled", true, "ssoSessionIdleTimeout", IDLE_SECONDS));
            Webhooks.create(admin, big.name(), "platform", receiver.url());
            Webhooks.create(admin, idle.name(), "platform", receiver.url());
            String realmId = (String) admin.getJson("/admin/realms/" + big.name()).get("id");
            List<String> owners = syntheticOwners(admin, big.name());
            int inserted = 0;
            for (String size : System.getProperty("bench.open-sessions", "10000,100000").split(",")) {
                int target = Integer.parseInt(size.strip());
                insertOpenSessions(bench.database(), realmId, owners, inserted, target - inserted);
                inserted = target;
                // A fresh admin token: inserting 90,000 sessions outlasts one.
                measure(server, AdminApi.asBootstrapAdmin(server), big, idle, receiver, target, report);
            }
        } finally {
            BenchServer.printAndKeep("sweep-results.txt", report);
        }
    }

    /**
     * A hundred customers (without passwords, so the import is quick) who own the inserted sessions, a thousand
     * each at 100,000: the customers whose sessions the benchmark revokes or lets expire own only their own.
     */
    private static List<String> syntheticOwners(AdminApi admin, String realm) {
        List<Map<String, Object>> users = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            users.add(Map.of("username", "synthetic-" + i, "enabled", true,
                    "attributes", Map.of("accountNumber", List.of(String.valueOf(55_600_000 + i)))));
        }
        if (admin.post("/admin/realms/" + realm + "/partialImport", Map.of("ifResourceExists", "FAIL", "users", users))
                .statusCode() != 200) {
            throw new IllegalStateException("synthetic customers not imported");
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add(admin.userId(realm, "synthetic-" + i));
        }
        return ids;
    }

    /** Sessions with a fresh last refresh in Keycloak's table, each with an open link, as logins would leave them. */
    private static void insertOpenSessions(PostgresServer database, String realmId, List<String> owners, int from,
                                           int count) {
        long nowMillis = System.currentTimeMillis();
        long nowSeconds = nowMillis / 1000;
        String owner = "(ARRAY['" + String.join("','", owners) + "'])[1 + i % " + owners.size() + "]";
        // Last seen and refreshed over the past ten minutes (well within the realm's 30-minute idle timeout), as
        // sessions in use are: not all at one instant.
        database.query("keycloak", "INSERT INTO offline_user_session (user_session_id, user_id, realm_id, created_on,"
                + " offline_flag, data, last_session_refresh, version, remember_me) SELECT 'bench-session-' || i, "
                + owner + ", '" + realmId + "', " + nowSeconds + " - i % 600, '0', '{}', " + nowSeconds + " - i % 600,"
                + " 0, false FROM generate_series(" + from + ", " + (from + count - 1) + ") i;"
                + " INSERT INTO ca_link (id, realm_id, customer_id, user_id, client_id, session_id, first_seen,"
                + " last_seen, event_count) SELECT 'bench-link-' || i, '" + realmId + "', 'bench-customer-' || i, "
                + owner + ", '" + ScratchRealm.CLIENT + "', 'bench-session-' || i, " + nowMillis + " - (i % 600) * 1000,"
                + " " + nowMillis + " - (i % 600) * 1000, 1 FROM generate_series(" + from + ", " + (from + count - 1)
                + ") i; ANALYZE;");
    }

    private static void measure(KeycloakServer server, AdminApi admin, ScratchRealm big, ScratchRealm idle,
                                WebhookReceiver receiver, int open, List<String> report) throws Exception {
        // Sessions that will go idle now, ended only by the sweep: logged in first, heard of last.
        List<Long> idleSince = new ArrayList<>();
        List<String> idleSessions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            idleSessions.add((String) idle.accessTokenClaims("idler").get("sid"));
            idleSince.add(System.currentTimeMillis());
        }
        long mark = server.logMark();
        List<Long> revocations = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String sessionId = (String) big.accessTokenClaims("revoked").get("sid");
            receiver.await(json -> "LOGIN".equals(json.get("type")) && sessionId.equals(json.get("session_id")),
                    Duration.ofMinutes(1));
            long revokedAt = System.currentTimeMillis();
            java.net.http.HttpResponse<String> revoked = admin.delete("/admin/realms/" + big.name() + "/sessions/"
                    + sessionId);
            if (revoked.statusCode() != 204) {
                throw new IllegalStateException("revocation refused: " + revoked.statusCode() + " " + revoked.body());
            }
            WebhookReceiver.Delivery ended = receiver.await(json -> "SESSION_ENDED".equals(json.get("type"))
                    && sessionId.equals(json.get("session_id")), Duration.ofMinutes(10));
            revocations.add(ended.receivedAt() - revokedAt);
        }
        List<Long> expiries = new ArrayList<>();
        for (int i = 0; i < idleSessions.size(); i++) {
            String sessionId = idleSessions.get(i);
            WebhookReceiver.Delivery ended = receiver.await(json -> "SESSION_ENDED".equals(json.get("type"))
                    && sessionId.equals(json.get("session_id")), Duration.ofMinutes(10));
            expiries.add(ended.receivedAt() - idleSince.get(i) - IDLE_SECONDS * 1000L);
        }
        long deadline = System.currentTimeMillis() + PASSES * SWEEP_INTERVAL_MS + 10_000;
        List<double[]> passes = passes(server.logSince(mark));
        while (passes.size() < PASSES && System.currentTimeMillis() < deadline) {
            Thread.sleep(1_000);
            passes = passes(server.logSince(mark));
        }
        report.add(String.format("%,d open sessions with a link each:", open));
        report.add("  admin revocation to the receiver (ms): " + revocations);
        report.add("  end of the idle timeout (" + IDLE_SECONDS + " s) to the receiver (ms): " + expiries);
        List<String> shown = passes.stream().map(pass -> String.format("%.1f ms (%d candidates, %d ended)",
                pass[1], (long) pass[0], (long) pass[2])).toList();
        report.add("  sweep passes: " + shown);
    }

    /** Each pass's candidates, milliseconds and sessions ended, from the sweep's debug lines. */
    private static List<double[]> passes(String log) {
        List<double[]> passes = new ArrayList<>();
        Matcher matcher = PASS.matcher(log);
        while (matcher.find()) {
            passes.add(new double[] {Double.parseDouble(matcher.group(1)), Double.parseDouble(matcher.group(2)),
                    Double.parseDouble(matcher.group(3))});
        }
        return passes;
    }
}
