package io.github.customerauth.linking.store;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A version 7 UUID (RFC 9562): a time in milliseconds first (an outbox row's: its event's), then 74 random bits.
 * An outbox row's id, so that rows written one after the other sit side by side in the primary key's index as they
 * do in the table: a claim of a receiver's oldest messages then finds them in a few index pages, however many
 * messages are pending, where random ids sent each look to a page of its own.
 */
final class TimeOrderedId {

    private TimeOrderedId() {
    }

    static String at(long epochMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long mostSignificant = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | random.nextInt(1 << 12);
        long leastSignificant = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(mostSignificant, leastSignificant).toString();
    }
}
