package io.github.customerauth.bench;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.WebhookReceiver;
import io.github.customerauth.testsupport.Webhooks;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The customer-linking listener's cost on the token endpoint: password-grant logins of 20 customers and
 * refresh-token grants of their 500 sessions ({@code -Dbench.sessions}), round robin, with the listener off, on,
 * and off again (the control pair, which shows the noise), in interleaved rounds on one server whose mode order
 * rotates every round. The listener is switched in one realm between rounds, or, with
 * {@code -Dbench.linking-modes=realms}, each mode has a realm of its own set up alike, the listener on in one.
 * Reports each mode's rate, the ratios on/off and control/off, and the server's CPU per request by kind of thread;
 * with a receiver, also the time from each event to its webhook.
 */
final class LinkingBenchmark {

    private static final int CONCURRENCY = 8;
    private static final List<String> MODES = List.of("off", "on", "off again");
    static final String REALM_OFF = "bench-off";
    static final String REALM_OFF_AGAIN = "bench-off-again";
    private static final boolean BY_REALM = "realms".equals(System.getProperty("bench.linking-modes", "switched"));
    private static final List<String> GRANTS = List.of(System.getProperty("bench.grants", "password,refresh_token")
            .split(","));

    private final KeycloakServer server;
    private final String realm;
    private final String client;
    private final String secret;
    private final List<String> report;

    LinkingBenchmark(KeycloakServer server, String realm, String client, String secret, List<String> report) {
        this.server = server;
        this.realm = realm;
        this.client = client;
        this.secret = secret;
        this.report = report;
    }

    /** Expects the realm's client to carry the identifier mapper already (through a default client scope). */
    void run(double seconds, int rounds, double warmUp, boolean webhooks) {
        Map<String, Map<String, Supplier<HttpResponse<String>>>> requestsByMode = new LinkedHashMap<>();
        if (BY_REALM) {
            // Each mode in a realm of its own, the listener never switched: no realm update between rounds, whose
            // cache invalidation and recompilations fell mostly on the rounds with the listener.
            for (String other : List.of(REALM_OFF, REALM_OFF_AGAIN)) {
                BenchRealm.create(server, other, report);
                BenchRealm.identifierScope(server, other);
            }
            requestsByMode.put("off", requests(REALM_OFF));
            requestsByMode.put("on", requests(realm));
            requestsByMode.put("off again", requests(REALM_OFF_AGAIN));
            listener(true);
        } else {
            Map<String, Supplier<HttpResponse<String>>> requests = requests(realm);
            MODES.forEach(mode -> requestsByMode.put(mode, requests));
        }
        WebhookReceiver receiver = new WebhookReceiver().start();
        if (webhooks) {
            String id = Webhooks.create(admin(), realm, "bench-receiver", receiver.url());
            String types = System.getProperty("bench.webhook-types", "");
            if (!types.isBlank()) {
                // A platform that wants only some messages, e.g. LOGIN,LOGOUT,SESSION_ENDED without REFRESH_TOKEN.
                Map<String, Object> component = admin().getJson("/admin/realms/" + realm + "/components/" + id);
                @SuppressWarnings("unchecked")
                Map<String, Object> config = new LinkedHashMap<>((Map<String, Object>) component.get("config"));
                config.put("eventTypes", List.of(types.split(",")));
                component.put("config", config);
                Load.check(admin().put("/admin/realms/" + realm + "/components/" + id, component));
                report.add("(the receiver wants only " + types + ")");
            }
        }
        try {
            // Every mode in turn, 30 s each, so that the JIT has seen all paths before anything is measured. Only
            // the grants measured: code that runs once per login only with the listener reaches the JIT's last tier
            // after some 5,000 logins, so a warm-up spent on unmeasured refreshes left it compiling in the rounds.
            long slices = Math.max(MODES.size(), Math.round(warmUp / 30));
            for (int slice = 0; slice < slices; slice++) {
                String mode = MODES.get(slice % MODES.size());
                if (!BY_REALM) {
                    listener("on".equals(mode));
                }
                for (String grant : GRANTS) {
                    Load.run("warm-up", CONCURRENCY, warmUp / slices / GRANTS.size(),
                            requestsByMode.get(mode).get(grant));
                }
            }
            Map<String, ModeTotals> totals = new LinkedHashMap<>();
            Map<String, List<Double>> perRound = new LinkedHashMap<>();
            ServerThreads threads = new ServerThreads();
            int deliveredBefore = receiver.accepted().size();
            for (int round = 0; round < rounds; round++) {
                List<String> order = new ArrayList<>(MODES);
                Collections.rotate(order, round);
                for (String mode : order) {
                    if (!BY_REALM) {
                        listener("on".equals(mode));
                    }
                    for (String grant : GRANTS) {
                        ServerThreads.Used before = threads.now(server);
                        Load.Result result = Load.run(grant + ", linking " + mode, CONCURRENCY, seconds,
                                requestsByMode.get(mode).get(grant));
                        if (result.errors() > 0) {
                            throw new IllegalStateException(result + " had errors");
                        }
                        totals.computeIfAbsent(grant + '/' + mode, k -> new ModeTotals()).add(result,
                                threads.since(server, before));
                        perRound.computeIfAbsent(grant + '/' + mode, k -> new ArrayList<>()).add(result.perSecond());
                        System.out.println(Instant.now() + " round " + (round + 1) + "  " + result);
                    }
                }
            }
            // Every message of the measured "on" rounds: the last ones are sent within a dispatch interval or two.
            sleepQuietly(3_000);
            report.add(String.format("Customer-linking listener on the token endpoint, concurrency %d, %d rounds of"
                    + " %.0f s per grant and mode (modes rotate: off, on, off again; %s)%s:", CONCURRENCY, rounds,
                    seconds, BY_REALM ? "each in a realm of its own" : "the listener switched in one realm",
                    webhooks ? "" : ", no webhook receiver configured"));
            for (String grant : GRANTS) {
                reportGrant(grant, totals, perRound);
            }
            if (webhooks) {
                List<Long> lags = new ArrayList<>();
                receiver.accepted().subList(deliveredBefore, receiver.accepted().size()).forEach(d -> lags.add(
                        d.receivedAt() - Instant.parse((String) d.json().get("time")).toEpochMilli()));
                Collections.sort(lags);
                report.add(lags.isEmpty() ? "  no webhooks from the measured rounds (the receiver wants none of these events)"
                        : String.format("  event to webhook receipt over %d webhooks: p50 %d ms, p99 %d ms"
                        + " (target p99 < 1000 ms)", lags.size(), Load.percentile(lags, 50), Load.percentile(lags, 99)));
            }
        } finally {
            listener(false);
            receiver.stop();
        }
    }

    /** Password logins of 20 new customers of the realm, and refreshes of their sessions, round robin. */
    private Map<String, Supplier<HttpResponse<String>>> requests(String realmName) {
        String tokenUrl = server.baseUrl() + "/realms/" + realmName + "/protocol/openid-connect/token";
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            AdminApi.createdId(admin().post("/admin/realms/" + realmName + "/users", Map.of("username", "linked" + i,
                    "enabled", true, "email", "linked" + i + "@bench.example.test", "firstName", "L", "lastName", "B",
                    "attributes", Map.of("accountNumber", List.of("LINK-" + i)),
                    "credentials", List.of(Map.of("type", "password", "value", "bench", "temporary", false)))));
            customers.add("linked" + i);
        }
        AtomicInteger nextLogin = new AtomicInteger();
        Supplier<Map<String, String>> login = () -> Map.of("grant_type", "password", "client_id", client,
                "client_secret", secret, "password", "bench",
                "username", customers.get(Math.floorMod(nextLogin.getAndIncrement(), customers.size())));
        // Many sessions, each refreshed every second or two: a link is not seen over and over within one write.
        int sessions = Integer.getInteger("bench.sessions", 500);
        List<String> refreshTokens = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            String customer = customers.get(i % customers.size());
            Map<String, Object> tokens = Http.json(Load.check(Http.postForm(tokenUrl, Map.of("grant_type", "password",
                    "client_id", client, "client_secret", secret, "password", "bench", "username", customer))).body());
            if (!Http.claims((String) tokens.get("access_token")).containsKey("customer_id")) {
                throw new IllegalStateException("the identifier mapper is not on the benchmark's client");
            }
            refreshTokens.add((String) tokens.get("refresh_token"));
        }
        AtomicInteger nextRefresh = new AtomicInteger();
        Map<String, Supplier<HttpResponse<String>>> requests = new LinkedHashMap<>();
        requests.put("password", () -> Http.postForm(tokenUrl, login.get()));
        requests.put("refresh_token", () -> Http.postForm(tokenUrl, Map.of("grant_type", "refresh_token",
                "client_id", client, "client_secret", secret,
                "refresh_token", refreshTokens.get(Math.floorMod(nextRefresh.getAndIncrement(),
                        refreshTokens.size())))));
        return requests;
    }

    private void reportGrant(String grant, Map<String, ModeTotals> totals, Map<String, List<Double>> perRound) {
        ModeTotals off = totals.get(grant + "/off");
        ModeTotals on = totals.get(grant + "/on");
        ModeTotals control = totals.get(grant + "/off again");
        report.add(String.format("  %s: off %.1f/s, on %.1f/s, off again %.1f/s", grant, off.perSecond(),
                on.perSecond(), control.perSecond()));
        report.add(String.format("    on/off %.3f (target >= 0.95); control, off again/off %.3f",
                on.perSecond() / off.perSecond(), control.perSecond() / off.perSecond()));
        report.add("    per round, on/off: " + RoundRatios.describe(perRound.get(grant + "/on"), perRound.get(grant + "/off")));
        report.add("    per round, off again/off: " + RoundRatios.describe(perRound.get(grant + "/off again"), perRound.get(grant + "/off")));
        report.add(String.format("    server CPU per request without the JIT compiler threads: off %.3f ms, on %.3f ms,"
                        + " off again %.3f ms; off/on %.3f", off.cpuMillisWithoutJit(), on.cpuMillisWithoutJit(),
                control.cpuMillisWithoutJit(), off.cpuMillisWithoutJit() / on.cpuMillisWithoutJit()));
        report.add("    server CPU per request by kind of thread, off / on in ms, largest differences first:");
        Set<String> kinds = new TreeSet<>(on.byKind().keySet());
        kinds.addAll(off.byKind().keySet());
        kinds.stream().sorted(Comparator.comparingDouble((String kind) -> -Math.abs(on.millis(kind) - off.millis(kind))))
                .limit(8).forEach(kind -> report.add(String.format("      %-24s %7.3f %7.3f", kind, off.millis(kind),
                        on.millis(kind))));
    }

    private AdminApi admin() {
        return AdminApi.asBootstrapAdmin(server);
    }

    private void listener(boolean on) {
        AdminApi admin = admin();
        Map<String, Object> representation = admin.getJson("/admin/realms/" + realm);
        representation.put("eventsListeners", on ? List.of("customer-linking") : List.of());
        Load.check(admin.put("/admin/realms/" + realm, representation));
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
