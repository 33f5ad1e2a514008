package io.github.customerauth.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedMapTest {

    @Test
    void remembersWhatWasPutUntilFull() {
        BoundedMap<String, Integer> map = new BoundedMap<>(100);
        for (int i = 0; i < 100; i++) {
            map.put("k" + i, i);
        }
        assertThat(map.size()).isEqualTo(100);
        assertThat(map.get("k42")).isEqualTo(42);
        assertThat(map.putIfAbsent("k42", 0)).isEqualTo(42);
        assertThat(map.get("k42")).isEqualTo(42);
        assertThat(map.remove("k42")).isEqualTo(42);
        assertThat(map.containsKey("k42")).isFalse();
    }

    @Test
    void theLeastRecentlyUsedEntryGoesFirst() {
        BoundedMap<String, Integer> map = new BoundedMap<>(100);
        for (int i = 0; i < 100; i++) {
            map.put("k" + i, i);
        }
        map.get("k0");
        map.put("k100", 100);
        assertThat(map.containsKey("k0")).as("read just now").isTrue();
        assertThat(map.containsKey("k1")).as("least recently used").isFalse();
        assertThat(map.size()).isEqualTo(100);
    }

    @Test
    void neverHoldsMoreThanItsLimit() {
        BoundedMap<Integer, Integer> map = new BoundedMap<>(1_000);
        for (int i = 0; i < 100_000; i++) {
            map.put(i, i);
            assertThat(map.size()).isLessThanOrEqualTo(1_000);
            assertThat(map.get(i)).as("what was just put stays").isEqualTo(i);
        }
        assertThat(map.size()).isEqualTo(1_000);
    }

    @Test
    void staysBoundedUnderConcurrentWriters() throws Exception {
        BoundedMap<String, Boolean> map = new BoundedMap<>(500);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                writers.add(threads.submit(() -> {
                    for (int i = 0; i < 50_000; i++) {
                        map.putIfAbsent(thread + "/" + i, Boolean.TRUE);
                        map.get(thread + "/" + (i / 2));
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(map.size()).isEqualTo(500);
    }

    @Test
    void aNullKeyIsNeverRemembered() {
        BoundedMap<String, Boolean> map = new BoundedMap<>(10);
        map.put(null, Boolean.TRUE);
        assertThat(map.putIfAbsent(null, Boolean.TRUE)).isNull();
        assertThat(map.get(null)).isNull();
        assertThat(map.containsKey(null)).isFalse();
        assertThat(map.size()).isZero();
    }

    @Test
    void refusesALimitBelowOne() {
        assertThatThrownBy(() -> new BoundedMap<>(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
