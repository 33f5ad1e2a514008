package io.github.customerauth.linking;

import io.github.customerauth.linking.LinkingIT.Customer;
import io.github.customerauth.simulator.LoginFlow;
import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.H2Shell;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.Pause;
import io.github.customerauth.testsupport.WebhookReceiver;
import io.github.customerauth.testsupport.Webhooks;
import java.net.CookieHandler;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.customerauth.testsupport.KeycloakSuite.REALM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the platform believes after each message, at the edges where that belief could be false: a handle from a
 * login link the app never redeemed, a session ended through another channel, edits that do or do not change the
 * identifier, the erasure of a customer whose links are gone, and a login or logout whose message the database
 * refused.
 */
@ExtendWith(KeycloakSuite.class)
class LinkingEdgesIT {

    private static final String PASSWORD = LinkingIT.PASSWORD;
    private static final Duration WAIT = LinkingIT.WAIT;
    private static final String WEB_CHAT_CALLBACK = "http://localhost:3000/callback";
    private static final String IOS_CALLBACK = "com.example.chat.ios:/oauth2redirect";

    static KeycloakServer server;
    static WebhookReceiver everything;
    static WebhookReceiver webChatOnly;
    static List<String> webhookIds;

    @BeforeAll
    static void setUp() {
        server = KeycloakSuite.server();
        LinkingIT.server = server;
        everything = new WebhookReceiver().start();
        webChatOnly = new WebhookReceiver().start();
        AdminApi admin = admin();
        webhookIds = List.of(
                Webhooks.create(admin, REALM, "edges-everything", everything.url(), Webhooks.EVERY_TYPE),
                Webhooks.create(admin, REALM, "edges-web-chat", webChatOnly.url(), Webhooks.EVERY_TYPE,
                        List.of("web-chat")));
    }

    @AfterAll
    static void tearDown() {
        webhookIds.forEach(id -> admin().delete("/admin/realms/" + REALM + "/components/" + id));
        everything.stop();
        webChatOnly.stop();
    }

    @Test
    void aHandleFromALoginLinkTheAppNeverRedeemedDoesNotReachTheAppsOwnLoginInTheSameBrowser() {
        Customer customer = Customer.create();
        CookieHandler browser = LoginFlow.newBrowser();
        String attackersHandle = "anon-conv-" + UUID.randomUUID();
        LoginFlow attackersLink = new LoginFlow(server.baseUrl(), REALM, "web-chat", WEB_CHAT_CALLBACK)
                .inBrowser(browser).withAuthorizationParameter("conversation_handle", attackersHandle)
                .withoutRedeemingTheCode();
        assertThat(attackersLink.login(customer.username(), PASSWORD, null, null).outcome())
                .isEqualTo(LoginFlow.Outcome.CODE_NOT_REDEEMED);

        // Later the app starts its own login; the browser's single sign-on session logs the customer in at once.
        LoginFlow.Result own = new LoginFlow(server.baseUrl(), REALM, "web-chat", WEB_CHAT_CALLBACK).inBrowser(browser)
                .login(customer.username(), PASSWORD, null, null);

        assertThat(own.outcome()).isEqualTo(LoginFlow.Outcome.TOKENS);
        WebhookReceiver.Delivery code = everything.await(of(customer, "CODE_TO_TOKEN"), WAIT);
        assertThat(code.json()).doesNotContainKey("conversation_handle");
        assertThat(everything.all().stream().map(WebhookReceiver.Delivery::body)).noneMatch(b -> b.contains(attackersHandle));
    }

    @Test
    void aSecondTabsLoginDoesNotTakeTheHandleThatAnotherTabsLoginCarried() {
        Customer customer = Customer.create();
        CookieHandler browser = LoginFlow.newBrowser();
        String handle = "anon-conv-" + UUID.randomUUID();
        LoginFlow plain = new LoginFlow(server.baseUrl(), REALM, "web-chat", WEB_CHAT_CALLBACK).inBrowser(browser);
        assertThat(plain.login(customer.username(), PASSWORD, null, null).outcome()).isEqualTo(LoginFlow.Outcome.TOKENS);
        everything.await(of(customer, "CODE_TO_TOKEN"), WAIT);

        // One tab's login carries a handle and its code is still on the way; another tab's login, without a handle,
        // is redeemed meanwhile.
        assertThat(plain.withAuthorizationParameter("conversation_handle", handle).withoutRedeemingTheCode()
                .login(customer.username(), PASSWORD, null, null).outcome()).isEqualTo(LoginFlow.Outcome.CODE_NOT_REDEEMED);
        assertThat(plain.login(customer.username(), PASSWORD, null, null).outcome()).isEqualTo(LoginFlow.Outcome.TOKENS);

        List<WebhookReceiver.Delivery> codes = awaitCount(everything, of(customer, "CODE_TO_TOKEN"), 2);
        assertThat(codes).allSatisfy(code -> assertThat(code.json()).doesNotContainKey("conversation_handle"));
    }

    @Test
    void aLogoutOnOneChannelTellsAReceiverOfAnotherThatItsSessionEnded() {
        Customer customer = Customer.create();
        LoginFlow.Result ios = loggedInOnWebChatThenIos(customer);
        String sessionId = (String) webChatOnly.await(of(customer, "LOGIN"), WAIT).json().get("session_id");

        HttpResponse<String> logout = Http.postForm(server.baseUrl() + "/realms/" + REALM
                + "/protocol/openid-connect/logout", Map.of("client_id", "ios-app", "refresh_token", ios.field("refresh_token")));
        assertThat(logout.statusCode()).isEqualTo(204);

        WebhookReceiver.Delivery ended = webChatOnly.await(of(customer, "SESSION_ENDED"), WAIT);
        assertThat(ended.json()).containsEntry("channel", "web-chat").containsEntry("session_id", sessionId);
        assertThat(everything.await(of(customer, "LOGOUT"), WAIT).json()).containsEntry("channel", "ios-app");
        Pause.millis(1_000);
        assertThat(webChatOnly.all()).filteredOn(d -> of(customer, "LOGOUT").test(d.json())).isEmpty();
    }

    /**
     * H2 (as MySQL and MariaDB) undoes only a statement that failed: a logout whose message the database refused
     * must not leave the session's links ended as if the platform had heard of it, nor answer as if it had worked.
     * The logout gets an error; once the database takes the customer's messages again, the session's end
     * reaches the platform.
     */
    @Test
    void aLogoutWhoseMessageTheDatabaseRefusedStillReachesThePlatformLater() {
        Customer customer = Customer.create();
        LoginFlow.Result web = new LoginFlow(server.baseUrl(), REALM, "web-chat", WEB_CHAT_CALLBACK)
                .inBrowser(LoginFlow.newBrowser()).login(customer.username(), PASSWORD, null, null);
        assertThat(web.outcome()).isEqualTo(LoginFlow.Outcome.TOKENS);
        String sessionId = (String) webChatOnly.await(of(customer, "CODE_TO_TOKEN"), WAIT).json().get("session_id");

        long mark = server.logMark();
        refuseMessagesOf(customer, true);
        HttpResponse<String> logout;
        try {
            logout = Http.postForm(server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/logout",
                    Map.of("client_id", "web-chat", "refresh_token", web.field("refresh_token")));
        } finally {
            refuseMessagesOf(customer, false);
        }
        assertThat(server.logSince(mark)).contains("Customer logout in realm " + REALM + " not recorded");
        // An error, whichever Keycloak maps the database's to (a check's violation: 409 conflict).
        assertThat(logout.statusCode()).as("a logout whose message was refused, answered " + logout.body())
                .isGreaterThanOrEqualTo(400);
        assertThat(admin().post("/admin/realms/" + REALM + "/users/" + customer.userId() + "/logout", Map.of())
                .statusCode()).isEqualTo(204);

        WebhookReceiver.Delivery ended = webChatOnly.await(
                json -> of(customer, "LOGOUT").test(json) || of(customer, "SESSION_ENDED").test(json), WAIT);
        assertThat(ended.json()).containsEntry("session_id", sessionId);
    }

    /**
     * A failed Hibernate statement of the listener (here the customer's sequence update) marks Keycloak's
     * transaction rollback-only, which Keycloak rolls back without an error: the password grant and the browser
     * logins (one with the form, one a silent renewal) must still get no tokens and no code, since their message was
     * never committed; a browser goes back to its app with the OAuth error instead.
     */
    @Test
    void aLoginWhoseMessageTheDatabaseRefusedGetsNoTokensAndNoCode() {
        Customer customer = Customer.create();
        assertThat(LinkingIT.passwordGrant(customer).statusCode()).isEqualTo(200);
        everything.await(of(customer, "LOGIN"), WAIT);

        // A browser that logged in to the web chat before, for a silent renewal (prompt=none) during the refusal.
        CookieHandler signedIn = LoginFlow.newBrowser();
        LoginFlow webChat = new LoginFlow(server.baseUrl(), REALM, "web-chat", WEB_CHAT_CALLBACK);
        assertThat(webChat.inBrowser(signedIn).login(customer.username(), PASSWORD, null, null).outcome())
                .isEqualTo(LoginFlow.Outcome.TOKENS);
        awaitCount(everything, of(customer, "LOGIN"), 2);

        long mark = server.logMark();
        refuseSequenceOf(customer, true);
        HttpResponse<String> grant;
        LoginFlow.Result browser;
        LoginFlow.Result silent;
        try {
            grant = LinkingIT.passwordGrant(customer);
            browser = webChat.inBrowser(LoginFlow.newBrowser()).withoutRedeemingTheCode()
                    .login(customer.username(), PASSWORD, null, null);
            silent = webChat.inBrowser(signedIn).withAuthorizationParameter("prompt", "none").withoutRedeemingTheCode()
                    .login(customer.username(), PASSWORD, null, null);
        } finally {
            refuseSequenceOf(customer, false);
        }
        assertThat(server.logSince(mark)).contains("not recorded; the request fails");
        assertThat(grant.statusCode()).as("a grant whose message was refused, answered " + grant.body()).isEqualTo(503);
        assertThat(grant.body()).doesNotContain("access_token").contains("temporarily_unavailable");
        // No code, but the OAuth error redirect with the app's state: the app's SDK hears an error it can retry.
        assertThat(browser.outcome()).as(browser.message()).isEqualTo(LoginFlow.Outcome.ERROR);
        assertThat(browser.message()).isEqualTo("redirected to the app with error temporarily_unavailable");
        assertThat(silent.outcome()).as(silent.message()).isEqualTo(LoginFlow.Outcome.ERROR);
        assertThat(silent.message()).isEqualTo("redirected to the app with error temporarily_unavailable");

        assertThat(LinkingIT.passwordGrant(customer).statusCode()).isEqualTo(200);
        awaitCount(everything, of(customer, "LOGIN"), 3);
        Pause.millis(1_500);
        assertThat(everything.all()).as("a LOGIN for each login answered, none for the others")
                .filteredOn(d -> of(customer, "LOGIN").test(d.json())).hasSize(3);
    }

    /**
     * The same rollback on a logout and on an admin's change: neither may be confirmed while nothing of it was
     * kept. Once the database takes the customer's numbers again, both go through and are heard.
     */
    @Test
    void aLogoutOrAnAdminChangeWhoseMessageTheDatabaseRefusedIsNotConfirmed() {
        Customer customer = Customer.create();
        LoginFlow.Result web = new LoginFlow(server.baseUrl(), REALM, "web-chat", WEB_CHAT_CALLBACK)
                .inBrowser(LoginFlow.newBrowser()).login(customer.username(), PASSWORD, null, null);
        assertThat(web.outcome()).isEqualTo(LoginFlow.Outcome.TOKENS);
        webChatOnly.await(of(customer, "CODE_TO_TOKEN"), WAIT);
        Map<String, String> logoutForm = Map.of("client_id", "web-chat", "refresh_token", web.field("refresh_token"));
        String logoutUrl = server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/logout";
        String userPath = "/admin/realms/" + REALM + "/users/" + customer.userId();
        Map<String, Object> disabled = new HashMap<>(admin().getJson(userPath));
        disabled.put("enabled", false);

        refuseSequenceOf(customer, true);
        HttpResponse<String> logout;
        HttpResponse<String> disabling;
        try {
            logout = Http.postForm(logoutUrl, logoutForm);
            disabling = admin().put(userPath, disabled);
        } finally {
            refuseSequenceOf(customer, false);
        }
        assertThat(logout.statusCode()).as("a logout whose message was refused, answered " + logout.body())
                .isEqualTo(503);
        // Keycloak commits an admin's user update itself and answers its own error when that commit fails.
        assertThat(disabling.statusCode()).as("a disabling whose message was refused, answered " + disabling.body())
                .isGreaterThanOrEqualTo(400);
        assertThat(admin().getJson(userPath)).containsEntry("enabled", true);

        assertThat(Http.postForm(logoutUrl, logoutForm).statusCode()).isEqualTo(204);
        assertThat(webChatOnly.await(of(customer, "LOGOUT"), WAIT).json()).containsEntry("channel", "web-chat");
    }

    @Test
    void disablingTheCustomerTellsEveryChannelItsSessionEnded() {
        Customer customer = Customer.create();
        loggedInOnWebChatThenIos(customer);
        String sessionId = (String) webChatOnly.await(of(customer, "LOGIN"), WAIT).json().get("session_id");

        editUser(customer, user -> user.put("enabled", false));

        assertThat(webChatOnly.await(of(customer, "SESSION_ENDED"), WAIT).json()).containsEntry("channel", "web-chat")
                .containsEntry("session_id", sessionId);
        assertThat(everything.await(json -> of(customer, "SESSION_ENDED").test(json)
                && "ios-app".equals(json.get("channel")), WAIT).json()).containsEntry("session_id", sessionId);
    }

    @Test
    void anIdentifierChangeIsAnnouncedOnceAndAChangeBackAndARemovalOnceEach() {
        Customer customer = Customer.create();
        LinkingIT.directGrant(customer);
        everything.await(of(customer, "LOGIN"), WAIT);
        String other = customer.accountNumber() + "7";
        String otherIdentifier = LinkingIT.VECTOR.derive(other);

        editUser(customer, user -> user.put("attributes", Map.of("accountNumber", List.of(other))));
        editUser(customer, user -> user.put("firstName", "Edited"));
        editUser(customer, user -> user.put("attributes", Map.of("accountNumber", List.of(customer.accountNumber()))));
        editUser(customer, user -> user.put("lastName", "Edited"));
        editUser(customer, user -> user.put("attributes", Map.of()));

        Predicate<Map<String, Object>> changeOfTheCustomer = json -> "CUSTOMER_IDENTIFIER_CHANGED".equals(json.get("type"))
                && (customer.identifier().equals(json.get("customer_id")) || customer.identifier().equals(json.get("previous_customer_id")));
        List<WebhookReceiver.Delivery> changes = awaitCount(everything, changeOfTheCustomer, 3);
        Pause.millis(1_500);
        changes = everything.all().stream().filter(d -> changeOfTheCustomer.test(d.json())).toList();
        assertThat(changes).extracting(WebhookReceiver.Delivery::eventId).hasSize(3).doesNotHaveDuplicates();
        assertThat(changes.get(0).json()).containsEntry("customer_id", otherIdentifier)
                .containsEntry("previous_customer_id", customer.identifier());
        assertThat(changes.get(1).json()).containsEntry("customer_id", customer.identifier())
                .containsEntry("previous_customer_id", otherIdentifier);
        assertThat(changes.get(2).json()).doesNotContainKey("customer_id")
                .containsEntry("previous_customer_id", customer.identifier());
    }

    @Test
    void aCustomerWhoseEndedLinksWerePurgedIsStillErasedAndSoIsOneWhoNeverLoggedIn() {
        Customer purged = Customer.create();
        Customer neverSeen = Customer.create();
        String refreshToken = (String) Http.json(LinkingIT.passwordGrant(purged).body()).get("refresh_token");
        assertThat(Http.postForm(server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/logout",
                Map.of("client_id", "test-console", "refresh_token", refreshToken)).statusCode()).isEqualTo(204);
        everything.await(of(purged, "LOGOUT"), WAIT);
        // As an admin: test-console is on no partner's channel list, so a partner would see no link from the start.
        String linksPath = "/admin/realms/" + REALM + "/customer-links/" + purged.identifier();
        assertThat(admin().getJson(linksPath)).as("the ended link before the retention").containsEntry("total", 1);
        long deadline = System.currentTimeMillis() + KeycloakSuite.ENDED_LINK_RETENTION_MS + 30_000;
        while (!Integer.valueOf(0).equals(admin().getJson(linksPath).get("total"))) {
            assertThat(System.currentTimeMillis()).as("ended link purged").isLessThan(deadline);
            Pause.millis(1_000);
        }

        for (Customer customer : List.of(purged, neverSeen)) {
            assertThat(admin().delete("/admin/realms/" + REALM + "/users/" + customer.userId()).statusCode())
                    .isEqualTo(204);
            assertThat(everything.await(of(customer, "CUSTOMER_DELETED"), WAIT).json())
                    .containsEntry("customer_id", customer.identifier());
        }
    }

    @Test
    void everyMessageCarriesItsCustomersIncreasingSequenceNumber() {
        Customer customer = Customer.create();
        for (int i = 0; i < 3; i++) {
            LinkingIT.directGrant(customer);
        }

        List<WebhookReceiver.Delivery> logins = awaitCount(everything, of(customer, "LOGIN"), 3);

        assertThat(logins).extracting(d -> ((Number) d.json().get("seq")).longValue()).isSorted().doesNotHaveDuplicates()
                .allMatch(seq -> seq > 0);
    }

    /** One single sign-on session on two channels: the web chat's login form, then the iOS app without a form. */
    private static LoginFlow.Result loggedInOnWebChatThenIos(Customer customer) {
        LoginFlow web = new LoginFlow(server.baseUrl(), REALM, "web-chat", WEB_CHAT_CALLBACK)
                .inBrowser(LoginFlow.newBrowser());
        assertThat(web.login(customer.username(), PASSWORD, null, null).outcome()).isEqualTo(LoginFlow.Outcome.TOKENS);
        LoginFlow.Result ios = web.forClient("ios-app", IOS_CALLBACK).login(customer.username(), PASSWORD, null, null);
        assertThat(ios.outcome()).isEqualTo(LoginFlow.Outcome.TOKENS);
        return ios;
    }

    private static void editUser(Customer customer, Consumer<Map<String, Object>> change) {
        Map<String, Object> user = new HashMap<>(admin().getJson("/admin/realms/" + REALM + "/users/" + customer.userId()));
        change.accept(user);
        HttpResponse<String> saved = admin().put("/admin/realms/" + REALM + "/users/" + customer.userId(), user);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(204);
    }

    /** A check on the outbox that refuses every row of this customer, written or updated, while it stands. */
    private static void refuseMessagesOf(Customer customer, boolean refuse) {
        onDatabase(refuse ? "ALTER TABLE CA_OUTBOX ADD CONSTRAINT CA_REFUSE CHECK (CUSTOMER_ID <> '"
                + customer.identifier() + "') NOCHECK" : "ALTER TABLE CA_OUTBOX DROP CONSTRAINT CA_REFUSE");
    }

    /** A check on the customers' order counter that refuses every update of this customer's row while it stands. */
    private static void refuseSequenceOf(Customer customer, boolean refuse) {
        onDatabase(refuse ? "ALTER TABLE CA_CUSTOMER_SEQ ADD CONSTRAINT CA_REFUSE_SEQ CHECK (ID <> '"
                + sequenceRowId(customer) + "') NOCHECK" : "ALTER TABLE CA_CUSTOMER_SEQ DROP CONSTRAINT CA_REFUSE_SEQ");
    }

    /** As the extension names the row: a SHA-256 of realm id and identifier, in hex. */
    private static String sequenceRowId(Customer customer) {
        String realmId = (String) admin().getJson("/admin/realms/" + REALM).get("id");
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((realmId + ':' + customer.identifier()).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void onDatabase(String sql) {
        H2Shell.execute(server.home(), KeycloakSuite.H2_USER, KeycloakSuite.H2_PASSWORD, sql);
    }

    private static List<WebhookReceiver.Delivery> awaitCount(WebhookReceiver receiver,
                                                             Predicate<Map<String, Object>> match, int n) {
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        while (true) {
            List<WebhookReceiver.Delivery> found = receiver.accepted().stream().filter(d -> match.test(d.json())).toList();
            if (found.size() >= n) {
                return found;
            }
            assertThat(System.currentTimeMillis()).as("only " + found.size() + " of " + n).isLessThan(deadline);
            Pause.millis(200);
        }
    }

    private static Predicate<Map<String, Object>> of(Customer customer, String type) {
        return json -> customer.identifier().equals(json.get("customer_id")) && type.equals(json.get("type"));
    }

    private static AdminApi admin() {
        return AdminApi.asBootstrapAdmin(server);
    }
}
