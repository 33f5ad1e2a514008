package io.github.customerauth.setup;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an admin sends the one-step setup, read or refused with a message that says what to change. */
class SetupRequestTest {

    @Test
    void channelsAndPartnerWithDefaultsForTheIdentifier() {
        SetupRequest request = SetupRequest.parse(Map.of("channels", List.of("web-chat", "ios-app", "web-chat"),
                "partner", "partner-backend"));
        assertThat(request.channels()).containsExactly("web-chat", "ios-app");
        assertThat(request.partner()).isEqualTo("partner-backend");
        assertThat(request.identifier().accountNumberAttribute()).isNull();
        assertThat(request.identifier().key()).isNull();
    }

    @Test
    void theIdentifiersChoices() {
        SetupRequest request = SetupRequest.parse(Map.of("channels", List.of("app"), "partner", "platform",
                "accountNumberAttribute", "customerNumber", "key", "${vault.id-key}", "keyId", "2027",
                "claimName", "cid"));
        assertThat(request.identifier().accountNumberAttribute()).isEqualTo("customerNumber");
        assertThat(request.identifier().key()).isEqualTo("${vault.id-key}");
        assertThat(request.identifier().keyId()).isEqualTo("2027");
        assertThat(request.identifier().claimName()).isEqualTo("cid");
    }

    @Test
    void whatIsRefused() {
        assertRefused(null, "JSON object");
        assertRefused(Map.of("partner", "p"), "channels must be a list");
        assertRefused(Map.of("channels", List.of(), "partner", "p"), "channels must be a list");
        assertRefused(Map.of("channels", "app", "partner", "p"), "channels must be a list");
        assertRefused(Map.of("channels", Collections.nCopies(101, "app"), "partner", "p"), "1 to 100");
        assertRefused(Map.of("channels", Arrays.asList("app", null), "partner", "p"), "client ids");
        assertRefused(Map.of("channels", List.of("app", 7), "partner", "p"), "client ids");
        assertRefused(Map.of("channels", List.of(" "), "partner", "p"), "client ids");
        assertRefused(Map.of("channels", List.of("app")), "partner must be a non-empty string (required)");
        assertRefused(Map.of("channels", List.of("app"), "partner", 3), "partner must be");
        assertRefused(Map.of("channels", List.of("app"), "partner", "app"), "both a channel and the partner");
        assertRefused(Map.of("channels", List.of("app"), "partner", "p", "key", ""), "key must be");
        assertRefused(Map.of("channels", List.of("app"), "partner", "p", "secret", "s"), "Unknown field 'secret'");
        Map<String, Object> nullKey = new HashMap<>(Map.of("channels", List.of("app"), "partner", "p"));
        nullKey.put("keyId", null);
        assertThat(SetupRequest.parse(nullKey).identifier().keyId()).as("null is the default").isNull();
    }

    private static void assertRefused(Map<String, Object> body, String message) {
        assertThatThrownBy(() -> SetupRequest.parse(body)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
