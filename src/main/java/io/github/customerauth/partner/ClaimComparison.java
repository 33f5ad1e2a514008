package io.github.customerauth.partner;

import java.util.Collection;
import java.util.Map;

/** Outcome of comparing one claim of a token with what a partner's SDK was given. */
final class ClaimComparison {

    static final String MATCH = "match";
    static final String MISMATCH = "mismatch";
    static final String ABSENT = "absent";
    static final String NOT_ALLOWED = "not_allowed";

    private ClaimComparison() {
    }

    /**
     * {@code not_allowed} for a claim the partner may not see (so comparison is no oracle for hidden data),
     * {@code absent} when the token lacks it; multi-valued claims match when they contain the value.
     */
    static String compare(Map<String, Object> visible, String claim, String expected, IdentifierClaims identifier) {
        if (!visible.containsKey(claim)) {
            return PartnerAnswers.isStandard(claim, identifier) ? ABSENT : NOT_ALLOWED;
        }
        Object actual = visible.get(claim);
        if (actual instanceof Collection<?> values) {
            return values.stream().anyMatch(v -> String.valueOf(v).equals(expected)) ? MATCH : MISMATCH;
        }
        return String.valueOf(actual).equals(expected) ? MATCH : MISMATCH;
    }
}
