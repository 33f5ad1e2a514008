package io.github.customerauth.partner;

import io.github.customerauth.support.WarnOnce;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Objects;
import org.jboss.logging.Logger;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.utils.AuthorizeClientUtil;

/**
 * What every partner request passes before an endpoint looks at it, in this order: a form body of a known length
 * within {@code max-request-bytes}, each parameter once, client authentication, the {@code customer-partner} role on
 * an enabled service account, a well-formed own limit, and the partner's rate limit. Each refusal is a 4xx with a
 * JSON body ({@link PartnerErrors}).
 */
final class PartnerRequestGate {

    private static final Logger LOG = Logger.getLogger(PartnerRequestGate.class);

    private final KeycloakSession session;
    private final RequestLimiter limiter;
    private final WarnOnce warnings;
    private final int maxRequestBytes;
    private final int defaultRequestsPerSecond;

    PartnerRequestGate(KeycloakSession session, RequestLimiter limiter, WarnOnce warnings, int maxRequestBytes,
                       int defaultRequestsPerSecond) {
        this.session = session;
        this.limiter = limiter;
        this.warnings = warnings;
        this.maxRequestBytes = maxRequestBytes;
        this.defaultRequestsPerSecond = defaultRequestsPerSecond;
    }

    /** An admitted partner, its form and the event its request is recorded by. */
    record Partner(ClientModel client, PartnerPolicy policy, MultivaluedMap<String, String> form, EventBuilder event) {
    }

    Partner admit(EventType type) {
        RealmModel realm = session.getContext().getRealm();
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection()).event(type);
        requireFormWithinLimit();
        MultivaluedMap<String, String> form = readForm();
        ClientModel partner = authenticate(event);
        PartnerPolicy policy = PartnerPolicy.of(partner);
        if (policy.limitMisconfigured()) {
            event.client(partner).error("invalid_partner_limit");
            if (warnings.first(realm.getId() + '/' + partner.getId() + "/limit")) {
                LOG.warnf("Partner %s of realm %s: client attribute %s is not a whole number from 1; its calls are "
                        + "refused until it is fixed", partner.getClientId(), realm.getName(),
                        PartnerPolicy.REQUESTS_PER_SECOND);
            }
            throw PartnerErrors.misconfiguredLimit();
        }
        int limit = Objects.requireNonNullElse(policy.requestsPerSecond(), defaultRequestsPerSecond);
        if (!limiter.tryAcquire(realm.getId() + '/' + partner.getId(), limit, System.nanoTime())) {
            throw PartnerErrors.tooManyRequests();
        }
        return new Partner(partner, policy, form, event);
    }

    /**
     * The form, or a 400: Keycloak's parser can throw on input it does not expect, and a parameter given twice is
     * ambiguous (which one would client authentication have read?).
     */
    private MultivaluedMap<String, String> readForm() {
        MultivaluedMap<String, String> form;
        try {
            form = session.getContext().getHttpRequest().getDecodedFormParameters();
        } catch (RuntimeException e) {
            // Not the exception: its message may quote the body, secrets included.
            LOG.debugf("Partner request with an unreadable form (%s)", e.getClass().getSimpleName());
            throw PartnerErrors.invalidRequest("The request body is not a readable form.");
        }
        for (List<String> values : form.values()) {
            if (values.size() != 1) {
                throw PartnerErrors.invalidRequest("Each parameter may be given once.");
            }
        }
        return form;
    }

    private void requireFormWithinLimit() {
        HttpHeaders headers = session.getContext().getRequestHeaders();
        MediaType type;
        try {
            type = headers.getMediaType();
        } catch (RuntimeException malformed) {
            throw PartnerErrors.unsupportedMediaType();
        }
        if (type == null || !MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(type)) {
            throw PartnerErrors.unsupportedMediaType();
        }
        List<String> lengths = headers.getRequestHeader(HttpHeaders.CONTENT_LENGTH);
        if (lengths == null || lengths.isEmpty()) {
            throw PartnerErrors.lengthRequired();
        }
        try {
            if (lengths.size() != 1 || Long.parseLong(lengths.get(0).strip()) > maxRequestBytes) {
                throw PartnerErrors.tooLarge(maxRequestBytes);
            }
        } catch (NumberFormatException e) {
            throw PartnerErrors.invalidRequest("Content-Length is not a number.");
        }
    }

    private ClientModel authenticate(EventBuilder event) {
        ClientModel client;
        try {
            client = AuthorizeClientUtil.authorizeClient(session, event, null).getClient();
        } catch (RuntimeException e) {
            LOG.debugf("Partner client authentication failed (%s)", e.getClass().getSimpleName());
            throw PartnerErrors.invalidClient();
        }
        if (client == null || client.isPublicClient() || client.isBearerOnly()) {
            throw PartnerErrors.invalidClient();
        }
        RoleModel role = session.getContext().getRealm().getRole(PartnerResource.PARTNER_ROLE);
        UserModel serviceAccount = session.users().getServiceAccount(client);
        if (role == null || serviceAccount == null || !serviceAccount.hasRole(role)) {
            event.client(client).error(Errors.NOT_ALLOWED);
            throw PartnerErrors.notAPartner();
        }
        if (!serviceAccount.isEnabled()) {
            // Keycloak's client-credentials grant refuses a disabled service account; so do the partner endpoints.
            event.client(client).error(Errors.USER_DISABLED);
            throw PartnerErrors.serviceAccountDisabled();
        }
        return client;
    }
}
