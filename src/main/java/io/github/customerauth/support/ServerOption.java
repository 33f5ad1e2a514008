package io.github.customerauth.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * One server option ({@code --spi-<spi>--<provider>--<name>}), declared once: name, default, lower bound and help.
 * The factory's {@code getConfigMetadata}, the parsing with a clear error and the operational info all come from
 * the declaration, in declaration order.
 */
public record ServerOption(String name, long defaultValue, long min, String help) {

    /** The value given at start, or the default; a value that is not a whole number from {@code min} stops Keycloak. */
    public long read(Config.Scope config, String cliPrefix) {
        String raw = config.get(name);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(raw.strip());
            if (value >= min) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(cliPrefix + name + " must be a whole number from " + min + ", not '" + raw + "'");
    }

    /** Metadata for {@code getConfigMetadata()}, in the order given. */
    public static List<ProviderConfigProperty> metadata(List<ServerOption> options) {
        ProviderConfigurationBuilder builder = ProviderConfigurationBuilder.create();
        for (ServerOption option : options) {
            builder.property().name(option.name()).type(ProviderConfigProperty.STRING_TYPE)
                    .helpText(option.help() + " Default " + option.defaultValue() + ".")
                    .defaultValue(String.valueOf(option.defaultValue())).add();
        }
        return builder.build();
    }

    /** Every option's effective value, for {@code getOperationalInfo()}. */
    public static Map<String, String> describe(List<ServerOption> options, Map<String, Long> values) {
        Map<String, String> info = new LinkedHashMap<>();
        options.forEach(option -> info.put(option.name(), String.valueOf(values.get(option.name()))));
        return info;
    }
}
