package io.github.customerauth.privacy;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.Pause;
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

/**
 * An attacker guessing one customer's password in parallel: Keycloak's default brute-force detector checks no more
 * guesses than the lockout allows (the sample realm locks after 5 failures); the others are refused unchecked. If
 * the lockout is reached, the right password is refused afterwards too.
 */
@ExtendWith(KeycloakSuite.class)
class BruteForceIT {

    static final String PASSWORD = "Test-only-1!";
    static final int GUESSES = 40;
    static final int FAILURE_FACTOR = 5;

    static KeycloakServer server;

    @BeforeAll
    static void setUp() {
        server = KeycloakSuite.server();
    }

    @Test
    void parallelWrongGuessesDoNotGetPastTheLockout() throws Exception {
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        String username = "bf-victim-" + System.nanoTime() % 100_000;
        String userId = AdminApi.createdId(admin.post("/admin/realms/" + REALM + "/users", Map.of("username", username,
                "enabled", true, "email", username + "@customers.example.test", "firstName", "B", "lastName", "F",
                "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)))));

        ExecutorService pool = Executors.newFixedThreadPool(GUESSES);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> guesses = new ArrayList<>();
        try {
            for (int i = 0; i < GUESSES; i++) {
                String guess = "wrong-" + i;
                guesses.add(pool.submit(() -> {
                    start.await();
                    return grant(username, guess).statusCode();
                }));
            }
            start.countDown();
            for (Future<Integer> guess : guesses) {
                assertThat(guess.get()).isIn(400, 401);
            }
        } finally {
            pool.shutdownNow();
        }
        Pause.millis(2_000);
        HttpResponse<String> right = grant(username, PASSWORD);

        List<Map<String, Object>> errors = AdminApi.asBootstrapAdmin(server).getJsonList("/admin/realms/" + REALM
                + "/events?type=LOGIN_ERROR&user=" + userId + "&max=200");
        long checked = errors.stream().filter(event -> "invalid_user_credentials".equals(event.get("error"))).count();
        long refusedUnchecked = errors.size() - checked;
        System.out.printf("BruteForceIT: %d parallel wrong guesses, %d checked against the password, %d refused "
                + "unchecked; the right password afterwards: HTTP %d%n", GUESSES, checked, refusedUnchecked,
                right.statusCode());

        assertThat(checked).as("guesses checked against the password").isLessThanOrEqualTo(FAILURE_FACTOR);
        if (checked >= FAILURE_FACTOR) {
            assertThat(right.statusCode()).as("right password once the lockout is reached").isNotEqualTo(200);
        }
    }

    private static HttpResponse<String> grant(String username, String password) {
        return Http.postForm(server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "test-console", "username", username, "password", password));
    }
}
