package io.github.customerauth.linking.delivery;

import io.github.customerauth.linking.LinkingEventListenerFactory;
import io.github.customerauth.linking.delivery.LinkingSettings;
import io.github.customerauth.support.ReadmeOptionTable;
import io.github.customerauth.support.ServerOption;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LinkingSettingsTest {

    @Test
    void theReferenceTableIsTheDeclarations() throws Exception {
        String reference = Files.readString(Path.of("docs/reference.md"));

        assertThat(reference).contains(ReadmeOptionTable.of(LinkingSettings.OPTIONS, LinkingSettings.CLI_PREFIX));
    }

    @Test
    void everyOptionIsListedInTheServerInfoInDeclarationOrder() {
        assertThat(new LinkingEventListenerFactory().getConfigMetadata())
                .extracting(property -> property.getName())
                .containsExactlyElementsOf(LinkingSettings.OPTIONS.stream().map(ServerOption::name).toList());
    }
}
