package io.github.customerauth.linking;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.customerauth.support.ServerOption;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LinkingSettingsTest {

    @Test
    void theReadmeTableIsTheDeclarations() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        StringBuilder table = new StringBuilder("| Option | CLI | Default | Minimum | Description |\n"
                + "| --- | --- | --- | --- | --- |\n");
        for (ServerOption option : LinkingSettings.OPTIONS) {
            table.append("| `").append(option.name()).append("` | `").append(LinkingSettings.CLI_PREFIX)
                    .append(option.name()).append("` | `").append(option.defaultValue()).append("` | `")
                    .append(option.min()).append("` | ").append(option.help()).append(" |\n");
        }

        assertThat(readme).contains(table);
    }

    @Test
    void everyOptionIsListedInTheServerInfoInDeclarationOrder() {
        assertThat(new LinkingEventListenerFactory().getConfigMetadata())
                .extracting(property -> property.getName())
                .containsExactlyElementsOf(LinkingSettings.OPTIONS.stream().map(ServerOption::name).toList());
    }
}
