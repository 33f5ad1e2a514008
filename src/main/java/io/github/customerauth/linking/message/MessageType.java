package io.github.customerauth.linking.message;

import java.util.List;

/** The {@code type} of a webhook message: Keycloak's event types for sightings, and this extension's own. */
public final class MessageType {

    public static final String LOGIN = "LOGIN";
    public static final String CODE_TO_TOKEN = "CODE_TO_TOKEN";
    public static final String REFRESH_TOKEN = "REFRESH_TOKEN";
    public static final String TOKEN_EXCHANGE = "TOKEN_EXCHANGE";
    public static final String LOGOUT = "LOGOUT";
    public static final String SESSION_ENDED = "SESSION_ENDED";
    public static final String CUSTOMER_DELETED = "CUSTOMER_DELETED";
    public static final String IDENTIFIER_CHANGED = "CUSTOMER_IDENTIFIER_CHANGED";
    /** Only from the admin's test action, never chosen by a receiver. */
    public static final String TEST = "TEST";

    /** The types a receiver can choose from. */
    public static final List<String> CHOOSABLE = List.of(LOGIN, CODE_TO_TOKEN, REFRESH_TOKEN, TOKEN_EXCHANGE, LOGOUT,
            SESSION_ENDED, CUSTOMER_DELETED, IDENTIFIER_CHANGED);

    /**
     * One message per token refresh: a busy node's largest share of messages, and news only of a session the
     * platform already knows. Sent only to receivers that list it; links count every refresh whether or not a
     * receiver wants them.
     */
    public static final String ONLY_WHEN_LISTED = REFRESH_TOKEN;

    private MessageType() {
    }
}
