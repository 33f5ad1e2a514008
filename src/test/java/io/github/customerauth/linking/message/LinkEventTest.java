package io.github.customerauth.linking.message;

import io.github.customerauth.linking.message.LinkEvent;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.keycloak.util.JsonSerialization;

import static org.assertj.core.api.Assertions.assertThat;

class LinkEventTest {

    @Test
    void theBodyHasTheDocumentedFieldsAndLeavesOutWhatIsUnknown() {
        LinkEvent login = new LinkEvent("e1", "LOGIN", 0, "customers", "v1.1.x", "web-chat", "s1", null);
        LinkEvent deleted = new LinkEvent("e2", "CUSTOMER_DELETED", 1000, "customers", "v1.1.x", null, null, null);

        assertThat(login.toJson(1_764_000_000_000_001L)).isEqualTo("{\"id\":\"e1\",\"type\":\"LOGIN\","
                + "\"seq\":1764000000000001,\"time\":\"1970-01-01T00:00:00Z\","
                + "\"realm\":\"customers\",\"customer_id\":\"v1.1.x\",\"channel\":\"web-chat\",\"session_id\":\"s1\"}");
        assertThat(deleted.toJson()).isEqualTo("{\"id\":\"e2\",\"type\":\"CUSTOMER_DELETED\",\"time\":\"1970-01-01T00:00:01Z\","
                + "\"realm\":\"customers\",\"customer_id\":\"v1.1.x\"}");
    }

    @Test
    void theBodyIsAsciiAndReadsBackAsWritten() throws Exception {
        LinkEvent login = new LinkEvent("e1", "LOGIN", 0, "kunden-zürich", "v1.1.x", "chat-\u00e9\u4e2d\ud83d\ude00", "s1", null);

        String json = login.toJson();

        assertThat(json).matches("\\p{ASCII}*").contains("kunden-z\\u00FCrich");
        var parsed = JsonSerialization.readValue(json, Map.class);
        assertThat(parsed).containsEntry("realm", "kunden-zürich").containsEntry("channel", "chat-\u00e9\u4e2d\ud83d\ude00");
    }

    @Test
    void theLongestNamesKeycloakAllowsFitTheOutboxColumn() {
        String worst = "\u0001".repeat(255);
        LinkEvent longest = new LinkEvent(UUID.randomUUID().toString(), "CUSTOMER_IDENTIFIER_CHANGED",
                Long.MAX_VALUE / 1000, worst, "v1.1." + "x".repeat(60), worst, "s".repeat(64), "v1.1." + "y".repeat(60));

        assertThat(longest.toJson(Long.MAX_VALUE).length()).isLessThanOrEqualTo(LinkEvent.MAX_JSON_LENGTH);
    }
}
