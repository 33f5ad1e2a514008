package io.github.customerauth.bench;

import io.github.customerauth.identifier.IdentifierDerivation;
import io.github.customerauth.identifier.IdentifierKey;
import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.KeycloakServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The admin identifier lookup among many customers beside Keycloak's own user search by the account-number
 * attribute (what an admin would do without the extension), and the reindex time.
 */
final class LookupBenchmark {

    private static final int CONCURRENCY = 8;

    private final KeycloakServer server;
    private final List<String> report;

    LookupBenchmark(KeycloakServer server, List<String> report) {
        this.server = server;
        this.report = report;
    }

    void run(int users) {
        Random random = new Random(42);
        List<String> accountNumbers = new ArrayList<>();
        AdminApi admin = BenchRealm.admin(server);
        long importStart = System.nanoTime();
        for (int batch = 0; batch < users; batch += 1000) {
            List<Map<String, Object>> page = new ArrayList<>();
            for (int i = batch; i < Math.min(users, batch + 1000); i++) {
                String accountNumber = String.format("%010d", 1_000_000_000L + i);
                accountNumbers.add(accountNumber);
                page.add(Map.of("username", "customer" + i, "enabled", true,
                        "attributes", Map.of("accountNumber", List.of(accountNumber))));
            }
            if (batch % 5000 == 0) {
                admin = BenchRealm.admin(server);
            }
            Load.check(admin.post("/admin/realms/" + BenchRealm.REALM + "/partialImport", Map.of("ifResource", "SKIP", "users", page)));
        }
        double importSeconds = (System.nanoTime() - importStart) / 1e9;
        long reindexStart = System.nanoTime();
        HttpResponse<String> reindex = Load.check(BenchRealm.admin(server).post("/admin/realms/" + BenchRealm.REALM + "/customer-identifiers/reindex", null));
        double reindexSeconds = (System.nanoTime() - reindexStart) / 1e9;

        var derivation = new IdentifierDerivation(
                IdentifierKey.of("1", BenchRealm.KEY));
        List<String> identifiers = accountNumbers.stream().map(derivation::derive).toList();
        AdminApi reader = BenchRealm.admin(server);
        Load.Result ours = Load.run("identifier lookup", CONCURRENCY, 10,
                () -> Load.check(reader.get("/admin/realms/" + BenchRealm.REALM + "/customer-identifiers/"
                        + identifiers.get(random.nextInt(identifiers.size())))));
        AdminApi searcher = BenchRealm.admin(server);
        Load.Result stock = Load.run("stock user search by attribute", CONCURRENCY, 10,
                () -> Load.check(searcher.get("/admin/realms/" + BenchRealm.REALM + "/users?exact=true&q=accountNumber:"
                        + accountNumbers.get(random.nextInt(accountNumbers.size())))));
        report.add(String.format("Identifier lookup with %d customers (import %.0f s, reindex %.1f s: %s):", users,
                importSeconds, reindexSeconds, reindex.body()));
        report.add("  " + ours);
        report.add("  " + stock);
        report.add(String.format("  lookup p50 / stock search p50       %8.3f", (double) ours.p50Micros() / stock.p50Micros()));
    }
}
