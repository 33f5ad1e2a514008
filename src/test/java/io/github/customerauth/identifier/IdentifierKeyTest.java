package io.github.customerauth.identifier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentifierKeyTest {

    @Test
    void refusesKeysShorterThan256Bits() {
        assertThatThrownBy(() -> IdentifierKey.of("1", "ab".repeat(31)))
                .isInstanceOf(IdentifierKey.InvalidKeyException.class)
                .hasMessageContaining("248 bits").hasMessageContaining("at least 256 bits");
    }

    @Test
    void refusesNonHexAndEmptyEntriesWithoutEchoingThem() {
        assertThatThrownBy(() -> IdentifierKey.of("1", "not-hex-secret-value"))
                .hasMessageNotContaining("not-hex-secret-value").hasMessageContaining("not hex");
        assertThatThrownBy(() -> IdentifierKey.of("1", " ")).hasMessageContaining("empty or missing");
        assertThatThrownBy(() -> IdentifierKey.of("1", null)).hasMessageContaining("empty or missing");
    }

    @Test
    void refusesKeyVersionsThatWouldBreakTheIdentifierFormat() {
        assertThatThrownBy(() -> IdentifierKey.of("a.b", "ab".repeat(32))).hasMessageContaining("key version");
        assertThatThrownBy(() -> IdentifierKey.of("", "ab".repeat(32))).hasMessageContaining("key version");
    }

    @Test
    void acceptsAHexKeyWithSurroundingWhitespaceAndNeverPrintsIt() {
        IdentifierKey key = IdentifierKey.of("2026", "\n" + "AB".repeat(32) + "\n");

        assertThat(key.keyId()).isEqualTo("2026");
        assertThat(key.toString()).doesNotContain("AB");
    }
}
