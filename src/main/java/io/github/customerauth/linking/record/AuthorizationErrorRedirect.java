package io.github.customerauth.linking.record;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The OAuth error redirect (RFC 6749 4.1.2.1 and 4.2.2.1) that replaces a login's redirect to its client when the
 * login is rolled back: the same address, without what the login granted (code, tokens, session state, an action's
 * success), with {@code error=temporarily_unavailable}, and with everything else the client needs to recognise its
 * request ({@code state}, {@code iss}, the client's own parameters). An app's SDK, a silent {@code prompt=none}
 * renewal in an iframe included, then hears a retryable error instead of stranding the customer on a page of
 * Keycloak's.
 */
final class AuthorizationErrorRedirect {

    static final String ERROR = "temporarily_unavailable";
    private static final String DESCRIPTION = "The login was not completed; start it again";
    /** Where Keycloak puts a login's answer: a code, or tokens (implicit and hybrid flows). */
    private static final Set<String> ANSWER = Set.of("code", "access_token", "id_token");
    private static final Set<String> GRANTED = Set.of("code", "access_token", "id_token", "token_type", "expires_in",
            "refresh_token", "session_state", "kc_action_status");
    /** A JWT-secured answer (JARM) would need an error signed by the realm: such a login gets the plain 503. */
    private static final String SIGNED_RESPONSE = "response";

    private AuthorizationErrorRedirect() {
    }

    /**
     * The error redirect for {@code location}, the redirect of a login to {@code loginRedirectUri} (the redirect URI
     * Keycloak validated for the login); empty for any other redirect (a logout's, one of Keycloak's own pages), for
     * a signed answer, and for a redirect that carries no answer.
     */
    static Optional<String> of(String location, String loginRedirectUri) {
        if (location == null || loginRedirectUri == null || loginRedirectUri.isEmpty()
                || !location.startsWith(loginRedirectUri)) {
            return Optional.empty();
        }
        int hash = location.indexOf('#');
        String beforeFragment = hash < 0 ? location : location.substring(0, hash);
        String fragment = hash < 0 ? null : location.substring(hash + 1);
        int question = beforeFragment.indexOf('?');
        String base = question < 0 ? beforeFragment : beforeFragment.substring(0, question);
        String query = question < 0 ? null : beforeFragment.substring(question + 1);
        List<String> queryNames = names(query);
        List<String> fragmentNames = names(fragment);
        if (queryNames.contains(SIGNED_RESPONSE) || fragmentNames.contains(SIGNED_RESPONSE)) {
            return Optional.empty();
        }
        // Keycloak answers in the fragment when the client asked for it, else in the query; what the login granted
        // goes from both.
        boolean inFragment = fragmentNames.stream().anyMatch(ANSWER::contains);
        if (!inFragment && queryNames.stream().noneMatch(ANSWER::contains)) {
            return Optional.empty();
        }
        query = withoutGrants(query, !inFragment);
        fragment = withoutGrants(fragment, inFragment);
        return Optional.of(base + (query == null ? "" : "?" + query) + (fragment == null ? "" : "#" + fragment));
    }

    private static String withoutGrants(String parameters, boolean withError) {
        List<String> kept = new ArrayList<>();
        if (parameters != null) {
            for (String parameter : parameters.split("&")) {
                if (!parameter.isEmpty() && !GRANTED.contains(name(parameter))) {
                    kept.add(parameter);
                }
            }
        }
        if (withError) {
            kept.add("error=" + ERROR);
            // %20, not +: a fragment is read with decodeURIComponent, which leaves a + as it is.
            kept.add("error_description=" + URLEncoder.encode(DESCRIPTION, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return kept.isEmpty() ? null : String.join("&", kept);
    }

    private static List<String> names(String parameters) {
        List<String> names = new ArrayList<>();
        if (parameters != null) {
            for (String parameter : parameters.split("&")) {
                names.add(name(parameter));
            }
        }
        return names;
    }

    /** A name that does not decode matches nothing granted, and is kept as it came. */
    private static String name(String parameter) {
        int equals = parameter.indexOf('=');
        String raw = equals < 0 ? parameter : parameter.substring(0, equals);
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }
}
