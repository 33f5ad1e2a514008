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
    /** What a commit may take after the mark's check (just before it) for the marks alone to hold the order. */
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
                // The message commits just after that read (the worst case: a later commit has a later check); its
                // check ran up to COMMIT_MARGIN before the commit, by the writer's clock, and found its number at
                // most LATE_MILLIS old.
                long checkOnWriter = DB_NOW + 1 - COMMIT_MARGIN + writerOff;
                long oldestUnmarked = (checkOnWriter - LateMessages.LATE_MILLIS) * 1000;
                assertThat(LateMessages.isLate(oldestUnmarked, checkOnWriter, true)).isFalse();
                assertThat(oldestUnmarked).as("writer %d ms, claimer %d ms off", writerOff, claimerOff)
                        .isGreaterThanOrEqualTo(from);
            }
        }
    }

    @Test
    void aClaimWhoseFrontIsRecentAlwaysLooks() {
        long now = DB_NOW;
        assertThat(LateMessages.frontIsRecent((now - LateMessages.RECENT_FRONT_MILLIS + 1) * 1000, now)).isTrue();
        assertThat(LateMessages.frontIsRecent((now - PendingFront.LATE_COMMIT_MILLIS) * 1000, now)).isTrue();
        assertThat(LateMessages.frontIsRecent((now - LateMessages.RECENT_FRONT_MILLIS) * 1000, now)).isFalse();
        assertThat(LateMessages.frontIsRecent(PendingFront.FROM_THE_START, now)).isFalse();
    }

    @Test
    void aClockWithinTheToleranceIsTrustedAndOneBeyondItIsNot() {
        DatabaseClock.record(TOLERANCE, 5, DB_NOW, 0);
        assertThat(DatabaseClock.trustedAt(DB_NOW + 1_000, 1_000_000_000L)).isTrue();
        assertThat(DatabaseClock.offsetSeconds()).isEqualTo(10.0);
        DatabaseClock.record(-TOLERANCE - 1, 5, DB_NOW, 0);
        assertThat(DatabaseClock.trustedAt(DB_NOW, 0)).isFalse();
        DatabaseClock.record(-250, 5, DB_NOW, 0);
        assertThat(DatabaseClock.trustedAt(DB_NOW, 0)).isTrue();
    }

    @Test
    void aSlowAnswerChangesNothing() {
        DatabaseClock.record(60_000, DatabaseClock.MAX_ROUND_TRIP_MILLIS + 1, DB_NOW, 0);
        assertThat(DatabaseClock.trustedAt(DB_NOW, 0)).isFalse();
        assertThat(DatabaseClock.offsetSeconds()).isNaN();
        DatabaseClock.record(0, 1, DB_NOW, 0);
        DatabaseClock.record(60_000, DatabaseClock.MAX_ROUND_TRIP_MILLIS + 1, DB_NOW, 0);
        assertThat(DatabaseClock.trustedAt(DB_NOW, 0)).isTrue();
    }

    @Test
    void aClockSetBackOrForwardSinceTheCheckIsNoLongerTrusted() {
        DatabaseClock.record(0, 1, DB_NOW, 0);
        long tenSeconds = 10_000_000_000L;
        assertThat(DatabaseClock.trustedAt(DB_NOW + 10_000, tenSeconds)).isTrue();
        assertThat(DatabaseClock.trustedAt(DB_NOW + 10_000 - 300_000, tenSeconds)).as("set back 5 min").isFalse();
        assertThat(DatabaseClock.trustedAt(DB_NOW + 10_000 + 2_000, tenSeconds)).as("set forward 2 s").isFalse();
    }

    @Test
    void aCheckTooOldIsNoLongerTrusted() {
        DatabaseClock.record(0, 1, DB_NOW, 0);
        long valid = DatabaseClock.CHECK_VALID_MILLIS;
        assertThat(DatabaseClock.trustedAt(DB_NOW + valid, valid * 1_000_000)).isTrue();
        assertThat(DatabaseClock.trustedAt(DB_NOW + valid + 1, (valid + 1) * 1_000_000)).isFalse();
    }
}
