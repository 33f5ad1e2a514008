package io.github.customerauth.partner;

import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.keycloak.models.ClientModel;

/**
 * What one partner client may see, from the partner client's attributes (set in the realm export or with the admin
 * REST API):
 * <ul>
 *   <li>{@code customer-auth.partner.channels}: channel client ids whose tokens the partner may introspect,
 *       comma-separated; tokens that name the partner in {@code aud} are allowed as well;</li>
 *   <li>{@code customer-auth.partner.claims}: extra token claims the partner receives (e.g. {@code email});</li>
 *   <li>{@code customer-auth.partner.profile}: user-profile attributes the partner may read;</li>
 *   <li>{@code customer-auth.partner.requests-per-second}: this partner's limit, a whole number from 1, overriding
 *       the server default. Anything else (0, negative, not a number) is a misconfiguration: the partner's calls are
 *       refused until it is fixed, rather than running without a limit.</li>
 * </ul>
 */
record PartnerPolicy(String partnerClientId, Set<String> channels, Set<String> extraClaims, Set<String> profileFields,
                     Integer requestsPerSecond, boolean limitMisconfigured) {

    static final String CHANNELS = "customer-auth.partner.channels";
    static final String CLAIMS = "customer-auth.partner.claims";
    static final String PROFILE = "customer-auth.partner.profile";
    static final String REQUESTS_PER_SECOND = "customer-auth.partner.requests-per-second";

    private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");

    static PartnerPolicy of(ClientModel partner) {
        String limit = partner.getAttribute(REQUESTS_PER_SECOND);
        Integer perSecond = limit == null || limit.isBlank() ? null : positiveOrNull(limit.strip());
        return new PartnerPolicy(partner.getClientId(), list(partner.getAttribute(CHANNELS)),
                list(partner.getAttribute(CLAIMS)), list(partner.getAttribute(PROFILE)), perSecond,
                limit != null && !limit.isBlank() && perSecond == null);
    }

    private static Integer positiveOrNull(String limit) {
        try {
            int value = Integer.parseInt(limit);
            return value >= 1 ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Set<String> list(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(SEPARATORS.split(value)).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }
}
