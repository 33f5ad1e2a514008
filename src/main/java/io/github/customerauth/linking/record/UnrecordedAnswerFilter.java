package io.github.customerauth.linking.record;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransactionManager;
import org.keycloak.utils.KeycloakSessionUtil;

/**
 * Withholds a successful answer whose customer message Keycloak is about to roll back. A Hibernate statement that
 * failed during the request (one of the listener's, a lock wait cut short, a failover; or one of Keycloak's own) marks
 * the transaction rollback-only, and Keycloak then rolls it back at the end of the request without an error and
 * sends the answer it built: tokens, a login's redirect, a logout's or an admin's confirmation, with no message
 * committed. A request in which the listener recorded (or failed to record) a customer's message instead gets
 * {@code 503 temporarily_unavailable}: JSON, or a short page for a browser; a login's redirect to its client becomes
 * the OAuth error redirect ({@link AuthorizationErrorRedirect}). A client starts the request again (a code
 * exchange, whose code Keycloak has used up already, starts a new login). Keycloak closes the session in a response
 * filter of priority 1; response filters run from the highest priority down, so this one runs before it. Error
 * answers are left as Keycloak made them.
 */
@Provider
@Priority(UnrecordedAnswerFilter.PRIORITY)
public final class UnrecordedAnswerFilter implements ContainerResponseFilter {

    static final int PRIORITY = 5_000;
    private static final Logger LOG = Logger.getLogger(UnrecordedAnswerFilter.class);
    private static final String MESSAGE_EXPECTED = UnrecordedAnswerFilter.class.getName();
    private static final String JSON = "{\"error\":\"temporarily_unavailable\",\"error_description\":"
            + "\"The request was not completed and nothing of it was kept\"}";
    private static final String PAGE = "<!DOCTYPE html><html><head><title>Temporarily unavailable</title></head>"
            + "<body><p>The request was not completed and nothing of it was kept. Please start again.</p></body></html>";

    /** The answer to this request stands for a customer's message written in its transaction. */
    static void messageExpected(KeycloakSession session) {
        messageExpected(session, null);
    }

    /**
     * The same, for a login whose redirect to {@code redirectUri} (the one Keycloak validated for it; null for
     * anything else) becomes the OAuth error redirect if the login is rolled back.
     */
    static void messageExpected(KeycloakSession session, String redirectUri) {
        session.setAttribute(MESSAGE_EXPECTED, redirectUri == null ? Boolean.TRUE : redirectUri);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() >= 400) {
            return;
        }
        KeycloakSession session = KeycloakSessionUtil.getKeycloakSession();
        Object expected = session == null ? null : session.getAttribute(MESSAGE_EXPECTED);
        if (expected == null) {
            return;
        }
        KeycloakTransactionManager transaction = session.getTransactionManager();
        if (!transaction.isActive() || !transaction.getRollbackOnly()) {
            return;
        }
        response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
        Optional<String> errorRedirect = response.getStatus() / 100 == 3 && expected instanceof String loginRedirect
                ? AuthorizationErrorRedirect.of(response.getHeaderString(HttpHeaders.LOCATION), loginRedirect)
                : Optional.empty();
        LOG.errorf("A %d answer in realm %s withheld: Keycloak rolls its transaction back, with the customer's message;"
                + " the client gets %s", response.getStatus(), realmName(session),
                errorRedirect.isPresent() ? "an error redirect (" + AuthorizationErrorRedirect.ERROR + ")" : "503");
        if (errorRedirect.isPresent()) {
            response.getHeaders().putSingle(HttpHeaders.LOCATION, errorRedirect.get());
            return;
        }
        response.setStatus(503);
        response.getHeaders().remove(HttpHeaders.LOCATION);
        if (fromBrowser(request)) {
            response.setEntity(PAGE, response.getEntityAnnotations(), MediaType.TEXT_HTML_TYPE);
        } else {
            response.setEntity(JSON, response.getEntityAnnotations(), MediaType.APPLICATION_JSON_TYPE);
        }
    }

    private static boolean fromBrowser(ContainerRequestContext request) {
        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        return accept != null && accept.contains(MediaType.TEXT_HTML);
    }

    private static String realmName(KeycloakSession session) {
        return session.getContext().getRealm() == null ? "(none)" : session.getContext().getRealm().getName();
    }
}
