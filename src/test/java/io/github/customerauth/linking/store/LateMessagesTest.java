package io.github.customerauth.linking.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which messages are marked late: those a claim's front could have passed. An unmarked message must never lie
 * before the front of a claim that read the window before it committed.
 */
class LateMessagesTest {

    private static final long DB_NOW = 1_800_000_000_000L;
    private static final long TOLERANCE = DatabaseClock.TOLERANCE_MILLIS;
    /** What a commit may take after the mark's check (just before it) for the guarantee to hold. */
    private static final long COMMIT_MARGIN = 20_000;

    @AfterEach
    void forgetTheClock() {
        DatabaseClock.reset();
    }

    @Test
    void aMessageCommittingSoonAfterItsNumberIsNotMarked() {
        long now = DB_NOW;
        assertThat(LateMessages.isLate(now * 1000, now, true)).isFalse();
        assertThat(LateMessages.isLate((now - LateMessages.LATE_MILLIS) * 1000, now, true)).isFalse();
        // A customer's counter ahead of this node's clock (an earlier event on a node whose clock ran ahead).
        assertThat(LateMessages.isLate((now + 3_600_000) * 1000, now, true)).isFalse();
    }

    @Test
    void aMessageCommittingLongAfterItsNumberIsMarked() {
        assertThat(LateMessages.isLate((DB_NOW - LateMessages.LATE_MILLIS - 1) * 1000, DB_NOW, true)).isTrue();
    }

    @Test
    void everyMessageIsMarkedWhileTheWritersClockIsNotKnownToBeRight() {
        assertThat(LateMessages.isLate(DB_NOW * 1000, DB_NOW, false)).isTrue();
        assertThat(DatabaseClock.trusted()).as("before the first check").isFalse();
    }

    @Test
    void noUnmarkedMessageFallsBeforeTheFrontOfAReadBeforeItsCommit() {
        for (long writerOff : new long[] {-TOLERANCE, 0, TOLERANCE}) {
            for (long claimerOff : new long[] {-TOLERANCE, 0, TOLERANCE}) {
                // The claimer reads the window at DB_NOW (database time) and finds nothing older than just now.
                PendingFront front = new PendingFront();
                long claimerNow = DB_NOW + claimerOff;
                front.read(front.from(claimerNow), claimerNow * 1000, claimerNow);
                long from = front.from(claimerNow + 1);
                // The message commits after that read; its check ran up to COMMIT_MARGIN before the commit, by the
                // writer's clock, and found its number at most LATE_MILLIS old.
                for (long commit = DB_NOW + 1; commit < DB_NOW + 120_000; commit += 997) {
                    long checkOnWriter = commit - COMMIT_MARGIN + writerOff;
                    long oldestUnmarked = (checkOnWriter - LateMessages.LATE_MILLIS) * 1000;
                    assertThat(LateMessages.isLate(oldestUnmarked, checkOnWriter, true)).isFalse();
                    assertThat(oldestUnmarked).as("writer %d ms, claimer %d ms off", writerOff, claimerOff)
                            .isGreaterThanOrEqualTo(from);
                }
            }
        }
    }

    @Test
    void aClockWithinTheToleranceIsTrustedAndOneBeyondItIsNot() {
        DatabaseClock.record(TOLERANCE, 5);
        assertThat(DatabaseClock.trusted()).isTrue();
        assertThat(DatabaseClock.offsetSeconds()).isEqualTo(10.0);
        DatabaseClock.record(-TOLERANCE - 1, 5);
        assertThat(DatabaseClock.trusted()).isFalse();
        DatabaseClock.record(-250, 5);
        assertThat(DatabaseClock.trusted()).isTrue();
    }

    @Test
    void aSlowAnswerChangesNothing() {
        DatabaseClock.record(60_000, DatabaseClock.MAX_ROUND_TRIP_MILLIS + 1);
        assertThat(DatabaseClock.trusted()).isFalse();
        assertThat(DatabaseClock.offsetSeconds()).isNaN();
        DatabaseClock.record(0, 1);
        DatabaseClock.record(60_000, DatabaseClock.MAX_ROUND_TRIP_MILLIS + 1);
        assertThat(DatabaseClock.trusted()).isTrue();
    }
}
