package io.github.customerauth.linking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The claim's window rule: from the oldest pending rows, only each customer's first may go, and only when due. */
class OutboxWindowTest {

    private static final long NOW = 1_000;

    private static Object[] row(String id, String customer, long nextAttemptAt, long claimedUntil) {
        return new Object[] {id, customer, nextAttemptAt, claimedUntil};
    }

    @Test
    void aCustomersLaterMessageNeverGoesBeforeItsFirst() {
        List<Object[]> oldest = List.of(row("a1", "A", 0, 0), row("b1", "B", 0, 0), row("a2", "A", 0, 0),
                row("c1", "C", 0, 0), row("b2", "B", 0, 0));

        assertThat(Outbox.firstOfEachCustomerDue(oldest, NOW, 10)).containsExactly("a1", "b1", "c1");
    }

    @Test
    void aFirstMessageThatWaitsForARetryOrAnotherClaimHoldsBackItsCustomerOnly() {
        List<Object[]> oldest = List.of(row("a1", "A", NOW + 500, 0), row("b1", "B", 0, NOW + 30_000),
                row("a2", "A", 0, 0), row("b2", "B", 0, 0), row("c1", "C", NOW, 0), row("c2", "C", 0, 0));

        assertThat(Outbox.firstOfEachCustomerDue(oldest, NOW, 10)).containsExactly("c1");
    }

    @Test
    void stopsAtTheBatchSize() {
        List<Object[]> oldest = List.of(row("a1", "A", 0, 0), row("b1", "B", 0, 0), row("c1", "C", 0, 0));

        assertThat(Outbox.firstOfEachCustomerDue(oldest, NOW, 2)).containsExactly("a1", "b1");
    }
}
