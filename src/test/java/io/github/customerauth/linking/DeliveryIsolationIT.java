package io.github.customerauth.linking;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.BadReceiver;
import io.github.customerauth.testsupport.Customers;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.Pause;
import io.github.customerauth.testsupport.WebhookReceiver;
import io.github.customerauth.testsupport.Webhooks;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A receiver that never answers, one that drips its answer and one that answers 500, in realm {@code customers},
 * beside healthy receivers in {@code customers} and {@code customers-eu}: the healthy ones get every message in
 * time, and the bad ones do not get called for every message.
 */
@ExtendWith(KeycloakSuite.class)
class DeliveryIsolationIT {

    static final String PASSWORD = "Test-only-1!";
    static final int LOGINS_PER_REALM = 20;
    static final long P99_LIMIT_MS = 1_000;

    @Test
    void badReceiversDelayNoOtherReceiver() throws Exception {
        KeycloakServer server = KeycloakSuite.server();
        Files.writeString(server.vaultDir().resolve("customers-eu_webhook-secret"), KeycloakSuite.WEBHOOK_SECRET);
        List<String> webhooks = new ArrayList<>();
        try (BadReceiver silent = new BadReceiver(BadReceiver.Kind.SILENT).start();
             BadReceiver dripping = new BadReceiver(BadReceiver.Kind.DRIPPING).start();
             WebhookReceiver failing = new WebhookReceiver().start();
             WebhookReceiver healthy = new WebhookReceiver().start();
             WebhookReceiver healthyEu = new WebhookReceiver().start()) {
            failing.answer(500);
            webhooks.add(webhook("customers", "silent", silent.url()));
            webhooks.add(webhook("customers", "dripping", dripping.url()));
            webhooks.add(webhook("customers", "failing", failing.url()));
            webhooks.add(webhook("customers", "healthy", healthy.url()));
            webhooks.add(webhook("customers-eu", "healthy-eu", healthyEu.url()));
            List<String> customers = customers("customers", "iso-c-", "8811");
            List<String> customersEu = customers("customers-eu", "iso-e-", "8822");

            for (int i = 0; i < LOGINS_PER_REALM; i++) {
                login(server, "customers", customers.get(i));
                login(server, "customers-eu", customersEu.get(i));
                Pause.millis(250);
            }

            List<Long> lags = new ArrayList<>();
            lags.addAll(lagsOfLogins(healthy, LOGINS_PER_REALM));
            lags.addAll(lagsOfLogins(healthyEu, LOGINS_PER_REALM));
            lags.sort(Long::compare);
            long p50 = lags.get(lags.size() / 2);
            long p99 = lags.get((int) Math.ceil(lags.size() * 0.99) - 1);
            System.out.printf("DeliveryIsolationIT: %d deliveries to healthy receivers beside a silent, a dripping and "
                    + "a failing one: lag p50 %d ms, p99 %d ms, max %d ms; bad receivers were connected to %d and %d "
                    + "times, the failing one called %d times%n", lags.size(), p50, p99, lags.get(lags.size() - 1),
                    silent.accepted(), dripping.accepted(), failing.all().size());

            assertThat(p99).as("p99 lag at the healthy receivers, ms").isLessThan(P99_LIMIT_MS);
            assertThat(failing.all().size()).as("the failing receiver is not called for every message: its breaker "
                    + "opens").isLessThan(LOGINS_PER_REALM);
        } finally {
            AdminApi admin = AdminApi.asBootstrapAdmin(server);
            for (String webhook : webhooks) {
                admin.delete("/admin/realms/" + webhook);
            }
        }
    }

    /** Each LOGIN's time from event to acceptance, waiting for all of them. */
    private static List<Long> lagsOfLogins(WebhookReceiver receiver, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, WebhookReceiver.Delivery> logins = new HashMap<>();
            for (WebhookReceiver.Delivery delivery : receiver.accepted()) {
                Map<String, Object> json = delivery.json();
                if ("LOGIN".equals(json.get("type")) && String.valueOf(json.get("customer_id")).startsWith("v1.")) {
                    logins.putIfAbsent(delivery.eventId(), delivery);
                }
            }
            if (logins.size() >= expected) {
                return logins.values().stream().map(delivery -> delivery.receivedAt()
                        - Instant.parse((String) delivery.json().get("time")).toEpochMilli()).toList();
            }
            Pause.millis(200);
        }
        throw new AssertionError("not every login was delivered within 60 s: " + receiver.accepted().size());
    }

    private static List<String> customers(String realm, String prefix, String numberPrefix) {
        AdminApi admin = AdminApi.asBootstrapAdmin(KeycloakSuite.server());
        List<String> usernames = new ArrayList<>();
        String run = String.valueOf(System.nanoTime() % 10_000);
        for (int i = 0; i < LOGINS_PER_REALM; i++) {
            String username = prefix + run + "-" + i;
            Customers.create(admin, realm, username, numberPrefix + run + String.format("%03d", i));
            usernames.add(username);
        }
        return usernames;
    }

    private static void login(KeycloakServer server, String realm, String username) {
        assertThat(Http.grant(server.baseUrl() + "/realms/" + realm + "/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "test-console", "username", username, "password", PASSWORD))
                .statusCode()).isEqualTo(200);
    }

    /** Creates a receiver; returns its path under /admin/realms/ for the clean-up. */
    private static String webhook(String realm, String name, String url) {
        AdminApi admin = AdminApi.asBootstrapAdmin(KeycloakSuite.server());
        return realm + "/components/" + Webhooks.create(admin, realm, name, url);
    }
}
