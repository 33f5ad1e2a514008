package io.github.customerauth.linking;

import io.github.customerauth.linking.LinkingIT.Customer;
import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.Pause;
import io.github.customerauth.testsupport.WebhookReceiver;
import io.github.customerauth.testsupport.Webhooks;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.customerauth.testsupport.KeycloakSuite.REALM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A customer's order at a receiver when one of its messages lies before the claim's front: a claim reads a
 * receiver's window from where its pending messages started at the last read, and looks for customers behind that
 * point when the front is recent or a message is marked late.
 */
@ExtendWith(KeycloakSuite.class)
class ClaimOrderIT {

    private static final Duration WAIT = LinkingIT.WAIT;
    /** Past the claim front's margin for late commits (a minute), so that a fresh claim's front passes the message. */
    private static final long PAST_THE_FRONT_MILLIS = 63_000;

    static KeycloakServer server;

    @BeforeAll
    static void setUp() {
        server = KeycloakSuite.server();
        LinkingIT.server = server;
    }

    @Test
    void theNodesClockIsCheckedAgainstTheDatabases() {
        double offset = clockOffsetSeconds();
        assertThat(offset).as("the database's clock minus the node's, in seconds").isBetween(-10.0, 10.0);
    }

    /**
     * A dead letter replayed an admin's minute after it was written is behind the front of every claim since; the
     * customer's next message, written while the receiver is busy, is in the window. A claim that took the window as
     * it is would send the newer message first. (Here the front is recent, so the claim looks whatever the marks;
     * with that look made to depend on the marks alone, this test failed when the replay's mark was left out.)
     */
    @Test
    void aReplayedDeadLetterGoesBeforeItsCustomersLaterMessages() {
        assertThat(clockOffsetSeconds()).as("the node trusts its clock, so that claims rely on marks").isBetween(-10.0,
                10.0);
        WebhookReceiver receiver = new WebhookReceiver().start();
        receiver.answer(500);
        String webhookId = Webhooks.create(admin(), REALM, "claim-order", receiver.url());
        try {
            Customer customer = Customer.create();
            Customer other = Customer.create();
            LinkingIT.directGrant(customer);
            long written = System.currentTimeMillis();
            Map<String, Object> dead = Webhooks.awaitDeadLetter(admin(), REALM,
                    letter -> customer.identifier().equals(letter.get("customer_id"))
                            && webhookId.equals(letter.get("webhook_id")));
            receiver.answer(204);
            Pause.millis(Math.max(0, written + PAST_THE_FRONT_MILLIS - System.currentTimeMillis()));

            // The other customer's login is claimed with a front a minute back, past the dead letter; its delivery
            // is held, so that the replay and the customer's next login are both waiting for the next claim.
            receiver.holdNext(json -> other.identifier().equals(json.get("customer_id")));
            LinkingIT.directGrant(other);
            receiver.awaitHeld(WAIT);
            assertThat(admin().post("/admin/realms/" + REALM + "/customer-links/dead-letters/" + dead.get("id")
                    + "/replay", null).statusCode()).isEqualTo(200);
            LinkingIT.directGrant(customer);
            receiver.release();

            long deadline = System.currentTimeMillis() + WAIT.toMillis();
            List<WebhookReceiver.Delivery> ofCustomer;
            do {
                Pause.millis(200);
                ofCustomer = receiver.accepted().stream()
                        .filter(d -> customer.identifier().equals(d.json().get("customer_id"))).toList();
            } while (ofCustomer.size() < 2 && System.currentTimeMillis() < deadline);
            assertThat(ofCustomer).as("the replayed login and the next one").hasSize(2);
            assertThat(ofCustomer.get(0).json()).as("the replayed login first")
                    .containsEntry("id", dead.get("event_id"));
            assertThat(ofCustomer).extracting(d -> ((Number) d.json().get("seq")).longValue()).isSorted();
        } finally {
            receiver.release();
            admin().delete("/admin/realms/" + REALM + "/components/" + webhookId);
            receiver.stop();
        }
    }

    private static double clockOffsetSeconds() {
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        while (true) {
            String metrics = Http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                    + KeycloakSuite.MANAGEMENT_PORT + "/metrics")).build()).body();
            String value = metrics.lines()
                    .filter(line -> line.startsWith("customer_auth_database_clock_offset_seconds"))
                    .map(line -> line.substring(line.lastIndexOf(' ') + 1)).findFirst().orElse("NaN");
            double offset = Double.parseDouble(value);
            if (!Double.isNaN(offset) || System.currentTimeMillis() > deadline) {
                return offset;
            }
            Pause.millis(500);
        }
    }

    private static AdminApi admin() {
        return AdminApi.asBootstrapAdmin(server);
    }
}
