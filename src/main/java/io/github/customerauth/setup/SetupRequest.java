package io.github.customerauth.setup;

import io.github.customerauth.identifier.IdentifierSetup;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What an admin asks the setup for: the channel clients that receive the identifier, the partner client (created
 * when absent) and, optionally, the identifier's attribute, key, key version and claim name.
 */
record SetupRequest(List<String> channels, String partner, IdentifierSetup.Choice identifier) {

    static final String EXAMPLE = "{\"channels\":[\"web-chat\",\"ios-app\"],\"partner\":\"partner-backend\"}";
    private static final Set<String> FIELDS = Set.of("channels", "partner", "accountNumberAttribute", "key", "keyId",
            "claimName");
    private static final int MAX_CHANNELS = 100;
    /** Client ids the partner's channel list can hold (it is split at commas and spaces). */
    private static final Pattern CLIENT_ID = Pattern.compile("[^\\s,]{1,200}");
    /** The partner's id also names its audience scope. */
    private static final Pattern PARTNER_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    /** Keycloak's rule for user-profile attribute names. */
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Set<String> PROFILE_FIELDS = Set.of("username", "email", "firstName", "lastName");
    private static final Set<String> TOKEN_CLAIMS = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "azp",
            "sid", "typ", "scope", "acr", "amr", "auth_time", "nonce", "session_state", "at_hash", "c_hash",
            "client_id", "username", "email", "name", "preferred_username", "realm_access", "resource_access",
            "allowed-origins", "cnf", "active", "token_type");

    /** @throws IllegalArgumentException with what is wrong, for a 400 */
    static SetupRequest parse(Map<String, Object> body) {
        if (body == null) {
            throw new IllegalArgumentException("The body must be a JSON object such as " + EXAMPLE + ".");
        }
        for (String field : body.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("Unknown field '" + field + "'; the fields are " + String.join(", ",
                        new TreeSet<>(FIELDS)) + ".");
            }
        }
        List<String> channels = channels(body.get("channels"));
        String partner = text(body, "partner", true);
        if (!PARTNER_ID.matcher(partner).matches()) {
            throw new IllegalArgumentException(
                    "partner must be a client id of 1-100 letters, digits, '.', '_' or '-'.");
        }
        if (channels.stream().anyMatch(partner::equalsIgnoreCase)) {
            throw new IllegalArgumentException("'" + partner + "' cannot be both a channel and the partner.");
        }
        String attribute = text(body, "accountNumberAttribute", false);
        if (attribute != null && (!ATTRIBUTE.matcher(attribute).matches() || PROFILE_FIELDS.contains(attribute))) {
            throw new IllegalArgumentException("accountNumberAttribute must be a user-profile attribute name of 1-64 "
                    + "letters, digits, '.', '_' or '-', and not one of " + new TreeSet<>(PROFILE_FIELDS) + ".");
        }
        String claim = text(body, "claimName", false);
        if (claim != null && TOKEN_CLAIMS.contains(claim)) {
            throw new IllegalArgumentException("claimName '" + claim + "' is a claim Keycloak or OAuth already uses; "
                    + "choose another, such as customer_id.");
        }
        return new SetupRequest(channels, partner, new IdentifierSetup.Choice(attribute, text(body, "key", false),
                text(body, "keyId", false), claim));
    }

    private static List<String> channels(Object value) {
        if (!(value instanceof List<?> list) || list.isEmpty() || list.size() > MAX_CHANNELS) {
            throw new IllegalArgumentException("channels must be a list of 1 to " + MAX_CHANNELS
                    + " client ids, such as [\"web-chat\",\"ios-app\"].");
        }
        Set<String> channels = new LinkedHashSet<>();
        for (Object item : list) {
            if (!(item instanceof String clientId) || !CLIENT_ID.matcher(clientId).matches()) {
                throw new IllegalArgumentException("channels must hold client ids (1-200 characters, no spaces or "
                        + "commas).");
            }
            channels.add(clientId);
        }
        return new ArrayList<>(channels);
    }

    private static String text(Map<String, Object> body, String field, boolean required) {
        Object value = body.get(field);
        if (value == null && !required) {
            return null;
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException(field + " must be a non-empty string"
                    + (required ? " (required)." : "."));
        }
        return text;
    }
}
