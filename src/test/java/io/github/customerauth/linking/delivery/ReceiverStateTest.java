package io.github.customerauth.linking.delivery;

import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReceiverStateTest {

    private final ReceiverState receiver = new ReceiverState(3, 10_000);

    /** The tick skips a receiver's due look when no run could start: it must answer exactly as a start would. */
    @Test
    void mayStartRunAnswersAsStartingOneWouldInEveryState() {
        Random random = new Random(7);
        long now = 0;
        int started = 0;
        for (int step = 0; step < 20_000; step++) {
            now += random.nextInt(3_000);
            switch (random.nextInt(5)) {
                case 0 -> receiver.failed(now);
                case 1 -> receiver.succeeded(random.nextBoolean());
                case 2 -> {
                    if (started > 0) {
                        receiver.runEnded();
                        started--;
                    }
                }
                default -> {
                    boolean may = receiver.mayStartRun(now, 3);
                    int batch = receiver.startRun(now, 3, 8);
                    assertThat(may).as("step %d", step).isEqualTo(batch > 0);
                    started += batch > 0 ? 1 : 0;
                }
            }
        }
    }

    @Test
    void runsAreLimitedPerReceiver() {
        assertThat(receiver.startRun(0, 2, 8)).isEqualTo(8);
        assertThat(receiver.startRun(0, 2, 8)).isEqualTo(8);
        assertThat(receiver.startRun(0, 2, 8)).as("third run while two are in flight").isZero();
        receiver.runEnded();
        assertThat(receiver.startRun(0, 2, 8)).isEqualTo(8);
    }

    @Test
    void failuresInARowOpenTheBreakerAndOneMessageProbesItLater() {
        receiver.failed(0);
        receiver.failed(0);
        assertThat(receiver.maySend()).isTrue();
        receiver.failed(1_000);

        assertThat(receiver.maySend()).as("open: nothing may be sent").isFalse();
        assertThat(receiver.maySend()).isFalse();
        assertThat(receiver.startRun(5_000, 4, 8)).as("while open").isZero();
        assertThat(receiver.startRun(11_000, 4, 8)).as("the probe").isEqualTo(1);
        assertThat(receiver.startRun(11_000, 4, 8)).as("a second run while probing").isZero();
    }

    @Test
    void aFailedProbeOpensForTwiceAsLongAndASuccessfulOneCloses() {
        for (int i = 0; i < 3; i++) {
            receiver.failed(0);
        }
        receiver.startRun(10_000, 4, 8);
        receiver.failed(10_000);
        receiver.runEnded();

        assertThat(receiver.startRun(29_000, 4, 8)).as("20 s after the failed probe, not yet").isZero();
        assertThat(receiver.startRun(30_000, 4, 8)).isEqualTo(1);
        receiver.succeeded(false);
        receiver.runEnded();

        assertThat(receiver.maySend()).as("closed").isTrue();
        assertThat(receiver.startRun(30_000, 4, 8)).isEqualTo(8);
    }

    @Test
    void aReceiverThatJustFailedGetsOneRunAtATime() {
        receiver.failed(0);

        assertThat(receiver.startRun(0, 4, 8)).isEqualTo(8);
        assertThat(receiver.startRun(0, 4, 8)).isZero();
        receiver.succeeded(false);
        assertThat(receiver.startRun(0, 4, 8)).isEqualTo(8);
    }

    @Test
    void aProbeThatGotNoAnswerIsTriedAgainAtTheNextTick() {
        for (int i = 0; i < 3; i++) {
            receiver.failed(0);
        }
        assertThat(receiver.startRun(10_000, 4, 8)).isEqualTo(1);
        receiver.runEnded();

        assertThat(receiver.maySend()).as("open: nothing may be sent").isFalse();
        assertThat(receiver.startRun(10_200, 4, 8)).as("nothing claimed, so probe again").isEqualTo(1);
    }

    @Test
    void aSlowReceiverGetsOneRunAtATime() {
        receiver.succeeded(true);

        assertThat(receiver.startRun(0, 4, 8)).isEqualTo(8);
        assertThat(receiver.startRun(0, 4, 8)).isZero();
        receiver.succeeded(false);
        assertThat(receiver.startRun(0, 4, 8)).isEqualTo(8);
    }

    @Test
    void successResetsTheCount() {
        receiver.failed(0);
        receiver.failed(0);
        receiver.succeeded(false);
        receiver.failed(0);
        receiver.failed(0);

        assertThat(receiver.maySend()).as("closed").isTrue();
    }

    /** The open-breaker metric: a receiver counts while it fails, and no longer once nothing has failed for 10 min. */
    @Test
    void aReceiverIsLeftAloneFromItsBreakerOpeningUntilTenMinutesAfterItsLastFailure() {
        long now = 1_000_000;
        receiver.failed(now);
        receiver.failed(now + 1);
        assertThat(receiver.leftAlone(now + 2)).as("two failures of three").isFalse();

        receiver.failed(now + 2);
        assertThat(receiver.leftAlone(now + 3)).as("open").isTrue();
        assertThat(receiver.startRun(now + 20_000, 3, 8)).as("a probe").isEqualTo(1);
        receiver.runEnded();
        assertThat(receiver.leftAlone(now + 20_001)).as("a probe that found nothing to send").isTrue();
        assertThat(receiver.leftAlone(now + 2 + 600_000)).as("no failure for 10 minutes").isFalse();

        receiver.failed(now + 700_000);
        assertThat(receiver.leftAlone(now + 700_001)).as("failing again").isTrue();
        receiver.succeeded(false);
        assertThat(receiver.leftAlone(now + 700_002)).as("closed by a delivery").isFalse();
    }
}
