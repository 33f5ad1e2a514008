package io.github.customerauth.identifier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reference's test vectors; each was computed independently with openssl (docs/reference.md, "Derivation"). */
class IdentifierDerivationTest {

    static final String VECTOR_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    @ParameterizedTest
    @CsvSource({
            "12345678,     v1.1.sr5m95fFEb0qNN-wYIOGYaaIKz8",
            "0012345678,   v1.1.-3XPVSC2SfuVpJKi106uDLEqb-g",
            "'0012 345-678', v1.1.-3XPVSC2SfuVpJKi106uDLEqb-g",
            "abc123,       v1.1.P1hHZ0Dc69PeYiT2EjKItGHbetY",
    })
    void matchesTheDocumentedVectors(String accountNumber, String expected) {
        IdentifierDerivation derivation = new IdentifierDerivation(IdentifierKey.of("1", VECTOR_KEY));

        assertThat(derivation.derive(AccountNumbers.canonical(accountNumber))).isEqualTo(expected);
    }

    @Test
    void anotherKeyGivesAnUnrelatedIdentifierWithItsOwnVersion() {
        IdentifierDerivation rotated = new IdentifierDerivation(IdentifierKey.of("2027a", "f".repeat(64)));

        assertThat(rotated.derive("12345678")).isEqualTo("v1.2027a.ozu7ocxTkwoljxPCyrADzHCcQbY");
    }

    @Test
    void refusesToDeriveFromNothing() {
        IdentifierDerivation derivation = new IdentifierDerivation(IdentifierKey.of("1", VECTOR_KEY));

        assertThatThrownBy(() -> derivation.derive("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsTheKeyVersionBackOnlyFromWellFormedIdentifiers() {
        assertThat(IdentifierDerivation.keyIdOf("v1.2027a.ozu7ocxTkwoljxPCyrADzHCcQbY")).isEqualTo("2027a");
        assertThat(IdentifierDerivation.keyIdOf("v2.1.ozu7ocxTkwoljxPCyrADzHCcQbY")).isNull();
        assertThat(IdentifierDerivation.keyIdOf("v1.1.short")).isNull();
        assertThat(IdentifierDerivation.keyIdOf("v1.bad key.ozu7ocxTkwoljxPCyrADzHCcQbY")).isNull();
        assertThat(IdentifierDerivation.keyIdOf("12345678")).isNull();
        assertThat(IdentifierDerivation.keyIdOf(null)).isNull();
    }
}
