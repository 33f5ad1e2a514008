package io.github.customerauth.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.Config;

/** A provider's server options as read once at start: the one reader of every feature's {@link ServerOption}s. */
public record ServerSettings(List<ServerOption> options, Map<String, Long> values) {

    /** Stops Keycloak with the option's name when a value is not a whole number in its bounds. */
    public static ServerSettings read(Config.Scope config, String cliPrefix, List<ServerOption> options) {
        Map<String, Long> values = new LinkedHashMap<>();
        options.forEach(option -> values.put(option.name(), option.read(config, cliPrefix)));
        return new ServerSettings(List.copyOf(options), Map.copyOf(values));
    }

    public long get(ServerOption option) {
        return values.get(option.name());
    }

    public int getInt(ServerOption option) {
        return (int) Math.min(Integer.MAX_VALUE, get(option));
    }

    /** Every option's effective value, for {@code getOperationalInfo()}. */
    public Map<String, String> describe() {
        return ServerOption.describe(options, values);
    }
}
