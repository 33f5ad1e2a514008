package io.github.customerauth.linking.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What an operator reads about the node's clock: a warning when a check finds it off, and only then. */
class DatabaseClockTest {

    private static final long TOLERANCE = DatabaseClock.TOLERANCE_MILLIS;
    private static final long FOUR_MINUTES = 240_000;

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(DatabaseClock.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord entry) {
            logged.add(entry.getLevel() + " " + new SimpleFormatter().formatMessage(entry));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        DatabaseClock.reset();
        logger.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(handler);
        DatabaseClock.reset();
    }

    @Test
    void checksThatFindTheClockRightSayNothingHoweverLongHousekeepingStalledBetweenThem() {
        long wall = System.currentTimeMillis();
        long nanos = System.nanoTime();
        // A check recorded four minutes ago (no longer trusted), then a fresh one: the clock was never off.
        DatabaseClock.record(0, 5, wall - FOUR_MINUTES, nanos - FOUR_MINUTES * 1_000_000);
        DatabaseClock.record(-250, 5, wall, nanos);

        assertThat(DatabaseClock.trusted()).isTrue();
        assertThat(logged).isEmpty();
    }

    @Test
    void aClockFoundOffIsWarnedOfOnceAndItsReturnTold() {
        long wall = System.currentTimeMillis();
        long nanos = System.nanoTime();
        DatabaseClock.record(TOLERANCE + 5_000, 5, wall, nanos);
        DatabaseClock.record(TOLERANCE + 6_000, 5, wall, nanos);
        DatabaseClock.record(100, 5, wall, nanos);

        assertThat(logged).hasSize(2);
        assertThat(logged.get(0)).contains("behind the database's").contains(String.valueOf(TOLERANCE + 5_000));
        assertThat(logged.get(1)).contains("back within");
        assertThat(DatabaseClock.trusted()).isTrue();
    }
}
