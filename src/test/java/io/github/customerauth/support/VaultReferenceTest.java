package io.github.customerauth.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VaultReferenceTest {

    @Test
    void lineBreaksAtTheEndOfAVaultFileAreNotPartOfTheSecret() {
        assertThat(VaultReference.withoutLineBreaksAtEnd("s3cret\n")).isEqualTo("s3cret");
        assertThat(VaultReference.withoutLineBreaksAtEnd("s3cret\r\n\n")).isEqualTo("s3cret");
        assertThat(VaultReference.withoutLineBreaksAtEnd("s3cret")).isEqualTo("s3cret");
        assertThat(VaultReference.withoutLineBreaksAtEnd("\ns3cret \n")).as("only line breaks, only at the end")
                .isEqualTo("\ns3cret ");
        assertThat(VaultReference.withoutLineBreaksAtEnd("\n")).isEmpty();
        assertThat(VaultReference.withoutLineBreaksAtEnd(null)).isNull();
    }

    @Test
    void onlyAWholeVaultExpressionIsAReference() {
        assertThat(VaultReference.isReference("${vault.webhook-secret}")).isTrue();
        assertThat(VaultReference.isReference("webhook-secret")).isFalse();
        assertThat(VaultReference.isReference("${vault.a}${vault.b}x")).isFalse();
        assertThat(VaultReference.isReference(null)).isFalse();
    }
}
