package io.github.customerauth.linking;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.util.JsonSerialization;

/**
 * What the platform is told: event id (the idempotency key), type, time, realm, opaque identifier, channel, session.
 * Nothing personal.
 */
record LinkEvent(String id, String type, long timeMillis, String realm, String customerId, String channel,
                 String sessionId, String previousCustomerId) {

    String toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("type", type);
        body.put("time", Instant.ofEpochMilli(timeMillis).toString());
        body.put("realm", realm);
        body.put("customer_id", customerId);
        if (channel != null) {
            body.put("channel", channel);
        }
        if (sessionId != null) {
            body.put("session_id", sessionId);
        }
        if (previousCustomerId != null) {
            body.put("previous_customer_id", previousCustomerId);
        }
        try {
            return JsonSerialization.writeValueAsString(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
