package io.github.customerauth.linking.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdTest {

    @Test
    void isAVersion7UuidWhoseTextStartsWithItsMillisecond() {
        long millis = 1_764_950_400_123L;
        String id = TimeOrderedId.at(millis);
        UUID uuid = UUID.fromString(id);
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(uuid.getMostSignificantBits() >>> 16).isEqualTo(millis);
        assertThat(id.replace("-", "")).startsWith(String.format("%012x", millis));
    }

    @Test
    void idsOfLaterMillisecondsSortAfterAsTextAsTheDatabaseOrdersThem() {
        String earlier = TimeOrderedId.at(0xFFFF_FFFFL);
        String later = TimeOrderedId.at(0x1_0000_0000L);
        assertThat(earlier).isLessThan(later);
        assertThat(TimeOrderedId.at(1_764_950_400_123L)).isLessThan(TimeOrderedId.at(1_764_950_400_124L));
    }

    @Test
    void idsOfOneMillisecondDifferInTheirRandomBits() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(TimeOrderedId.at(1_764_950_400_123L));
        }
        assertThat(ids).hasSize(100_000);
    }
}
