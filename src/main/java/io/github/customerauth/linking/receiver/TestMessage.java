package io.github.customerauth.linking.receiver;

import io.github.customerauth.linking.message.LinkEvent;
import io.github.customerauth.linking.message.MessageType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The admin's test message: a {@code TEST} message signed as the receiver's messages are and sent at once, outside
 * the outbox, enabled receiver or not; what the receiver answered. Asked for through the admin REST API or by the
 * console page's "send a test message when saved" switch.
 */
public record TestMessage(String eventId, String problem, int status, String answer, long millis, long sentAt) {

    private static final long TIMEOUT_MILLIS = 5_000;

    /** @param maxAnswer how much of the receiver's answer to keep, in characters */
    public static TestMessage send(KeycloakSession session, RealmModel realm, Webhook webhook, int maxAnswer) {
        long now = System.currentTimeMillis();
        WebhookTarget target = WebhookTarget.resolve(session, realm, webhook);
        if (target.problem() != null) {
            return new TestMessage(null, target.problem(), 0, null, 0, now);
        }
        LinkEvent message = new LinkEvent(UUID.randomUUID().toString(), MessageType.TEST, now, realm.getName(), null, null, null,
                null);
        WebhookSender sender = new WebhookSender(session.getProvider(HttpClientProvider.class).getHttpClient(),
                TIMEOUT_MILLIS);
        WebhookSender.Answer answer = sender.sendTest(message.id(), message.toJson(), target, maxAnswer);
        return new TestMessage(message.id(), answer.problem(), answer.status(), answer.body(), answer.millis(), now);
    }

    public boolean sent() {
        return eventId != null;
    }

    boolean accepted() {
        return sent() && problem == null && status / 100 == 2;
    }

    /** The REST action's answer. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sent", sent());
        if (!sent()) {
            json.put("problem", problem);
            return json;
        }
        json.put("event_id", eventId);
        json.put("accepted", accepted());
        if (problem != null) {
            json.put("problem", problem);
        } else {
            json.put("status", status);
            json.put("answer", answer);
        }
        json.put("millis", millis);
        return json;
    }

    /**
     * One line for the console page, stored in the component's config: the receiver's answer without control
     * characters (a NUL makes PostgreSQL refuse the save) or characters outside the Basic Multilingual Plane (MySQL's
     * {@code utf8} refuses those).
     */
    String summary() {
        return printable(rawSummary());
    }

    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.append(Character.isISOControl(c) ? " "
                : Character.isBmpCodePoint(c) && !Character.isSurrogate((char) c) ? String.valueOf((char) c) : "?"));
        return out.toString();
    }

    private String rawSummary() {
        String when = Instant.ofEpochMilli(sentAt).toString();
        if (!sent()) {
            return when + ": not sent: " + problem;
        }
        String outcome = problem != null ? problem
                : "status " + status + (answer == null || answer.isBlank() ? "" : ", answer: " + answer.strip());
        return when + ": " + (accepted() ? "accepted" : "not accepted") + ", " + outcome + " (" + millis + " ms, event "
                + eventId + ")";
    }
}
