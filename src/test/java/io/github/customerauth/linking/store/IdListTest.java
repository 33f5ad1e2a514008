package io.github.customerauth.linking.store;

import io.github.customerauth.linking.store.IdList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdListTest {

    @Test
    void padsToTheNextPowerOfTwoWithTheLastId() {
        assertThat(IdList.padded(List.of("a"))).containsExactly("a");
        assertThat(IdList.padded(List.of("a", "b"))).containsExactly("a", "b");
        assertThat(IdList.padded(List.of("a", "b", "c"))).containsExactly("a", "b", "c", "c");
        assertThat(IdList.padded(List.of("a", "b", "c", "d", "e"))).containsExactly("a", "b", "c", "d", "e", "e", "e", "e");
    }

    @Test
    void aHundredIdsNeedOnlyEightDistinctLengths() {
        Set<Integer> lengths = new HashSet<>();
        for (int n = 1; n <= 100; n++) {
            List<String> ids = IntStream.range(0, n).mapToObj(String::valueOf).toList();
            List<String> padded = IdList.padded(ids);
            assertThat(padded.subList(0, n)).isEqualTo(ids);
            assertThat(padded.subList(n, padded.size())).allMatch(ids.get(n - 1)::equals);
            lengths.add(padded.size());
        }
        assertThat(lengths).containsExactlyInAnyOrder(1, 2, 4, 8, 16, 32, 64, 128);
    }

    @Test
    void refusesAnEmptyList() {
        assertThatThrownBy(() -> IdList.padded(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
