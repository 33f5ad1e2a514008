package io.github.customerauth.partner;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.keycloak.representations.AccessToken;
import org.keycloak.util.JsonSerialization;

/** What partners are told about a token: RFC 7662 fields, the opaque identifier, and only allowed extras. */
final class PartnerAnswers {

    private static final Set<String> STANDARD = Set.of("active", "exp", "iat", "client_id", "token_type", "scope", "sid");

    private PartnerAnswers() {
    }

    static boolean isStandard(String claim, IdentifierClaims identifier) {
        return STANDARD.contains(claim) || identifier.isIdentifier(claim);
    }

    static Map<String, Object> inactive() {
        return Map.of("active", false);
    }

    /** The introspection answer for an active token. */
    static Map<String, Object> active(AccessToken token, PartnerPolicy policy, IdentifierClaims identifier) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("active", true);
        visibleClaims(token, policy, identifier).forEach(answer::putIfAbsent);
        return answer;
    }

    /** Every claim the partner may see or compare: the standard set, plus its configured extras. */
    static Map<String, Object> visibleClaims(AccessToken token, PartnerPolicy policy, IdentifierClaims identifier) {
        @SuppressWarnings("unchecked")
        Map<String, Object> all = JsonSerialization.mapper.convertValue(token, Map.class);
        Map<String, Object> visible = new LinkedHashMap<>();
        putIfPresent(visible, "exp", token.getExp());
        putIfPresent(visible, "iat", token.getIat());
        putIfPresent(visible, "client_id", token.getIssuedFor());
        putIfPresent(visible, "token_type", token.getType());
        putIfPresent(visible, "scope", token.getScope() == null || token.getScope().isBlank() ? null : token.getScope());
        putIfPresent(visible, "sid", token.getSessionId());
        if (identifier.current() != null) {
            putIfPresent(visible, identifier.current(), all.get(identifier.current()));
            putIfPresent(visible, identifier.previous(), all.get(identifier.previous()));
        }
        for (String extra : policy.extraClaims()) {
            if (!isStandard(extra, identifier)) {
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
