package io.github.customerauth.identifier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;

/**
 * Which clients that receive the customer identifier would also put personal data into their access tokens, the
 * tokens a channel hands to the platform, or give it to whoever holds one (Keycloak's introspection and userinfo). Read from the same model Keycloak
 * evaluates: the client's own mappers and its default and optional client scopes. A mapper counts as personal unless
 * its type is known to carry none (subject id, roles, audience, origins, acr, hard-coded claims, the identifier).
 * Keycloak's introspection endpoint also adds the username, unless an impersonal mapper already set that claim.
 */
final class AccessTokenPrivacy {

    private static final Set<String> IMPERSONAL = Set.of(CustomerIdentifierMapper.PROVIDER_ID, "oidc-sub-mapper",
            "oidc-acr-mapper", "oidc-allowed-origins-mapper", "oidc-audience-mapper", "oidc-audience-resolve-mapper",
            "oidc-usermodel-realm-role-mapper", "oidc-usermodel-client-role-mapper", "oidc-role-name-mapper",
            "oidc-hardcoded-role-mapper", "oidc-hardcoded-claim-mapper", "oidc-amr-mapper");
    private static final Set<String> IMPERSONAL_SESSION_NOTES = Set.of("AUTH_TIME");

    private AccessTokenPrivacy() {
    }

    /** One entry per client holding the identifier whose access tokens could carry personal claims. */
    static List<Map<String, Object>> report(RealmModel realm) {
        List<Map<String, Object>> clients = new ArrayList<>();
        realm.getClientsStream().filter(client -> OIDCLoginProtocol.LOGIN_PROTOCOL.equals(client.getProtocol()))
                .filter(AccessTokenPrivacy::receivesIdentifier)
                .forEach(client -> {
                    List<Map<String, Object>> personal = new ArrayList<>(personalMappers(client));
                    if (!withholdsIntrospectionUsername(client)) {
                        personal.add(Map.of("scope", "(Keycloak's introspection)", "whenRequested", false,
                                "mapper", "username added by Keycloak's introspection endpoint", "type", "built-in"));
                    }
                    if (!personal.isEmpty()) {
                        Map<String, Object> entry = new LinkedHashMap<>();
                        entry.put("clientId", client.getClientId());
                        entry.put("personalMappers", personal);
                        clients.add(entry);
                    }
                });
        return clients;
    }

    private static boolean receivesIdentifier(ClientModel client) {
        return sources(client).anyMatch(source -> source.mapper().getProtocolMapper()
                .equals(CustomerIdentifierMapper.PROVIDER_ID));
    }

    /** The mappers whose personal claims reach a holder of the client's access tokens, with where each is kept. */
    static Stream<Source> personalSources(ClientModel client) {
        return sources(client).filter(source -> intoAccessToken(source.mapper()) && isPersonal(source.mapper()));
    }

    private static List<Map<String, Object>> personalMappers(ClientModel client) {
        return personalSources(client).map(source -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("scope", source.scope());
                    entry.put("whenRequested", source.optional());
                    entry.put("mapper", source.mapper().getName());
                    entry.put("type", source.mapper().getProtocolMapper());
                    return entry;
                }).toList();
    }

    /**
     * Keycloak's own introspection endpoint adds the username unless an introspection mapper already wrote a
     * {@code username} claim; the sample realm's identifier scope writes "withheld" there.
     */
    private static boolean withholdsIntrospectionUsername(ClientModel client) {
        return sources(client).filter(source -> !source.optional()).map(Source::mapper)
                .anyMatch(AccessTokenPrivacy::writesImpersonalUsername);
    }

    /** An impersonal mapper that writes the {@code username} claim for introspection, so Keycloak adds none. */
    static boolean writesImpersonalUsername(ProtocolMapperModel mapper) {
        return "username".equals(mapper.getConfig().get(OIDCAttributeMapperHelper.TOKEN_CLAIM_NAME))
                && inIntrospection(mapper.getConfig()) && IMPERSONAL.contains(mapper.getProtocolMapper());
    }

    /**
     * Into the access token, or into what its holder gets back for it: introspection and userinfo, by Keycloak's own
     * rules ({@code OIDCAttributeMapperHelper}): a mapper without the introspection key is introspected when it is in
     * the access token, and one without the userinfo key is in userinfo when it is in the ID token.
     */
    private static boolean intoAccessToken(ProtocolMapperModel mapper) {
        return reachesTokenHolder(mapper.getConfig());
    }

    static boolean reachesTokenHolder(Map<String, String> config) {
        return inAccessToken(config) || inIntrospection(config) || isTrue(config,
                OIDCAttributeMapperHelper.INCLUDE_IN_USERINFO, OIDCAttributeMapperHelper.INCLUDE_IN_ID_TOKEN);
    }

    private static boolean inAccessToken(Map<String, String> config) {
        return "true".equals(config.get(OIDCAttributeMapperHelper.INCLUDE_IN_ACCESS_TOKEN));
    }

    private static boolean inIntrospection(Map<String, String> config) {
        return isTrue(config, OIDCAttributeMapperHelper.INCLUDE_IN_INTROSPECTION,
                OIDCAttributeMapperHelper.INCLUDE_IN_ACCESS_TOKEN);
    }

    /** {@code key} is "true", or absent while {@code fallbackKey} is "true". */
    private static boolean isTrue(Map<String, String> config, String key, String fallbackKey) {
        String value = config.get(key);
        return value == null ? "true".equals(config.get(fallbackKey)) : "true".equals(value);
    }

    private static boolean isPersonal(ProtocolMapperModel mapper) {
        if ("oidc-usersessionmodel-note-mapper".equals(mapper.getProtocolMapper())) {
            return !IMPERSONAL_SESSION_NOTES.contains(mapper.getConfig().get("user.session.note"));
        }
        return !IMPERSONAL.contains(mapper.getProtocolMapper());
    }

    private static Stream<Source> sources(ClientModel client) {
        Stream<Source> own = client.getProtocolMappersStream().map(mapper -> new Source(null, false, mapper));
        Stream<Source> defaults = client.getClientScopes(true).values().stream()
                .flatMap(scope -> of(scope, false));
        Stream<Source> optional = client.getClientScopes(false).values().stream()
                .flatMap(scope -> of(scope, true));
        return Stream.of(own, defaults, optional).flatMap(s -> s);
    }

    private static Stream<Source> of(ClientScopeModel scope, boolean optional) {
        return scope.getProtocolMappersStream().map(mapper -> new Source(scope.getName(), optional, mapper));
    }

    /** A mapper and what holds it: the client itself ({@code scope} null) or one of its client scopes. */
    record Source(String scope, boolean optional, ProtocolMapperModel mapper) {
    }
}
