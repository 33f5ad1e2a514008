package io.github.customerauth.partner;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Arrays;
import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.error.KeycloakErrorHandler;

/**
 * Keycloak parses a form body before any resource method runs, and its parser throws on bad percent-encoding, an
 * unknown charset or too many parameters, which Keycloak answers with 500. For the partner endpoints such a body
 * is the caller's error: 400 {@code invalid_request}. Every other exception, and every other path, is answered by
 * Keycloak's own error handler exactly as without this mapper.
 */
@Provider
public final class PartnerFormErrorMapper implements ExceptionMapper<RuntimeException> {

    private static final String FORM_PARSER = "org.jboss.resteasy.reactive.server.core.multipart.";

    @Context
    KeycloakSession session;

    @Context
    UriInfo uri;

    @Override
    public Response toResponse(RuntimeException exception) {
        if (isFormParserFailure(exception) && isPartnerPath()) {
            return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(Map.of("error", "invalid_request",
                            "error_description", "The request body is not a readable form."))
                    .build();
        }
        return KeycloakErrorHandler.getResponse(session, exception);
    }

    private static boolean isFormParserFailure(Throwable exception) {
        return Arrays.stream(exception.getStackTrace())
                .anyMatch(frame -> frame.getClassName().startsWith(FORM_PARSER));
    }

    private boolean isPartnerPath() {
        try {
            String path = uri.getPath();
            return path != null && path.matches("^/?realms/[^/]+/" + PartnerResourceProviderFactory.PROVIDER_ID + "/.*");
        } catch (RuntimeException noRequest) {
            return false;
        }
    }
}
