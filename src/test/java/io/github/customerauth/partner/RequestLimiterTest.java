package io.github.customerauth.partner;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsABurstOfOneSecondThenRefillsAtTheLimit() {
        RequestLimiter limiter = new RequestLimiter();

        assertThat(limiter.tryAcquire("p", 2, 0)).isTrue();
        assertThat(limiter.tryAcquire("p", 2, 0)).isTrue();
        assertThat(limiter.tryAcquire("p", 2, 0)).isFalse();
        assertThat(limiter.tryAcquire("p", 2, SECOND / 2)).isTrue();
        assertThat(limiter.tryAcquire("p", 2, SECOND / 2)).isFalse();
    }

    @Test
    void partnersHaveTheirOwnBucketsAndZeroMeansNoLimit() {
        RequestLimiter limiter = new RequestLimiter();
        limiter.tryAcquire("a", 1, 0);

        assertThat(limiter.tryAcquire("a", 1, 0)).isFalse();
        assertThat(limiter.tryAcquire("b", 1, 0)).isTrue();
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.tryAcquire("c", 0, 0)).isTrue();
        }
    }
}
