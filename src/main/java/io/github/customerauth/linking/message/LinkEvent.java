package io.github.customerauth.linking.message;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.util.JsonSerialization;

/**
 * What the platform is told: event id (the idempotency key), type, time, realm, opaque identifier, channel, session;
 * when the app redeems a login's code, the platform's own anonymous conversation handle if the chat app passed one.
 * Nothing personal.
 */
public record LinkEvent(String id, String type, long timeMillis, String realm, String customerId, String channel,
                 String sessionId, String previousCustomerId, String conversationHandle) {

    public LinkEvent(String id, String type, long timeMillis, String realm, String customerId, String channel,
              String sessionId, String previousCustomerId) {
        this(id, type, timeMillis, realm, customerId, channel, sessionId, previousCustomerId, null);
    }

    /**
     * The outbox column's size. Realm names and client ids are at most 255 characters in Keycloak and anything
     * outside ASCII is written as a JSON escape of six characters, and a conversation handle is at most 128 ASCII
     * characters, so a body is at most about 3,600 characters,
     * which are also bytes in any database's encoding.
     */
    public static final int MAX_JSON_LENGTH = 4000;

    private static final com.fasterxml.jackson.databind.ObjectWriter ASCII_JSON = JsonSerialization.mapper.writer()
            .with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII);

    /**
     * The customer whose order the message takes its place in: the identifier, or the one it replaced when the
     * customer's identifier was removed.
     */
    public String orderingCustomerId() {
        return customerId != null ? customerId : previousCustomerId;
    }

    /** A message without a place in a customer's order (the admin's test message). */
    public String toJson() {
        return toJson(null);
    }

    /**
     * @param seq the message's number in its customer's order ({@code seq}): increasing per customer (realm and
     *            {@code customer_id}, or {@code previous_customer_id} when the identifier was removed)
     */
    public String toJson(Long seq) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("type", type);
        if (seq != null) {
            body.put("seq", seq);
        }
        body.put("time", Instant.ofEpochMilli(timeMillis).toString());
        body.put("realm", realm);
        if (customerId != null) {
            body.put("customer_id", customerId);
        }
        if (channel != null) {
            body.put("channel", channel);
        }
        if (sessionId != null) {
            body.put("session_id", sessionId);
        }
        if (previousCustomerId != null) {
            body.put("previous_customer_id", previousCustomerId);
        }
        if (conversationHandle != null) {
            body.put("conversation_handle", conversationHandle);
        }
        try {
            String json = ASCII_JSON.writeValueAsString(body);
            if (json.length() > MAX_JSON_LENGTH) {
                throw new IllegalArgumentException("webhook body of " + json.length() + " characters, over "
                        + MAX_JSON_LENGTH + ": a realm name or client id longer than Keycloak allows");
            }
            return json;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
