package io.github.customerauth.linking.delivery;

import io.github.customerauth.linking.delivery.Backoff;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    private final Backoff backoff = new Backoff(1_000, 60_000);

    @Test
    void doublesPerAttemptBetweenHalfAndAllOfTheStep() {
        assertThat(backoff.delayMillis(1, () -> 0.0)).isEqualTo(500);
        assertThat(backoff.delayMillis(1, () -> 1.0)).isEqualTo(1_000);
        assertThat(backoff.delayMillis(3, () -> 0.0)).isEqualTo(2_000);
        assertThat(backoff.delayMillis(3, () -> 1.0)).isEqualTo(4_000);
    }

    @Test
    void isCappedAtTheMaximum() {
        assertThat(backoff.delayMillis(40, () -> 1.0)).isEqualTo(60_000);
        assertThat(backoff.delayMillis(40, () -> 0.0)).isEqualTo(30_000);
    }
}
