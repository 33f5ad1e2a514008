package io.github.customerauth.partner;

import io.github.customerauth.identifier.CustomerIdentifiers;
import io.github.customerauth.identifier.IdentifierDerivation;
import io.github.customerauth.linking.store.CustomerLinks;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * {@code /realms/{realm}/partner}: what a partner backend may ask about a customer's token. Every answer about a
 * customer is recorded as a Keycloak event of the realm ({@code INTROSPECT_TOKEN} for introspection and comparison,
 * {@code USER_INFO_REQUEST} for profile and links) naming the partner, the customer and the channel.
 */
public final class PartnerResource {

    public static final String PARTNER_ROLE = "customer-partner";
    static final String EXPECTED_PREFIX = "expected.";
    static final String OPERATION = "partner_operation";
    static final String CUSTOMER = "customer_id";
    static final String CHANNEL = "channel";
    static final String PROFILE_FIELDS = "profile_fields";

    private final KeycloakSession session;
    private final PartnerRequestGate gate;

    PartnerResource(KeycloakSession session, PartnerRequestGate gate) {
        this.session = session;
        this.gate = gate;
    }

    /** RFC 7662 introspection; RFC 9701 JWT answer with {@code Accept: application/token-introspection+jwt}. */
    @POST
    @Path("introspect")
    public Response introspect() {
        Call call = begin(EventType.INTROSPECT_TOKEN);
        Map<String, Object> answer = call.activeToken()
                .map(active -> {
                    audit(call, active, "introspect").success();
                    return PartnerAnswers.active(active.token(), call.policy(), call.identifier());
                })
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
        Call call = begin(EventType.INTROSPECT_TOKEN);
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
        Map<String, Object> visible = PartnerAnswers.visibleClaims(active.get().token(), call.policy(), call.identifier());
        Map<String, String> results = new LinkedHashMap<>();
        expected.forEach((claim, value) -> results.put(claim,
                ClaimComparison.compare(visible, claim, value, call.identifier())));
        audit(call, active.get(), "compare").success();
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
        Call call = begin(EventType.USER_INFO_REQUEST);
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
        audit(call, active.get(), "profile").detail(PROFILE_FIELDS, String.join(",", profile.keySet())).success();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("active", true);
        call.identifier().currentName()
                .map(name -> PartnerAnswers.visibleClaims(active.get().token(), call.policy(), call.identifier()).get(name))
                .ifPresent(identifier -> answer.put(call.identifier().current(), identifier));
        answer.put("profile", profile);
        return json(answer);
    }

    /**
     * A customer's links, by opaque identifier ({@code customer_id}), paged: only those on the partner's channels,
     * as for tokens.
     */
    @POST
    @Path("links")
    public Response links() {
        PartnerRequestGate.Partner partner = gate.admit(EventType.USER_INFO_REQUEST);
        String customerId = partner.form().getFirst("customer_id");
        if (IdentifierDerivation.keyIdOf(customerId) == null) {
            throw PartnerErrors.invalidRequest("customer_id must be a customer identifier (v1.<key version>.<value>).");
        }
        int first = intParameter(partner.form(), "first", 0, 0, Integer.MAX_VALUE);
        int max = intParameter(partner.form(), "max", 50, 1, CustomerLinks.MAX_PAGE);
        RealmModel realm = session.getContext().getRealm();
        Map<String, Object> page = CustomerLinks.pageOnChannels(session, realm, customerId, partner.policy().channels(),
                first, max);
        CustomerIdentifiers.userIdOf(session, realm, customerId).ifPresent(partner.event()::user);
        partner.event().client(partner.client()).detail(OPERATION, "links").detail(CUSTOMER, customerId)
                .detail(CHANNEL, String.join(",", partner.policy().channels().stream().sorted().toList())).success();
        return json(page);
    }

    /** The event of an answer about a customer: who asked (client), about whom (user, customer_id), from where. */
    private EventBuilder audit(Call call, PartnerTokenCheck.ActiveToken active, String operation) {
        EventBuilder event = call.event().client(call.partner()).user(active.user()).detail(OPERATION, operation)
                .detail(CHANNEL, active.token().getIssuedFor());
        if (active.token().getSessionId() != null) {
            event.session(active.token().getSessionId());
        }
        call.identifier().currentName().map(name -> active.token().getOtherClaims().get(name))
                .ifPresent(identifier -> event.detail(CUSTOMER, String.valueOf(identifier)));
        return event;
    }

    /** Checks the request, authenticates the partner, applies its limit, and checks the token field. */
    private Call begin(EventType type) {
        PartnerRequestGate.Partner partner = gate.admit(type);
        String token = partner.form().getFirst("token");
        if (token == null || token.isBlank()) {
            throw PartnerErrors.invalidRequest("The token parameter is required.");
        }
        Optional<PartnerTokenCheck.ActiveToken> active = new PartnerTokenCheck(session, partner.policy())
                .check(token, partner.event());
        // After the check, for an active token only: when the identifier mapper writes to introspection, the check's
        // mappers have resolved the realm's identifier for this request already.
        IdentifierClaims identifier = active.isPresent()
                ? IdentifierClaims.of(session, session.getContext().getRealm()) : IdentifierClaims.NONE;
        return new Call(partner.client(), partner.policy(), partner.form(), partner.event(), identifier, active);
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

    private static Response json(Map<String, Object> body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
    }

    private record Call(ClientModel partner, PartnerPolicy policy, MultivaluedMap<String, String> form,
                        EventBuilder event, IdentifierClaims identifier,
                        Optional<PartnerTokenCheck.ActiveToken> activeToken) {
    }
}
