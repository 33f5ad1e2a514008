package io.github.customerauth.partner;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.keycloak.representations.AccessToken;
import org.keycloak.util.JsonSerialization;

/** What partners are told about a token: RFC 7662 fields, the opaque identifier, and only allowed extras. */
final class PartnerAnswers {

    static final String IDENTIFIER_CLAIM = "customer_id";
    static final String PREVIOUS_IDENTIFIER_CLAIM = "customer_id_previous";
    private static final Set<String> STANDARD = Set.of("active", "exp", "iat", "client_id", "token_type", "scope", "sid",
            IDENTIFIER_CLAIM, PREVIOUS_IDENTIFIER_CLAIM);

    private PartnerAnswers() {
    }

    static boolean isStandard(String claim) {
        return STANDARD.contains(claim);
    }

    static Map<String, Object> inactive() {
        return Map.of("active", false);
    }

    /** The introspection answer for an active token. */
    static Map<String, Object> active(AccessToken token, PartnerPolicy policy) {
        Map<String, Object> visible = visibleClaims(token, policy);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("active", true);
        visible.forEach(answer::putIfAbsent);
        return answer;
    }

    /** Every claim the partner may see or compare: the standard set, plus its configured extras. */
    static Map<String, Object> visibleClaims(AccessToken token, PartnerPolicy policy) {
        Map<String, Object> all = JsonSerialization.mapper.convertValue(token, Map.class);
        Map<String, Object> visible = new LinkedHashMap<>();
        putIfPresent(visible, "exp", token.getExp());
        putIfPresent(visible, "iat", token.getIat());
        putIfPresent(visible, "client_id", token.getIssuedFor());
        putIfPresent(visible, "token_type", token.getType());
        putIfPresent(visible, "scope", token.getScope() == null || token.getScope().isBlank() ? null : token.getScope());
        putIfPresent(visible, "sid", token.getSessionId());
        putIfPresent(visible, IDENTIFIER_CLAIM, all.get(IDENTIFIER_CLAIM));
        putIfPresent(visible, PREVIOUS_IDENTIFIER_CLAIM, all.get(PREVIOUS_IDENTIFIER_CLAIM));
        for (String extra : policy.extraClaims()) {
            if (!STANDARD.contains(extra)) {
                putIfPresent(visible, extra, all.get(extra));
            }
        }
        return visible;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
