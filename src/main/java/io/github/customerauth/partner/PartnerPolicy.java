package io.github.customerauth.partner;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientModel;

/**
 * What one partner client may see, from the partner client's attributes (set in the realm export or with the admin
 * REST API):
 * <ul>
 *   <li>{@code customer-auth.partner.channels}: channel client ids whose tokens the partner may introspect,
 *       comma-separated; tokens that name the partner in {@code aud} are allowed as well;</li>
 *   <li>{@code customer-auth.partner.claims}: extra token claims the partner receives (e.g. {@code email});</li>
 *   <li>{@code customer-auth.partner.profile}: user-profile attributes the partner may read;</li>
 *   <li>{@code customer-auth.partner.requests-per-second}: this partner's limit, overriding the server default.</li>
 * </ul>
 */
record PartnerPolicy(String partnerClientId, Set<String> channels, Set<String> extraClaims, Set<String> profileFields,
                     Integer requestsPerSecond) {

    private static final Logger LOG = Logger.getLogger(PartnerPolicy.class);
    static final String CHANNELS = "customer-auth.partner.channels";
    static final String CLAIMS = "customer-auth.partner.claims";
    static final String PROFILE = "customer-auth.partner.profile";
    static final String REQUESTS_PER_SECOND = "customer-auth.partner.requests-per-second";

    static PartnerPolicy of(ClientModel partner) {
        return new PartnerPolicy(partner.getClientId(), list(partner.getAttribute(CHANNELS)),
                list(partner.getAttribute(CLAIMS)), list(partner.getAttribute(PROFILE)), limit(partner));
    }

    /** The partner's own limit, or null for the server default (also when the attribute is not a number). */
    private static Integer limit(ClientModel partner) {
        String limit = partner.getAttribute(REQUESTS_PER_SECOND);
        if (limit == null || limit.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(limit.strip());
        } catch (NumberFormatException e) {
            LOG.warnf("Client %s: %s is not a number; the server default limit applies", partner.getClientId(),
                    REQUESTS_PER_SECOND);
            return null;
        }
    }

    private static Set<String> list(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.split("[,\\s]+")).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }
}
