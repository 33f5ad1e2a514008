package io.github.customerauth.support;

import java.util.List;

/** The reference's table of a provider's server options (Markdown), built from the declarations it must match. */
public final class ReadmeOptionTable {

    private ReadmeOptionTable() {
    }

    public static String of(List<ServerOption> options, String cliPrefix) {
        StringBuilder table = new StringBuilder("| Option | CLI | Default | Minimum | Description |\n"
                + "| --- | --- | --- | --- | --- |\n");
        for (ServerOption option : options) {
            table.append("| `").append(option.name()).append("` | `").append(cliPrefix).append(option.name())
                    .append("` | `").append(option.defaultValue()).append("` | `").append(option.min()).append("` | ")
                    .append(option.help()).append(" |\n");
        }
        return table.toString();
    }
}
