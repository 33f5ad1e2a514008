package io.github.customerauth.identifier;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.BrowserLogin;
import io.github.customerauth.testsupport.Customers;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.customerauth.testsupport.KeycloakSuite.REALM;
import static org.assertj.core.api.Assertions.assertThat;

/** One account number, one customer: what a careless import or two admins saving at once cannot break. */
@ExtendWith(KeycloakSuite.class)
class OwnershipIT {

    static final String PASSWORD = "Test-only-1!";
    static final IdentifierDerivation VECTOR = CustomerIdentifierIT.VECTOR;
    static final String DUPLICATE_WARNING = "Two users of realm customers have the same account number";

    static KeycloakServer server;

    @BeforeAll
    static void setUp() {
        server = KeycloakSuite.server();
    }

    @Test
    void aSecondHolderImportedPastTheProfileLogsInWithoutTheIdentifierAndIsNotLinkedAsTheFirst() throws Exception {
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        createCustomer(admin, "own-first", "44440001");
        partialImport(admin, "own-second", " 4444 0001 ");
        BrowserLogin webChat = new BrowserLogin(server.baseUrl(), REALM, "web-chat", "http://localhost:3000/callback");
        long logStart = server.logMark();

        Map<String, Object> first = webChat.login("own-first", PASSWORD);
        Map<String, Object> second = webChat.login("own-second", PASSWORD);
        Map<String, Object> secondAgain = webChat.login("own-second", PASSWORD);

        String identifier = VECTOR.derive("44440001");
        assertThat(Http.claims((String) first.get("access_token"))).containsEntry("customer_id", identifier);
        for (Map<String, Object> tokens : List.of(second, secondAgain)) {
            assertThat(Http.claims((String) tokens.get("access_token"))).doesNotContainKey("customer_id");
            assertThat(Http.claims((String) tokens.get("id_token"))).doesNotContainKey("customer_id");
        }
        assertThat(server.logSince(logStart).split(DUPLICATE_WARNING, -1)).as("one WARN").hasSize(2);
        Map<String, Object> links = AdminApi.asBootstrapAdmin(server).getJson(
                "/admin/realms/" + REALM + "/customer-links/" + identifier);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sessions = (List<Map<String, Object>>) links.get("links");
        assertThat(sessions).extracting(link -> link.get("session_id"))
                .containsOnly(Http.claims((String) first.get("access_token")).get("sid"));

        AdminApi again = AdminApi.asBootstrapAdmin(server);
        Map<String, Object> reindexed = Http.json(again.post("/admin/realms/" + REALM + "/customer-identifiers/reindex",
                null).body());
        assertThat(((Number) reindexed.get("duplicates")).intValue()).isGreaterThanOrEqualTo(1);
        assertThat(again.getJson("/admin/realms/" + REALM + "/customer-identifiers/" + identifier))
                .as("reindex leaves the identifier with its first holder").containsEntry("username", "own-first");
        assertThat(Http.claims((String) webChat.login("own-second", PASSWORD).get("access_token")))
                .doesNotContainKey("customer_id");
    }

    @Test
    void theValidatorFindsAnotherSpellingHeldByACustomerNotIndexedYet() {
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        partialImport(admin, "own-imported", " 0099 8877 ");

        HttpResponse<String> taken = admin.post("/admin/realms/" + REALM + "/users", customer("own-newcomer", "00998877"));

        assertThat(taken.statusCode()).isEqualTo(400);
        assertThat(taken.body()).contains(UniqueAccountNumberValidator.MESSAGE);
    }

    @Test
    void ofTenConcurrentSavesOfOneAccountNumberExactlyOneSucceeds() throws Exception {
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        List<String> spellings = List.of("33330001", "3333 0001", "3333-0001", "3333.0001", " 33330001 ",
                "33 33 00 01", "3333-00-01", "3333 0001 ", "33-33-00-01", "3.3.3.3.0.0.0.1");
        ExecutorService pool = Executors.newFixedThreadPool(spellings.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<HttpResponse<String>>> saves = new ArrayList<>();
            for (int i = 0; i < spellings.size(); i++) {
                Map<String, Object> user = customer("own-race-" + i, spellings.get(i));
                saves.add(pool.submit(() -> {
                    start.await();
                    return admin.post("/admin/realms/" + REALM + "/users", user);
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> save : saves) {
                statuses.add(save.get().statusCode());
            }

            assertThat(statuses).as("statuses " + statuses).filteredOn(status -> status == 201).hasSize(1);
            assertThat(statuses).as("statuses " + statuses).allMatch(status -> status == 201 || status == 400
                    || status == 409);
            assertThat(AdminApi.asBootstrapAdmin(server).getJsonList("/admin/realms/" + REALM
                    + "/users?search=own-race-&max=50")).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void partialImport(AdminApi admin, String username, String accountNumber) {
        HttpResponse<String> imported = admin.post("/admin/realms/" + REALM + "/partialImport", Map.of(
                "ifResourceExists", "FAIL", "users", List.of(Customers.representation(username, accountNumber))));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
    }

    private static String createCustomer(AdminApi admin, String username, String accountNumber) {
        return AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/users", customer(username, accountNumber)));
    }

    private static Map<String, Object> customer(String username, String accountNumber) {
        return Customers.representation(username, accountNumber);
    }
}
