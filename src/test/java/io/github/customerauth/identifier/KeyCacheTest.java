package io.github.customerauth.identifier;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The node's key cache: one vault read a minute per key, failures never kept. */
class KeyCacheTest {

    private static final IdentifierDerivation DERIVATION = new IdentifierDerivation(IdentifierKey.of("1", "ab".repeat(32)));

    @Test
    void readsOnceAMinuteAndNeverKeepsAFailure() {
        KeyCache cache = new KeyCache();
        AtomicInteger reads = new AtomicInteger();

        assertThatThrownBy(() -> cache.get("k", 0, () -> {
            reads.incrementAndGet();
            throw new IdentifierKey.InvalidKeyException("missing");
        })).isInstanceOf(IdentifierKey.InvalidKeyException.class);
        assertThat(cache.get("k", 1, () -> { reads.incrementAndGet(); return DERIVATION; })).isSameAs(DERIVATION);
        assertThat(cache.get("k", KeyCache.KEEP_MILLIS, () -> { reads.incrementAndGet(); return null; })).isSameAs(DERIVATION);
        assertThat(reads).hasValue(2);

        cache.get("k", KeyCache.KEEP_MILLIS + 1, () -> { reads.incrementAndGet(); return DERIVATION; });
        assertThat(reads).hasValue(3);
    }

    @Test
    void aClonedMacGivesTheDocumentedIdentifierEveryTime() {
        String first = DERIVATION.derive("12345678");
        assertThat(DERIVATION.derive("12345678")).isEqualTo(first);
        assertThat(DERIVATION.derive("87654321")).isNotEqualTo(first);
    }
}
