package io.github.customerauth.identifier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class AccountNumbersTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "12345678|12345678",
            "' 0012 3456 '|00123456",
            "0012-345.678|0012345678",
            "abc 123|ABC123",
            "\uFF11\uFF12\uFF13|123",
            "12\u00A034\t56|123456",
            "'   '|''",
    })
    void canonicalFormDropsSeparatorsAndKeepsLeadingZeros(String raw, String canonical) {
        assertThat(AccountNumbers.canonical(raw)).isEqualTo(canonical);
    }

    @Test
    void nullIsNoAccountNumber() {
        assertThat(AccountNumbers.canonical(null)).isEmpty();
    }
}
