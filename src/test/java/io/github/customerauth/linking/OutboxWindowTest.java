package io.github.customerauth.linking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The claim's window rule: from the oldest pending rows, each customer's from its first on, up to the first that may
 * not go now.
 */
class OutboxWindowTest {

    private static final long NOW = 1_000;

    private static Object[] row(String id, String customer, long nextAttemptAt, long claimedUntil) {
        return new Object[] {id, customer, nextAttemptAt, claimedUntil};
    }

    @Test
    void aCustomersBurstGoesInOneClaimInItsOrder() {
        List<Object[]> oldest = List.of(row("a1", "A", 0, 0), row("b1", "B", 0, 0), row("a2", "A", 0, 0),
                row("c1", "C", 0, 0), row("b2", "B", 0, 0));

        assertThat(Outbox.leadingDueOfEachCustomer(oldest, NOW, 10)).containsExactly("a1", "b1", "a2", "c1", "b2");
    }

    @Test
    void aCustomersLaterMessageNeverGoesBeforeOneThatWaits() {
        List<Object[]> oldest = List.of(row("a1", "A", 0, 0), row("a2", "A", NOW + 500, 0), row("a3", "A", 0, 0),
                row("b1", "B", 0, 0));

        assertThat(Outbox.leadingDueOfEachCustomer(oldest, NOW, 10)).containsExactly("a1", "b1");
    }

    @Test
    void aFirstMessageThatWaitsForARetryOrAnotherClaimHoldsBackItsCustomerOnly() {
        List<Object[]> oldest = List.of(row("a1", "A", NOW + 500, 0), row("b1", "B", 0, NOW + 30_000),
                row("a2", "A", 0, 0), row("b2", "B", 0, 0), row("c1", "C", NOW, 0), row("c2", "C", 0, 0));

        assertThat(Outbox.leadingDueOfEachCustomer(oldest, NOW, 10)).containsExactly("c1", "c2");
    }

    @Test
    void stopsAtTheBatchSize() {
        List<Object[]> oldest = List.of(row("a1", "A", 0, 0), row("b1", "B", 0, 0), row("c1", "C", 0, 0));

        assertThat(Outbox.leadingDueOfEachCustomer(oldest, NOW, 2)).containsExactly("a1", "b1");
    }
}
