package io.github.customerauth.identifier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CsvTest {

    @Test
    void quotesSeparatorsAndNeutralisesFormulas() {
        assertThat(Csv.row("id", "o'hara, \"jr\"", "=cmd()", null)).isEqualTo("id,\"o'hara, \"\"jr\"\"\",'=cmd(),\n");
    }

    @Test
    void leavesIdentifiersAlone() {
        assertThat(Csv.row("v1.1.sr5m95fFEb0qNN-wYIOGYaaIKz8")).isEqualTo("v1.1.sr5m95fFEb0qNN-wYIOGYaaIKz8\n");
    }
}
