package io.github.customerauth.partner;

import jakarta.ws.rs.core.Response;
import org.keycloak.services.ErrorResponseException;

/** OAuth-style JSON errors ({@code {"error","error_description"}}) for the partner endpoints. */
final class PartnerErrors {

    private PartnerErrors() {
    }

    static ErrorResponseException invalidRequest(String description) {
        return new ErrorResponseException("invalid_request", description, Response.Status.BAD_REQUEST);
    }

    static ErrorResponseException unsupportedMediaType() {
        return new ErrorResponseException("invalid_request",
                "Content-Type must be application/x-www-form-urlencoded.", Response.Status.UNSUPPORTED_MEDIA_TYPE);
    }

    static ErrorResponseException tooLarge(int limit) {
        return new ErrorResponseException("invalid_request", "The request body is larger than " + limit + " bytes.",
                Response.Status.REQUEST_ENTITY_TOO_LARGE);
    }

    static ErrorResponseException lengthRequired() {
        return new ErrorResponseException("invalid_request", "A Content-Length header is required.",
                Response.Status.LENGTH_REQUIRED);
    }

    static ErrorResponseException invalidClient() {
        return new ErrorResponseException("invalid_client", "Client authentication failed.", Response.Status.UNAUTHORIZED);
    }

    static ErrorResponseException notAPartner() {
        return new ErrorResponseException("access_denied", "This client does not have the partner role.",
                Response.Status.FORBIDDEN);
    }

    static ErrorResponseException serviceAccountDisabled() {
        return new ErrorResponseException("access_denied", "This partner's service account is disabled.",
                Response.Status.FORBIDDEN);
    }

    static ErrorResponseException misconfiguredLimit() {
        return new ErrorResponseException("access_denied", "This partner's request limit is misconfigured "
                + "(customer-auth.partner.requests-per-second must be a whole number from 1); an admin must fix it.",
                Response.Status.FORBIDDEN);
    }

    static ErrorResponseException tooManyRequests() {
        return new ErrorResponseException("too_many_requests", "Request limit for this partner exceeded; retry later.",
                Response.Status.TOO_MANY_REQUESTS);
    }
}
