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
        Map<String, Object> visible = new LinkedHashMap<>();
        putIfPresent(visible, "exp", token.getExp());
        putIfPresent(visible, "iat", token.getIat());
        putIfPresent(visible, "client_id", token.getIssuedFor());
        putIfPresent(visible, "token_type", token.getType());
        putIfPresent(visible, "scope", token.getScope() == null || token.getScope().isBlank() ? null : token.getScope());
        putIfPresent(visible, "sid", token.getSessionId());
        ClaimReader claims = new ClaimReader(token);
        if (identifier.current() != null) {
            putIfPresent(visible, identifier.current(), claims.get(identifier.current()));
            putIfPresent(visible, identifier.previous(), claims.get(identifier.previous()));
        }
        for (String extra : policy.extraClaims()) {
            if (!isStandard(extra, identifier)) {
                putIfPresent(visible, extra, claims.get(extra));
            }
        }
        return visible;
    }

    /**
     * A token's claims by name: mappers' claims straight from the token, the token's own fields (such as {@code acr})
     * from its JSON form, which is built only when such a field is asked for.
     */
    private static final class ClaimReader {
        private final AccessToken token;
        private Map<String, Object> all;

        ClaimReader(AccessToken token) {
            this.token = token;
        }

        Object get(String claim) {
            if (claim == null) {
                return null;
            }
            Object value = token.getOtherClaims().get(claim);
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                return value;
            }
            if (value != null) {
                // A JSON-typed mapper's claim is a Jackson node: plain lists and maps, as the token's JSON form gives.
                return JsonSerialization.mapper.convertValue(value, Object.class);
            }
            if (all == null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> json = JsonSerialization.mapper.convertValue(token, Map.class);
                all = json;
            }
            return all.get(claim);
        }
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
