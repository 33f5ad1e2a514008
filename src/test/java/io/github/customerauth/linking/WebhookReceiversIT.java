package io.github.customerauth.linking;

import io.github.customerauth.linking.receiver.WebhookPageProviderFactory;
import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.BadReceiver;
import io.github.customerauth.testsupport.BrowserLogin;
import io.github.customerauth.testsupport.Customers;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.SignatureVerifier;
import io.github.customerauth.testsupport.StandardWebhooksVerifier;
import io.github.customerauth.testsupport.WebhookReceiver;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.customerauth.linking.LinkingIT.PASSWORD;
import static io.github.customerauth.linking.LinkingIT.admin;
import static io.github.customerauth.testsupport.KeycloakSuite.REALM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Receivers that fit a platform: message types and channels per receiver, a test message on demand, a second
 * secret while rotating, and Standard Webhooks signatures checked by the official verifier (the npm package).
 */
@ExtendWith(KeycloakSuite.class)
class WebhookReceiversIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    static KeycloakServer server;

    @BeforeAll
    static void setUp() {
        server = KeycloakSuite.server();
        LinkingIT.server = server;
    }

    @Test
    void aReceiverGetsOnlyTheMessageTypesAndChannelsItChose() {
        try (WebhookReceiver picky = new WebhookReceiver().start(); WebhookReceiver everything = new WebhookReceiver().start()) {
            String pickyId = create("picky", picky.url(), Map.of(
                    "eventTypes", List.of("LOGIN", "LOGOUT", "CUSTOMER_DELETED"), "channels", List.of("web-chat")));
            String everythingId = create("everything", everything.url(), Map.of());
            try {
                LinkingIT.Customer customer = LinkingIT.Customer.create();
                Map<String, Object> web = new BrowserLogin(server.baseUrl(), REALM, "web-chat",
                        "http://localhost:3000/callback").login(customer.username(), PASSWORD);
                new BrowserLogin(server.baseUrl(), REALM, "android-app", "com.example.chat.android:/oauth2redirect")
                        .login(customer.username(), PASSWORD);
                Http.postForm(server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/logout",
                        Map.of("client_id", "web-chat", "refresh_token", (String) web.get("refresh_token")));

                everything.await(of(customer, "LOGOUT"), WAIT);
                everything.await(of(customer, "CODE_TO_TOKEN").and(json -> "android-app".equals(json.get("channel"))), WAIT);
                picky.await(of(customer, "LOGOUT"), WAIT);
                List<String> pickyGot = picky.all().stream().map(WebhookReceiver.Delivery::json)
                        .filter(json -> customer.identifier().equals(json.get("customer_id")))
                        .map(json -> json.get("type") + "@" + json.get("channel")).toList();
                assertThat(pickyGot).containsExactly("LOGIN@web-chat", "LOGOUT@web-chat");

                // Deletions have no channel: the picky receiver hears of its own customers only.
                LinkingIT.Customer androidOnly = LinkingIT.Customer.create();
                new BrowserLogin(server.baseUrl(), REALM, "android-app", "com.example.chat.android:/oauth2redirect")
                        .login(androidOnly.username(), PASSWORD);
                everything.await(of(androidOnly, "CODE_TO_TOKEN"), WAIT);
                admin().delete("/admin/realms/" + REALM + "/users/" + androidOnly.userId());
                admin().delete("/admin/realms/" + REALM + "/users/" + customer.userId());
                everything.await(of(androidOnly, "CUSTOMER_DELETED"), WAIT);
                picky.await(of(customer, "CUSTOMER_DELETED"), WAIT);
                assertThat(picky.all().stream().map(WebhookReceiver.Delivery::json)
                        .filter(json -> androidOnly.identifier().equals(json.get("customer_id")))).isEmpty();
            } finally {
                delete(pickyId);
                delete(everythingId);
            }
        }
    }

    @Test
    void aSaveThatCannotWorkIsRefusedWithAMessageTheAdminCanActOn() {
        assertRefused(Map.of("eventTypes", List.of("LOGIN", "PASSWORD_RESET")), "Unknown message type PASSWORD_RESET");
        assertRefused(Map.of("channels", List.of("no-such-app")), "Channel no-such-app is not a client of this realm");
        assertRefused(Map.of("signatureFormat", List.of("jws")), "Signature format must be one of");
        assertRefused(Map.of("signatureFormat", List.of("standard-webhooks")), "does not start with whsec_");
        assertRefused(Map.of("secret", List.of()), "Signing secret must be a vault reference");
        assertRefused(Map.of("secondSecret", List.of("plain-text-secret")), "Second signing secret must be a vault reference");
        assertRefused(Map.of("secondSecret", List.of("${vault.not-there}")), "is not in the vault");
    }

    @Test
    void aKafkaSinkThatCannotWorkIsRefusedWithAMessageTheAdminCanActOn() {
        assertKafkaSinkRefused(Map.of("aggregateType", List.of("customer events")),
                "Aggregate type customer events cannot be part of a Kafka topic name");
        assertKafkaSinkRefused(Map.of("eventTypes", List.of("PASSWORD_RESET")), "Unknown message type PASSWORD_RESET");
        assertKafkaSinkRefused(Map.of("channels", List.of("no-such-app")), "Channel no-such-app is not a client");
    }

    @Test
    void aKafkaSinkOnADatabaseOtherThanPostgresqlSavesButWritesNothingAndSaysSoOnce() {
        // This suite's Keycloak runs on H2, which no change-data-capture connector reads (KafkaSinkIT: PostgreSQL);
        // a realm export with a sink must still import here, so the save is accepted.
        String realmId = (String) admin().getJson("/admin/realms/" + REALM).get("id");
        String sink = AdminApi.createdId(admin().post("/admin/realms/" + REALM + "/components", Map.of("name", "kafka",
                "providerId", "customer-kafka-sink", "providerType", "org.keycloak.services.ui.extend.UiPageProvider",
                "parentId", realmId, "config", Map.of())));
        try {
            String username = "kafka-on-h2-" + System.nanoTime() % 1_000_000;
            Customers.create(admin(), REALM, username, "68" + String.format("%08d", System.nanoTime() % 100_000_000));
            long mark = KeycloakSuite.server().logMark();
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> login = Http.grant(KeycloakSuite.server().baseUrl() + "/realms/" + REALM
                        + "/protocol/openid-connect/token", Map.of("grant_type", "password", "client_id",
                        "test-console", "username", username, "password", Customers.PASSWORD));
                assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            }
            String log = KeycloakSuite.server().logSince(mark);
            assertThat(log.split("has a Kafka sink, but this Keycloak's database is not PostgreSQL", -1))
                    .as("one warning for two logins").hasSize(2);
            assertThat(KeycloakSuite.server().logSince(mark)).doesNotContain("ca_kafka_outbox", "CA_KAFKA_OUTBOX");
        } finally {
            delete(sink);
        }
    }

    private static void assertKafkaSinkRefused(Map<String, List<String>> config, String message) {
        String realmId = (String) admin().getJson("/admin/realms/" + REALM).get("id");
        HttpResponse<String> response = admin().post("/admin/realms/" + REALM + "/components", Map.of("name", "kafka",
                "providerId", "customer-kafka-sink", "providerType", "org.keycloak.services.ui.extend.UiPageProvider",
                "parentId", realmId, "config", config));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains(message);
    }

    @Test
    void theTestActionSignsASendsATestMessageAtOnceAndShowsTheReceiversAnswer() {
        try (WebhookReceiver receiver = new WebhookReceiver().start()) {
            String id = create("to test", receiver.url(), Map.of("enabled", List.of("false")));
            try {
                receiver.answer(500, "receiver says no");
                Map<String, Object> refused = test(id);
                assertThat(refused).containsEntry("sent", true).containsEntry("accepted", false)
                        .containsEntry("status", 500).containsEntry("answer", "receiver says no").containsKey("millis");
                WebhookReceiver.Delivery delivery = receiver.all().get(0);
                assertThat(delivery.json()).containsOnlyKeys("id", "type", "time", "realm")
                        .containsEntry("type", "TEST").containsEntry("id", refused.get("event_id"));
                assertThat(SignatureVerifier.verify(KeycloakSuite.WEBHOOK_SECRET, delivery.signature(), delivery.body(),
                        System.currentTimeMillis() / 1000, 300)).isTrue();

                receiver.answer(204);
                assertThat(test(id)).containsEntry("accepted", true).containsEntry("status", 204);
                assertThat(admin().post("/admin/realms/" + REALM + "/customer-links/webhooks/no-such-id/test",
                        Map.of()).statusCode()).isEqualTo(404);
            } finally {
                delete(id);
            }
        }
        try (BadReceiver silent = new BadReceiver(BadReceiver.Kind.SILENT).start()) {
            String id = create("silent", silent.url(), Map.of());
            try {
                assertThat(test(id)).containsEntry("sent", true).containsEntry("accepted", false)
                        .containsEntry("problem", "no answer within 5000 ms");
            } finally {
                delete(id);
            }
        }
    }

    /** The console page's switch: saving with it on sends a test message and keeps the answer beside the settings. */
    @Test
    void savingWithTheTestSwitchOnSendsATestMessageAndKeepsTheAnswer() {
        try (WebhookReceiver receiver = new WebhookReceiver().start()) {
            receiver.answer(503, "down for maintenance");
            String id = create("tested when saved", receiver.url(), Map.of("sendTestWhenSaved", List.of("true")));
            try {
                Map<String, List<String>> saved = config(id);
                assertThat(saved.get("sendTestWhenSaved")).containsExactly("false");
                assertThat(saved.get("lastTest")).singleElement().asString()
                        .contains("not accepted, status 503, answer: down for maintenance")
                        .contains(receiver.all().get(0).eventId());
                assertThat(receiver.all()).singleElement().extracting(d -> d.json().get("type")).isEqualTo("TEST");

                receiver.answer(204);
                update(id, Map.of("description", List.of("renamed"), "sendTestWhenSaved", List.of("true")));
                assertThat(config(id).get("lastTest")).singleElement().asString().contains("accepted, status 204")
                        .doesNotContain("not accepted");
                update(id, Map.of("description", List.of("renamed again")));
                assertThat(receiver.all()).as("a save without the switch sends nothing").hasSize(2);
            } finally {
                delete(id);
            }
        }
        assertThat(new WebhookPageProviderFactory().getConfigProperties())
                .filteredOn(property -> property.getName().equals("lastTest")).singleElement()
                .matches(property -> property.isReadOnly(), "read-only");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> config(String id) {
        return (Map<String, List<String>>) admin().getJson("/admin/realms/" + REALM + "/components/" + id).get("config");
    }

    @Test
    void whileASecretIsRotatedEachMessageCarriesASignaturePerSecret() {
        try (WebhookReceiver receiver = new WebhookReceiver().start()) {
            String id = create("rotating", receiver.url(), Map.of("secondSecret", List.of("${vault.webhook-secret-next}")));
            try {
                LinkingIT.Customer customer = LinkingIT.Customer.create();
                new BrowserLogin(server.baseUrl(), REALM, "web-chat", "http://localhost:3000/callback")
                        .login(customer.username(), PASSWORD);
                WebhookReceiver.Delivery login = receiver.await(of(customer, "LOGIN"), WAIT);
                long now = System.currentTimeMillis() / 1000;
                assertThat(login.signature()).matches("t=\\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}");
                assertThat(SignatureVerifier.verify(KeycloakSuite.WEBHOOK_SECRET, login.signature(), login.body(), now, 300)).isTrue();
                assertThat(SignatureVerifier.verify(KeycloakSuite.WEBHOOK_SECRET_NEXT, login.signature(), login.body(), now, 300)).isTrue();
                assertThat(SignatureVerifier.verify("another-secret", login.signature(), login.body(), now, 300)).isFalse();
            } finally {
                delete(id);
            }
        }
    }

    @Test
    void standardWebhooksDeliveriesPassTheOfficialVerifierAcrossARotation() {
        StandardWebhooksVerifier verifier = StandardWebhooksVerifier.install();
        try (WebhookReceiver receiver = new WebhookReceiver().start()) {
            String id = create("standard", receiver.url(), Map.of("signatureFormat", List.of("standard-webhooks"),
                    "secret", List.of("${vault.whsec-current}")));
            try {
                WebhookReceiver.Delivery before = loginDelivery(receiver);
                assertThat(before.headers()).containsKeys("webhook-id", "webhook-timestamp", "webhook-signature");
                assertThat(before.headers().get("webhook-id")).isEqualTo(before.json().get("id"));
                assertThat(verifier.verifies(KeycloakSuite.STANDARD_SECRET, before)).isTrue();
                assertThat(verifier.verifies(KeycloakSuite.STANDARD_SECRET_NEXT, before)).isFalse();

                update(id, Map.of("secret", List.of("${vault.whsec-next}"), "secondSecret", List.of("${vault.whsec-current}")));
                WebhookReceiver.Delivery during = loginDelivery(receiver);
                assertThat(during.headers().get("webhook-signature")).matches("v1,\\S+ v1,\\S+");
                assertThat(verifier.verifies(KeycloakSuite.STANDARD_SECRET_NEXT, during)).isTrue();
                assertThat(verifier.verifies(KeycloakSuite.STANDARD_SECRET, during)).isTrue();

                update(id, Map.of("secret", List.of("${vault.whsec-next}"), "secondSecret", List.of("")));
                WebhookReceiver.Delivery after = loginDelivery(receiver);
                assertThat(verifier.verifies(KeycloakSuite.STANDARD_SECRET_NEXT, after)).isTrue();
                assertThat(verifier.verifies(KeycloakSuite.STANDARD_SECRET, after)).isFalse();
            } finally {
                delete(id);
            }
        }
    }

    /**
     * {@code echo secret > file} and {@code openssl rand ... > file} end the vault file with a line break: the
     * receiver signs with the secret as typed, in both formats; a secret with a space around it is refused at save.
     */
    @Test
    void aSecretWrittenWithALineBreakSignsWithTheSecretAsTyped() throws IOException {
        Files.writeString(server.vaultDir().resolve(REALM + "_echoed-secret"), KeycloakSuite.WEBHOOK_SECRET + "\n");
        Files.writeString(server.vaultDir().resolve(REALM + "_echoed-whsec"), KeycloakSuite.STANDARD_SECRET + "\r\n");
        Files.writeString(server.vaultDir().resolve(REALM + "_spaced-secret"), " " + KeycloakSuite.WEBHOOK_SECRET);
        assertRefused(Map.of("secret", List.of("${vault.spaced-secret}")), "starts or ends with a space");
        StandardWebhooksVerifier verifier = StandardWebhooksVerifier.install();
        try (WebhookReceiver receiver = new WebhookReceiver().start();
             WebhookReceiver standard = new WebhookReceiver().start()) {
            String id = create("echoed", receiver.url(), Map.of("secret", List.of("${vault.echoed-secret}")));
            String standardId = create("echoed standard", standard.url(), Map.of(
                    "signatureFormat", List.of("standard-webhooks"), "secret", List.of("${vault.echoed-whsec}")));
            try {
                LinkingIT.Customer customer = LinkingIT.Customer.create();
                new BrowserLogin(server.baseUrl(), REALM, "web-chat", "http://localhost:3000/callback")
                        .login(customer.username(), PASSWORD);
                WebhookReceiver.Delivery login = receiver.await(of(customer, "LOGIN"), WAIT);
                assertThat(SignatureVerifier.verify(KeycloakSuite.WEBHOOK_SECRET, login.signature(), login.body(),
                        System.currentTimeMillis() / 1000, 300)).isTrue();
                assertThat(verifier.verifies(KeycloakSuite.STANDARD_SECRET, standard.await(of(customer, "LOGIN"), WAIT)))
                        .isTrue();
            } finally {
                delete(id);
                delete(standardId);
            }
        }
    }

    private static WebhookReceiver.Delivery loginDelivery(WebhookReceiver receiver) {
        LinkingIT.Customer customer = LinkingIT.Customer.create();
        new BrowserLogin(server.baseUrl(), REALM, "web-chat", "http://localhost:3000/callback")
                .login(customer.username(), PASSWORD);
        return receiver.await(of(customer, "LOGIN"), WAIT);
    }

    private static Predicate<Map<String, Object>> of(LinkingIT.Customer customer, String type) {
        return json -> customer.identifier().equals(json.get("customer_id")) && type.equals(json.get("type"));
    }

    private static Map<String, Object> test(String id) {
        HttpResponse<String> response = admin().post("/admin/realms/" + REALM + "/customer-links/webhooks/" + id
                + "/test", Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response.body());
    }

    private static Map<String, Object> component(String name, String url, Map<String, List<String>> extra) {
        String realmId = (String) admin().getJson("/admin/realms/" + REALM).get("id");
        Map<String, List<String>> config = new HashMap<>(Map.of("url", List.of(url),
                "secret", List.of("${vault.webhook-secret}"), "enabled", List.of("true")));
        config.putAll(extra);
        return new HashMap<>(Map.of("name", name, "providerId", WebhookPageProviderFactory.PROVIDER_ID,
                "providerType", "org.keycloak.services.ui.extend.UiPageProvider", "parentId", realmId,
                "config", config));
    }

    private static String create(String name, String url, Map<String, List<String>> extra) {
        return AdminApi.createdId(admin().post("/admin/realms/" + REALM + "/components", component(name, url, extra)));
    }

    private static void update(String id, Map<String, List<String>> changes) {
        Map<String, Object> current = admin().getJson("/admin/realms/" + REALM + "/components/" + id);
        @SuppressWarnings("unchecked")
        Map<String, List<String>> config = new HashMap<>((Map<String, List<String>>) current.get("config"));
        config.putAll(changes);
        current.put("config", config);
        HttpResponse<String> response = admin().put("/admin/realms/" + REALM + "/components/" + id, current);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    private static void assertRefused(Map<String, List<String>> extra, String message) {
        HttpResponse<String> response = admin().post("/admin/realms/" + REALM + "/components",
                component("refused", "http://127.0.0.1:9/hook", extra));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains(message);
    }

    private static void delete(String id) {
        admin().delete("/admin/realms/" + REALM + "/components/" + id);
    }
}
