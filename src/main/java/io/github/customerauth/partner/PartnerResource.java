package io.github.customerauth.partner;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import io.github.customerauth.identifier.IdentifierDerivation;
import io.github.customerauth.linking.CustomerLinks;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.utils.AuthorizeClientUtil;

/** {@code /realms/{realm}/partner}: what a partner backend may ask about a customer's token. */
public final class PartnerResource {

    public static final String PARTNER_ROLE = "customer-partner";
    static final String FORM = MediaType.APPLICATION_FORM_URLENCODED;
    static final String EXPECTED_PREFIX = "expected.";

    private final KeycloakSession session;
    private final RequestLimiter limiter;
    private final int maxRequestBytes;
    private final int defaultRequestsPerSecond;

    PartnerResource(KeycloakSession session, RequestLimiter limiter, int maxRequestBytes, int defaultRequestsPerSecond) {
        this.session = session;
        this.limiter = limiter;
        this.maxRequestBytes = maxRequestBytes;
        this.defaultRequestsPerSecond = defaultRequestsPerSecond;
    }

    /** RFC 7662 introspection; RFC 9701 JWT answer with {@code Accept: application/token-introspection+jwt}. */
    @POST
    @Path("introspect")
    public Response introspect() {
        Call call = begin();
        Map<String, Object> answer = call.activeToken()
                .map(active -> PartnerAnswers.active(active.token(), call.policy()))
                .orElseGet(PartnerAnswers::inactive);
        if (IntrospectionJwt.isRequested(session)) {
            return IntrospectionJwt.response(session, call.partner(), answer);
        }
        return json(answer);
    }

    /** Compares the token's claims with {@code expected.<claim>} form fields; values are never echoed. */
    @POST
    @Path("compare")
    public Response compare() {
        Call call = begin();
        Map<String, String> expected = new LinkedHashMap<>();
        call.form().forEach((name, values) -> {
            if (name.startsWith(EXPECTED_PREFIX) && name.length() > EXPECTED_PREFIX.length()) {
                expected.put(name.substring(EXPECTED_PREFIX.length()), values.get(0));
            }
        });
        if (expected.isEmpty()) {
            throw PartnerErrors.invalidRequest("Give at least one expected.<claim> field, e.g. expected.customer_id.");
        }
        Optional<PartnerTokenCheck.ActiveToken> active = call.activeToken();
        if (active.isEmpty()) {
            return json(PartnerAnswers.inactive());
        }
        Map<String, Object> visible = PartnerAnswers.visibleClaims(active.get().token(), call.policy());
        Map<String, String> results = new LinkedHashMap<>();
        expected.forEach((claim, value) -> results.put(claim, ClaimComparison.compare(visible, claim, value)));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("active", true);
        answer.put("match", results.values().stream().allMatch(ClaimComparison.MATCH::equals));
        answer.put("claims", results);
        return json(answer);
    }

    /** The customer's profile fields this partner is allowed to read, for an active token. */
    @POST
    @Path("profile")
    public Response profile() {
        Call call = begin();
        Optional<PartnerTokenCheck.ActiveToken> active = call.activeToken();
        if (active.isEmpty()) {
            return json(PartnerAnswers.inactive());
        }
        UserModel user = active.get().user();
        Map<String, Object> profile = new LinkedHashMap<>();
        for (String field : call.policy().profileFields().stream().sorted().toList()) {
            Object value = ProfileFields.read(user, field);
            if (value != null) {
                profile.put(field, value);
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("active", true);
        Object identifier = PartnerAnswers.visibleClaims(active.get().token(), call.policy()).get(PartnerAnswers.IDENTIFIER_CLAIM);
        if (identifier != null) {
            answer.put(PartnerAnswers.IDENTIFIER_CLAIM, identifier);
        }
        answer.put("profile", profile);
        return json(answer);
    }

    /** A customer's links across channels and sessions, by opaque identifier ({@code customer_id}), paged. */
    @POST
    @Path("links")
    public Response links() {
        Partner partner = authenticated();
        String customerId = partner.form().getFirst("customer_id");
        if (IdentifierDerivation.keyIdOf(customerId) == null) {
            throw PartnerErrors.invalidRequest("customer_id must be a customer identifier (v1.<key version>.<value>).");
        }
        int first = intParameter(partner.form(), "first", 0, 0, Integer.MAX_VALUE);
        int max = intParameter(partner.form(), "max", 50, 1, CustomerLinks.MAX_PAGE);
        return json(CustomerLinks.page(session, session.getContext().getRealm(), customerId, first, max));
    }

    /** Checks the request, authenticates the partner, applies its limit, and checks the token field. */
    private Call begin() {
        Partner partner = authenticated();
        String token = partner.form().getFirst("token");
        if (token == null || token.isBlank()) {
            throw PartnerErrors.invalidRequest("The token parameter is required.");
        }
        return new Call(partner.client(), partner.policy(), partner.form(),
                new PartnerTokenCheck(session, partner.policy()).check(token, partner.event()));
    }

    private Partner authenticated() {
        RealmModel realm = session.getContext().getRealm();
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.INTROSPECT_TOKEN);
        requireFormWithinLimit();
        ClientModel partner = authenticate(event);
        PartnerPolicy policy = PartnerPolicy.of(partner);
        int limit = Objects.requireNonNullElse(policy.requestsPerSecond(), defaultRequestsPerSecond);
        if (!limiter.tryAcquire(realm.getId() + '/' + partner.getId(), limit, System.nanoTime())) {
            throw PartnerErrors.tooManyRequests();
        }
        MultivaluedMap<String, String> form = session.getContext().getHttpRequest().getDecodedFormParameters();
        for (List<String> values : form.values()) {
            if (values.size() != 1) {
                throw PartnerErrors.invalidRequest("Each parameter may be given once.");
            }
        }
        return new Partner(partner, policy, form, event);
    }

    private static int intParameter(MultivaluedMap<String, String> form, String name, int fallback, int min, int max) {
        String raw = form.getFirst(name);
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw PartnerErrors.invalidRequest(name + " must be a whole number from " + min + " to " + max + ".");
    }

    private void requireFormWithinLimit() {
        HttpHeaders headers = session.getContext().getRequestHeaders();
        MediaType type = headers.getMediaType();
        if (type == null || !MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(type)) {
            throw PartnerErrors.unsupportedMediaType();
        }
        String length = headers.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            throw PartnerErrors.lengthRequired();
        }
        try {
            if (Long.parseLong(length.strip()) > maxRequestBytes) {
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
            throw PartnerErrors.invalidClient();
        }
        if (client == null || client.isPublicClient() || client.isBearerOnly()) {
            throw PartnerErrors.invalidClient();
        }
        RoleModel role = session.getContext().getRealm().getRole(PARTNER_ROLE);
        UserModel serviceAccount = session.users().getServiceAccount(client);
        if (role == null || serviceAccount == null || !serviceAccount.hasRole(role)) {
            throw PartnerErrors.notAPartner();
        }
        return client;
    }

    private static Response json(Map<String, Object> body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
    }

    private record Partner(ClientModel client, PartnerPolicy policy, MultivaluedMap<String, String> form,
                           EventBuilder event) {
    }

    private record Call(ClientModel partner, PartnerPolicy policy, MultivaluedMap<String, String> form,
                        Optional<PartnerTokenCheck.ActiveToken> activeToken) {
    }

}
