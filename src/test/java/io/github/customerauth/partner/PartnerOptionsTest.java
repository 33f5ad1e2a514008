package io.github.customerauth.partner;

import io.github.customerauth.support.ReadmeOptionTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.keycloak.provider.ProviderConfigProperty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class PartnerOptionsTest {

    @Test
    void theReferenceTableIsTheDeclarations() throws Exception {
        assertThat(Files.readString(Path.of("docs/reference.md"))).contains(ReadmeOptionTable.of(
                PartnerResourceProviderFactory.OPTIONS, PartnerResourceProviderFactory.CLI_PREFIX));
    }

    @Test
    void everyOptionIsListedInTheServerInfoInDeclarationOrderWithItsDefault() {
        assertThat(new PartnerResourceProviderFactory().getConfigMetadata())
                .extracting(ProviderConfigProperty::getName, ProviderConfigProperty::getDefaultValue)
                .containsExactly(tuple("max-request-bytes", "16384"),
                        tuple("requests-per-second", "0"));
    }
}
