package io.github.customerauth.linking.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a claim's window read starts: never past a message that may still be pending, nor one committed late. */
class PendingFrontTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final long HOURS_AGO = (NOW - 3 * 3_600_000) * 1000;
    private static final long LATE = PendingFront.LATE_COMMIT_MILLIS;

    @Test
    void aReceiverNotReadYetIsReadFromTheStart() {
        assertThat(new PendingFront().from(NOW)).isEqualTo(Long.MIN_VALUE);
        assertThat(new PendingFront().from(Long.MIN_VALUE + 5)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aBacklogIsReadFromItsOldestPendingMessageOn() {
        PendingFront front = new PendingFront();
        front.read(front.from(NOW), HOURS_AGO, NOW);
        front.read(front.from(NOW + 5), HOURS_AGO + 777, NOW + 5);

        assertThat(front.from(NOW + 10)).isEqualTo(HOURS_AGO + 777);
    }

    @Test
    void aMessageStillUncommittedWhenTheWindowWasReadIsNotPassedBy() {
        PendingFront front = new PendingFront();
        long justNow = (NOW - 2) * 1000;
        front.read(front.from(NOW), justNow, NOW);

        long from = front.from(NOW + 1);
        assertThat(from).isEqualTo((NOW - LATE) * 1000);
        // A transaction that took its number 50 s before the read and commits after it.
        assertThat((NOW - 50_000) * 1000).isGreaterThanOrEqualTo(from);
    }

    @Test
    void anEmptyReadStartsTheNextOneWhereUncommittedMessagesCouldBe() {
        PendingFront front = new PendingFront();
        front.read(front.from(NOW), null, NOW);

        assertThat(front.from(NOW + 1)).isEqualTo((NOW - LATE) * 1000);
    }

    @Test
    void theWindowIsReadFromTheStartEveryFewSecondsForAReplayedDeadLetter() {
        PendingFront front = new PendingFront();
        front.read(front.from(NOW), HOURS_AGO, NOW);
        long later = NOW + PendingFront.FULL_LOOK_MILLIS - 1;
        front.read(front.from(later), HOURS_AGO + 1, later);

        assertThat(front.from(later)).isEqualTo(HOURS_AGO + 1);
        assertThat(front.from(NOW + PendingFront.FULL_LOOK_MILLIS)).isEqualTo(Long.MIN_VALUE);
        front.read(Long.MIN_VALUE, HOURS_AGO - 5, NOW + PendingFront.FULL_LOOK_MILLIS);
        assertThat(front.from(NOW + PendingFront.FULL_LOOK_MILLIS + 1)).isEqualTo(HOURS_AGO - 5);
    }

    @Test
    void aClockThatWentBackReadsFromTheStart() {
        PendingFront front = new PendingFront();
        front.read(front.from(NOW), HOURS_AGO, NOW);

        assertThat(front.from(NOW - 60_000)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aCustomerFoundBehindTheFrontMakesTheNextReadStartAtTheStart() {
        PendingFront front = new PendingFront();
        front.read(front.from(NOW), HOURS_AGO, NOW);
        front.fellBehind();

        assertThat(front.from(NOW + 1)).isEqualTo(Long.MIN_VALUE);
    }
}
