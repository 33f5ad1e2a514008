package io.github.customerauth.privacy;

import io.github.customerauth.identifier.CustomerIdentifierMapper;
import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.ScratchRealm;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access-token privacy report tells the truth: for every client of a realm that receives the customer identifier,
 * it lists exactly the mappers whose claims a token holder finds in the access token, at userinfo or at Keycloak's
 * introspection, plus the username Keycloak's introspection adds when nothing withholds it. The mappers are made
 * through the admin API, a partial import, an inline client representation and an optional client scope, each with
 * every combination of the token keys that Keycloak reads.
 */
@ExtendWith(KeycloakSuite.class)
class PrivacyReportTruthIT {

    static final String REALM = "privacy-truth";
    static final String USER = "pat";
    static final String WITHHELD = "withheld";
    static final String INTROSPECTOR = "introspector";
    static final String INTROSPECTOR_SECRET = "introspector-secret-test-only";
    /** How the report names the username that Keycloak's introspection endpoint adds. */
    static final String INTROSPECTION_USERNAME = "username added by Keycloak's introspection endpoint";
    /** The identifier mapper's claim when its config names none. */
    static final String IDENTIFIER_DEFAULT_CLAIM = "customer_id";
    static final Set<String> IMPERSONAL_CLAIMS = Set.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "typ", "azp",
            "sid", "session_state", "scope", "acr", "allowed-origins", "realm_access", "resource_access", "auth_time",
            "active", "client_id", "token_type");
    static final String ACCESS_TOKEN = "access token";
    static final String USERINFO = "userinfo";
    static final String INTROSPECTION = "introspection";

    /** A combination of the token keys, and where Keycloak then shows the mapper's claim to a token holder. */
    record Keys(String name, Map<String, String> config, Set<String> places) {
    }

    static final List<Keys> COMBINATIONS = List.of(
            new Keys("access-only", Map.of("access.token.claim", "true"), Set.of(ACCESS_TOKEN, INTROSPECTION)),
            new Keys("id-only", Map.of("id.token.claim", "true"), Set.of(USERINFO)),
            new Keys("access-false", Map.of("access.token.claim", "false"), Set.of()),
            new Keys("introspection-only", Map.of("introspection.token.claim", "true"), Set.of(INTROSPECTION)),
            new Keys("userinfo-only", Map.of("userinfo.token.claim", "true"), Set.of(USERINFO)),
            new Keys("all-false", Map.of("access.token.claim", "false", "id.token.claim", "false",
                    "introspection.token.claim", "false", "userinfo.token.claim", "false"), Set.of()),
            new Keys("no-keys", Map.of(), Set.of()));

    KeycloakServer server;
    /** Every personal claim this test made a mapper for, with that mapper's keys. */
    final Map<String, Keys> made = new TreeMap<>();

    @Test
    void theReportListsExactlyTheMappersWhoseClaimsReachATokenHolder() {
        server = KeycloakSuite.server();
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        ScratchRealm.create(server, admin, REALM, Map.of("customer-id-key", KeycloakSuite.VECTOR_KEY), Map.of(),
                Map.of());
        try {
            createClients(admin);
            compareReportWithTokens(AdminApi.asBootstrapAdmin(server));
        } finally {
            AdminApi.asBootstrapAdmin(server).delete("/admin/realms/" + REALM);
        }
    }

    /**
     * {@code app} (the scratch realm's) and {@code quiet-channel} receive the identifier and nothing personal reaches
     * their token holders; {@code api-channel} and {@code imported-channel} receive it with personal claims, the
     * latter through its own identifier mapper, so without the withheld introspection username.
     */
    private void createClients(AdminApi admin) {
        String realm = "/admin/realms/" + REALM;
        String identifierScope = (String) admin.getJsonList(realm + "/client-scopes").stream()
                .filter(scope -> "customer-identifier".equals(scope.get("name"))).findFirst().orElseThrow().get("id");
        AdminApi.createdId(admin.post(realm + "/client-scopes/" + identifierScope + "/protocol-mappers/models", Map.of(
                "name", "username withheld from introspection", "protocol", "openid-connect",
                "protocolMapper", "oidc-hardcoded-claim-mapper", "config", Map.of("claim.name", "username",
                        "claim.value", WITHHELD, "jsonType.label", "String", "introspection.token.claim", "true",
                        "access.token.claim", "false", "id.token.claim", "false", "userinfo.token.claim", "false"))));
        AdminApi.createdId(admin.post(realm + "/client-scopes", Map.of("name", "extras", "protocol", "openid-connect",
                "attributes", Map.of("include.in.token.scope", "true"),
                "protocolMappers", mappers("scope", "firstName", COMBINATIONS))));
        String apiChannel = AdminApi.createdId(admin.post(realm + "/clients",
                client("api-channel", List.of("customer-identifier"), List.of("extras"), List.of())));
        for (Map<String, Object> mapper : mappers("api", "phone", COMBINATIONS)) {
            AdminApi.createdId(admin.post(realm + "/clients/" + apiChannel + "/protocol-mappers/models", mapper));
        }
        AdminApi.createdId(admin.post(realm + "/clients", client("quiet-channel", List.of("customer-identifier"),
                List.of(), mappers("inline", "lastName", COMBINATIONS.stream()
                        .filter(keys -> keys.places().isEmpty()).toList()))));

        List<Map<String, Object>> imported = new ArrayList<>(mappers("import", "email", COMBINATIONS));
        imported.add(Map.of("name", "imported identifier", "protocol", "openid-connect",
                "protocolMapper", CustomerIdentifierMapper.PROVIDER_ID,
                "config", Map.of("access.token.claim", "true")));
        Map<String, Object> importedChannel = client("imported-channel", List.of(), List.of(), imported);
        importedChannel.put("publicClient", false);
        importedChannel.put("secret", "imported-channel-secret-test-only");
        HttpResponse<String> partial = admin.post(realm + "/partialImport", Map.of("ifResourceExists", "FAIL",
                "clients", List.of(importedChannel), "users", List.of(Map.of("username", USER, "enabled", true,
                        "email", USER + "@truth.example.test", "firstName", "Pat", "lastName", "Truth",
                        "attributes", Map.of("accountNumber", List.of("55550001"), "phone", List.of("+1 555 0100")),
                        "credentials", List.of(Map.of("type", "password", "value", ScratchRealm.PASSWORD,
                                "temporary", false))))));
        assertThat(partial.statusCode()).as(partial.body()).isEqualTo(200);
        // Keycloak lets a client introspect only tokens whose audience names it, unless it is allowed otherwise.
        AdminApi.createdId(admin.post(realm + "/clients", Map.of("clientId", INTROSPECTOR, "protocol", "openid-connect",
                "publicClient", false, "secret", INTROSPECTOR_SECRET, "standardFlowEnabled", false,
                "attributes", Map.of("allow.token.introspection.without.audience.check", "true"))));
    }

    private void compareReportWithTokens(AdminApi admin) {
        String realm = "/admin/realms/" + REALM;
        Map<String, Set<String>> listed = new TreeMap<>();
        for (Map<String, Object> entry : admin.getJsonList(realm + "/customer-identifiers/access-token-privacy")) {
            listed.put((String) entry.get("clientId"), list(entry.get("personalMappers")).stream()
                    .map(mapper -> (String) mapper.get("mapper")).collect(Collectors.toCollection(TreeSet::new)));
        }
        Map<String, List<Map<String, Object>>> scopeMappers = admin.getJsonList(realm + "/client-scopes").stream()
                .collect(Collectors.toMap(scope -> (String) scope.get("name"),
                        scope -> list(scope.get("protocolMappers"))));
        Map<String, Set<String>> seen = new TreeMap<>();
        Map<String, Set<String>> reached = new TreeMap<>();
        Map<String, String> mappersOf = new TreeMap<>();
        for (Map<String, Object> client : admin.getJsonList(realm + "/clients")) {
            List<Map<String, Object>> applied = new ArrayList<>(list(client.get("protocolMappers")));
            Stream.concat(strings(client.get("defaultClientScopes")), strings(client.get("optionalClientScopes")))
                    .forEach(scope -> applied.addAll(scopeMappers.getOrDefault(scope, List.of())));
            if ("openid-connect".equals(client.get("protocol")) && applied.stream()
                    .anyMatch(mapper -> CustomerIdentifierMapper.PROVIDER_ID.equals(mapper.get("protocolMapper")))) {
                String clientId = (String) client.get("clientId");
                reached.put(clientId, reachingMappers(admin, client, applied, seen));
                mappersOf.put(clientId, describe(applied));
            }
        }

        assertThat(reached.keySet()).as("clients that receive the identifier")
                .containsExactlyInAnyOrder("app", "api-channel", "imported-channel", "quiet-channel");
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(listed.keySet()).as("clients in the report").isSubsetOf(reached.keySet())
                .doesNotContain("app", "quiet-channel");
        reached.forEach((clientId, truth) -> softly.assertThat(listed.getOrDefault(clientId, Set.of()))
                .as("%s: the report's mappers vs. those whose claims reached a token holder; its mappers: %s",
                        clientId, mappersOf.get(clientId))
                .containsExactlyInAnyOrderElementsOf(truth));
        made.forEach((claim, keys) -> softly.assertThat(seen.getOrDefault(claim, Set.of()))
                .as("where a token holder found claim %s (%s)", claim, keys.config()).isEqualTo(keys.places()));
        softly.assertThat(reached.get("imported-channel")).as("Keycloak's introspection username, seen")
                .contains(INTROSPECTION_USERNAME);
        softly.assertAll();
    }

    /**
     * The names of the mappers whose claims a holder of the client's access token gets, from the token itself, from
     * userinfo and from Keycloak's introspection; {@code seen} collects where each personal claim was found.
     */
    private Set<String> reachingMappers(AdminApi admin, Map<String, Object> client, List<Map<String, Object>> applied,
                                        Map<String, Set<String>> seen) {
        String clientId = (String) client.get("clientId");
        String scope = Stream.concat(Stream.of("openid"), strings(client.get("optionalClientScopes")))
                .collect(Collectors.joining(" "));
        Map<String, String> form = new HashMap<>(Map.of("grant_type", "password", "client_id", clientId,
                "username", USER, "password", ScratchRealm.PASSWORD, "scope", scope));
        if (Boolean.FALSE.equals(client.get("publicClient"))) {
            form.put("client_secret", (String) admin.getJson("/admin/realms/" + REALM + "/clients/" + client.get("id")
                    + "/client-secret").get("value"));
        }
        HttpResponse<String> grant = Http.grant(endpoint("token"), form);
        assertThat(grant.statusCode()).as("%s: password grant %s", clientId, grant.body()).isEqualTo(200);
        String accessToken = (String) Http.json(grant.body()).get("access_token");
        HttpResponse<String> userInfo = Http.send(HttpRequest.newBuilder(URI.create(endpoint("userinfo")))
                .header("Authorization", "Bearer " + accessToken).GET().build());
        HttpResponse<String> introspection = Http.postForm(endpoint("token/introspect"), Map.of("token", accessToken,
                "client_id", INTROSPECTOR, "client_secret", INTROSPECTOR_SECRET));
        assertThat(List.of(userInfo.statusCode(), introspection.statusCode())).as("%s: userinfo and introspection",
                clientId).containsOnly(200);
        Map<String, Object> introspected = Http.json(introspection.body());
        assertThat(introspected.get("active")).as("%s: active at introspection", clientId).isEqualTo(true);

        Set<String> impersonal = new HashSet<>(IMPERSONAL_CLAIMS);
        Map<String, String> mapperOfClaim = new HashMap<>();
        for (Map<String, Object> mapper : applied) {
            Map<String, Object> config = map(mapper.get("config"));
            if (CustomerIdentifierMapper.PROVIDER_ID.equals(mapper.get("protocolMapper"))) {
                impersonal.add((String) config.getOrDefault("claim.name", IDENTIFIER_DEFAULT_CLAIM));
            } else if (config.get("claim.name") != null) {
                mapperOfClaim.put((String) config.get("claim.name"), (String) mapper.get("name"));
            }
        }
        Set<String> reaching = new TreeSet<>();
        Map<String, Map<String, Object>> answers = Map.of(ACCESS_TOKEN, Http.claims(accessToken),
                USERINFO, Http.json(userInfo.body()), INTROSPECTION, introspected);
        answers.forEach((place, claims) -> claims.forEach((claim, value) -> {
            if (impersonal.contains(claim) || ("username".equals(claim) && WITHHELD.equals(value))) {
                return;
            }
            seen.computeIfAbsent(claim, any -> new TreeSet<>()).add(place);
            reaching.add(INTROSPECTION.equals(place) && "username".equals(claim) ? INTROSPECTION_USERNAME
                    : mapperOfClaim.getOrDefault(claim, "(no mapper of this client writes " + claim + ")"));
        }));
        return reaching;
    }

    /** One personal mapper per combination, each with a claim of its own, so that a claim names its mapper. */
    private List<Map<String, Object>> mappers(String way, String userField, List<Keys> combinations) {
        return combinations.stream().map(keys -> {
            String claim = way + "_" + keys.name().replace('-', '_');
            made.put(claim, keys);
            Map<String, String> config = new HashMap<>(keys.config());
            config.putAll(Map.of("claim.name", claim, "user.attribute", userField, "jsonType.label", "String"));
            return Map.<String, Object>of("name", way + " " + keys.name(), "protocol", "openid-connect",
                    "protocolMapper", "email".equals(userField) ? "oidc-usermodel-property-mapper"
                            : "oidc-usermodel-attribute-mapper", "config", config);
        }).toList();
    }

    private static Map<String, Object> client(String clientId, List<String> defaultScopes, List<String> optionalScopes,
                                              List<Map<String, Object>> mappers) {
        Map<String, Object> client = new HashMap<>(Map.of("clientId", clientId, "protocol", "openid-connect",
                "publicClient", true, "directAccessGrantsEnabled", true, "standardFlowEnabled", false,
                "defaultClientScopes", defaultScopes, "optionalClientScopes", optionalScopes));
        if (!mappers.isEmpty()) {
            client.put("protocolMappers", mappers);
        }
        return client;
    }

    /** The client's personal mappers with their token keys as Keycloak stored them, for a readable failure. */
    private String describe(List<Map<String, Object>> applied) {
        return applied.stream().filter(mapper -> made.containsKey(
                        String.valueOf(map(mapper.get("config")).get("claim.name"))))
                .map(mapper -> {
                    Map<String, Object> keys = new TreeMap<>(map(mapper.get("config")));
                    keys.keySet().removeIf(key -> !key.endsWith("token.claim"));
                    return mapper.get("name") + " " + keys;
                }).sorted().collect(Collectors.joining("; "));
    }

    private String endpoint(String path) {
        return server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/" + path;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object json) {
        return json == null ? Map.of() : (Map<String, Object>) json;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object json) {
        return json == null ? List.of() : (List<Map<String, Object>>) json;
    }

    @SuppressWarnings("unchecked")
    private static Stream<String> strings(Object json) {
        return json == null ? Stream.empty() : ((List<String>) json).stream();
    }
}
