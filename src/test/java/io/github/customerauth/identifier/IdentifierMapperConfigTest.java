package io.github.customerauth.identifier;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentifierMapperConfigTest {

    @Test
    void anEmptyConfigMeansTheDocumentedDefaults() {
        IdentifierMapperConfig config = new IdentifierMapperConfig(Map.of());

        assertThat(config.userAttribute()).isEqualTo("accountNumber");
        assertThat(config.claimName()).isEqualTo("customer_id");
        assertThat(config.keyReference()).isEqualTo("${vault.customer-id-key}");
        assertThat(config.keyId()).isEqualTo("1");
        assertThat(config.missingAttribute()).isEqualTo(IdentifierMapperConfig.MissingAttribute.OMIT);
        assertThat(config.previousKeyReference()).isNull();
        assertThatCode(config::validateStatic).doesNotThrowAnyException();
    }

    @Test
    void keyMaterialInPlainConfigIsRefused() {
        assertThatThrownBy(() -> config("key.vault.reference", "ab".repeat(32)).validateStatic())
                .hasMessageStartingWith("Key must be a vault reference").hasMessageNotContaining("abab");
    }

    @Test
    void unknownAlgorithmsAndPoliciesAreNamed() {
        assertThatThrownBy(() -> config("algorithm", "SHA-256").validateStatic())
                .hasMessage("Unknown algorithm 'SHA-256': only HMAC-SHA256 is supported.");
        assertThatThrownBy(() -> config("missing.attribute", "ignore").validateStatic())
                .hasMessage("Customer without account number: 'ignore' is not one of omit, refuse.");
    }

    @Test
    void aPreviousKeyNeedsItsOwnVersionAndAnEndDate() {
        assertThatThrownBy(() -> config("previous.key.vault.reference", "${vault.old}", "previous.key.id", "1",
                "previous.claim.until", "2030-01-01").validateStatic()).hasMessageContaining("must differ");
        assertThatThrownBy(() -> config("previous.key.vault.reference", "${vault.old}", "previous.key.id", "0")
                .validateStatic()).hasMessageContaining("a date (YYYY-MM-DD) is required");
        assertThatThrownBy(() -> config("previous.key.vault.reference", "${vault.old}", "previous.key.id", "0",
                "previous.claim.until", "soon").validateStatic()).hasMessageContaining("'soon' is not a date");
    }

    @Test
    void thePreviousIdentifierIsEmittedThroughTheWholeLastDayInUtc() {
        IdentifierMapperConfig config = config("previous.key.vault.reference", "${vault.old}", "previous.key.id", "0",
                "previous.claim.until", "2030-01-01");
        long lastDayEvening = LocalDate.of(2030, 1, 1).atTime(23, 59).toInstant(ZoneOffset.UTC).toEpochMilli();
        long nextDay = LocalDate.of(2030, 1, 2).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();

        assertThat(config.emitsPreviousAt(lastDayEvening)).isTrue();
        assertThat(config.emitsPreviousAt(nextDay)).isFalse();
        assertThat(new IdentifierMapperConfig(Map.of()).emitsPreviousAt(0)).isFalse();
    }

    private static IdentifierMapperConfig config(String... keyValues) {
        Map<String, String> raw = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            raw.put(keyValues[i], keyValues[i + 1]);
        }
        return new IdentifierMapperConfig(raw);
    }
}
