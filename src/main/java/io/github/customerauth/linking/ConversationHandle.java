package io.github.customerauth.linking;

import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.keycloak.events.Event;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The platform's handle of an anonymous conversation, which the chat app passes through the login as the
 * {@code conversation_handle} authorization request parameter, so that the session's {@code CODE_TO_TOKEN} webhook
 * tells the platform which conversation turned into this customer's. Keycloak keeps an unknown authorization
 * parameter as a note of the login and copies it to the client session. It is taken when the app redeems the code,
 * not at the login: anybody can send a customer a login link with a handle of their own, and a customer with a
 * single sign-on session would be logged in without a click; only the app that started the login holds the PKCE
 * verifier that redeems the code.
 */
final class ConversationHandle {

    private static final Logger LOG = Logger.getLogger(ConversationHandle.class);

    static final String PARAMETER = "conversation_handle";
    /** Keycloak's note name for an additional authorization request parameter. */
    private static final String NOTE = "client_request_param_" + PARAMETER;
    /**
     * An opaque handle of the platform: 16 to 128 URL-safe characters with at least one letter, so that neither an
     * account number nor anything with spaces or an at sign (a name, an email address) passes.
     */
    private static final Pattern VALID = Pattern.compile("(?=.*[A-Za-z])[A-Za-z0-9._~-]{16,128}");

    private ConversationHandle() {
    }

    /** The handle of the login, removed from its notes; null when none was passed or it is not valid. */
    static String take(KeycloakSession session, RealmModel realm, Event event) {
        String value = null;
        AuthenticationSessionModel login = session.getContext().getAuthenticationSession();
        if (login != null && login.getClientNote(NOTE) != null) {
            value = login.getClientNote(NOTE);
            login.removeClientNote(NOTE);
        }
        AuthenticatedClientSessionModel clientSession = clientSession(session, realm, event);
        if (clientSession != null && clientSession.getNote(NOTE) != null) {
            value = value == null ? clientSession.getNote(NOTE) : value;
            clientSession.removeNote(NOTE);
        }
        if (value == null) {
            return null;
        }
        if (!valid(value)) {
            LOG.debugf("A conversation handle passed to a login in realm %s was ignored: not 16 to 128 of A-Z a-z"
                    + " 0-9 . _ ~ - with a letter", realm.getName());
            return null;
        }
        return value;
    }

    static boolean valid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    private static AuthenticatedClientSessionModel clientSession(KeycloakSession session, RealmModel realm, Event event) {
        if (event.getSessionId() == null || event.getClientId() == null) {
            return null;
        }
        UserSessionModel userSession = session.sessions().getUserSession(realm, event.getSessionId());
        ClientModel client = realm.getClientByClientId(event.getClientId());
        return userSession == null || client == null ? null : userSession.getAuthenticatedClientSessionByClient(client.getId());
    }
}
