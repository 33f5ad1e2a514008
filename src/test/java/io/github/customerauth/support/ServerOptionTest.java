package io.github.customerauth.support;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerOptionTest {

    private static final ServerOption TIMEOUT = new ServerOption("timeout-ms", 5_000, 100, "Total time.");
    private static final ServerOption RUNS = new ServerOption("runs", 4, 1, "Runs at once.");

    @Test
    void absentOrBlankMeansTheDefault() {
        assertThat(TIMEOUT.read(scope(Map.of()), "--x--")).isEqualTo(5_000);
        assertThat(TIMEOUT.read(scope(Map.of("timeout-ms", " ")), "--x--")).isEqualTo(5_000);
        assertThat(TIMEOUT.read(scope(Map.of("timeout-ms", " 250 ")), "--x--")).isEqualTo(250);
    }

    @Test
    void aValueUnderTheBoundOrNotANumberStopsWithTheOptionsName() {
        for (String bad : List.of("99", "0", "-1", "soon", "1.5")) {
            assertThatThrownBy(() -> TIMEOUT.read(scope(Map.of("timeout-ms", bad)), "--spi-x--y--"))
                    .as(bad).hasMessage("--spi-x--y--timeout-ms must be a whole number from 100, not '" + bad + "'");
        }
    }

    @Test
    void metadataKeepsTheDeclarationOrderWithDefaults() {
        List<ProviderConfigProperty> metadata = ServerOption.metadata(List.of(TIMEOUT, RUNS));

        assertThat(metadata).extracting(ProviderConfigProperty::getName).containsExactly("timeout-ms", "runs");
        assertThat(metadata).extracting(ProviderConfigProperty::getDefaultValue).containsExactly("5000", "4");
        assertThat(ServerOption.describe(List.of(TIMEOUT, RUNS), Map.of("timeout-ms", 250L, "runs", 4L)))
                .containsExactly(Map.entry("timeout-ms", "250"), Map.entry("runs", "4"));
    }

    /** Only get(name) is read: a dynamic proxy is enough. */
    private static Config.Scope scope(Map<String, String> values) {
        return (Config.Scope) Proxy.newProxyInstance(Config.Scope.class.getClassLoader(), new Class<?>[] {Config.Scope.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "get" -> values.get((String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
