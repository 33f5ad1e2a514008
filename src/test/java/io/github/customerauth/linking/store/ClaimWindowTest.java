package io.github.customerauth.linking.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claim's window rule: from the oldest pending rows, each customer's from its first on, up to the first that may
 * not go now.
 */
class ClaimWindowTest {

    private static final long NOW = 1_000;

    private static Object[] row(String id, String customer, long nextAttemptAt, long claimedUntil) {
        return new Object[] {id, customer, nextAttemptAt, claimedUntil};
    }

    @Test
    void aCustomersBurstGoesInOneClaimInItsOrder() {
        List<Object[]> oldest = List.of(row("a1", "A", 0, 0), row("b1", "B", 0, 0), row("a2", "A", 0, 0),
                row("c1", "C", 0, 0), row("b2", "B", 0, 0));

        assertThat(ClaimWindow.leadingDueOfEachCustomer(oldest, NOW, 10)).containsExactly("a1", "b1", "a2", "c1", "b2");
    }

    @Test
    void aCustomersLaterMessageNeverGoesBeforeOneThatWaits() {
        List<Object[]> oldest = List.of(row("a1", "A", 0, 0), row("a2", "A", NOW + 500, 0), row("a3", "A", 0, 0),
                row("b1", "B", 0, 0));

        assertThat(ClaimWindow.leadingDueOfEachCustomer(oldest, NOW, 10)).containsExactly("a1", "b1");
    }

    @Test
    void aFirstMessageThatWaitsForARetryOrAnotherClaimHoldsBackItsCustomerOnly() {
        List<Object[]> oldest = List.of(row("a1", "A", NOW + 500, 0), row("b1", "B", 0, NOW + 30_000),
                row("a2", "A", 0, 0), row("b2", "B", 0, 0), row("c1", "C", NOW, 0), row("c2", "C", 0, 0));

        assertThat(ClaimWindow.leadingDueOfEachCustomer(oldest, NOW, 10)).containsExactly("c1", "c2");
    }

    @Test
    void stopsAtTheBatchSize() {
        List<Object[]> oldest = List.of(row("a1", "A", 0, 0), row("b1", "B", 0, 0), row("c1", "C", 0, 0));

        assertThat(ClaimWindow.leadingDueOfEachCustomer(oldest, NOW, 2)).containsExactly("a1", "b1");
    }

    @Test
    void aCustomerWithALongBacklogTakesAtMostItsShareOfAClaim() {
        List<Object[]> oldest = new ArrayList<>();
        for (int i = 0; i < ClaimWindow.MAX_PER_CUSTOMER + 5; i++) {
            oldest.add(row("a" + i, "A", 0, 0));
        }
        oldest.add(row("b1", "B", 0, 0));

        List<String> due = ClaimWindow.leadingDueOfEachCustomer(oldest, NOW, 100);

        assertThat(due).hasSize(ClaimWindow.MAX_PER_CUSTOMER + 1).endsWith("b1")
                .doesNotContain("a" + ClaimWindow.MAX_PER_CUSTOMER);
    }

    /**
     * Why the claim may read only the front of its window first: when that front yields a full batch, the whole
     * window yields the same messages. Random windows of a few customers, some messages waiting or claimed elsewhere.
     */
    @Test
    void aFrontThatYieldsAFullBatchYieldsWhatTheWholeWindowWould() {
        Random random = new Random(42);
        int fullFronts = 0;
        for (int trial = 0; trial < 2_000; trial++) {
            int max = 1 + random.nextInt(20);
            List<Object[]> window = new ArrayList<>();
            for (int i = 0; i < 10 * max; i++) {
                boolean waits = random.nextInt(10) == 0;
                window.add(row("m" + i, "c" + random.nextInt(1 + random.nextInt(30)), waits ? NOW + 1 : 0,
                        random.nextInt(20) == 0 ? NOW + 1 : 0));
            }
            List<String> fromFront = ClaimWindow.leadingDueOfEachCustomer(window.subList(0, 2 * max), NOW, max);
            if (fromFront.size() == max) {
                fullFronts++;
                assertThat(ClaimWindow.leadingDueOfEachCustomer(window, NOW, max)).isEqualTo(fromFront);
            }
        }
        assertThat(fullFronts).as("trials whose front held a full batch").isGreaterThan(200);
    }

    /** Another node's claim, read a moment earlier, won a1 and a2: this one must not send a3 ahead of them. */
    @Test
    void wonMessagesBehindOneAnotherRunWonAreGivenBack() {
        List<String> meant = List.of("a1", "b1", "a2", "a3", "b2");
        Map<String, String> customerOf = Map.of("a1", "A", "a2", "A", "a3", "A", "b1", "B", "b2", "B");
        List<OutboxEntity> won = List.of(message("b1", "B", 1), message("a3", "A", 3), message("b2", "B", 2));

        assertThat(ClaimWindow.behindALoss(meant, customerOf, won)).containsExactly("a3");
        assertThat(ClaimWindow.behindALoss(meant, customerOf, List.of(message("a1", "A", 1), message("a3", "A", 3))))
                .as("a2 lost between them").containsExactly("a3");
    }

    private static OutboxEntity message(String id, String customer, long seq) {
        OutboxEntity message = new OutboxEntity();
        message.setId(id);
        message.setCustomerId(customer);
        message.setSeq(seq);
        return message;
    }
}
