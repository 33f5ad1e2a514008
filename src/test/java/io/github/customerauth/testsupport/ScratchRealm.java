package io.github.customerauth.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small realm of its own for a test that must change what the shared sample realm promises (its key, its
 * identifier mapper): one client scope with the identifier mapper, one confidential client {@value #CLIENT} with
 * direct grants, and the given customers (password {@value #PASSWORD}).
 */
public final class ScratchRealm {

    public static final String CLIENT = "app";
    public static final String SECRET = "app-secret-test-only";
    public static final String PASSWORD = "Test-only-1!";

    private final KeycloakServer server;
    private final String name;

    private ScratchRealm(KeycloakServer server, String name) {
        this.server = server;
        this.name = name;
    }

    /** Creates the realm; {@code vault} entries are written first, named as the file vault expects. */
    public static ScratchRealm create(KeycloakServer server, AdminApi admin, String name, Map<String, String> vault,
                                      Map<String, String> identifierConfig, Map<String, String> accountNumbers) {
        return create(server, admin, name, vault, identifierConfig, accountNumbers, Map.of());
    }

    /**
     * A realm that runs the customer-linking listener, with the suite's identifier key and webhook secret in the
     * vault, and these customers (username to account number).
     */
    public static ScratchRealm withLinking(KeycloakServer server, AdminApi admin, String name,
                                           Map<String, String> accountNumbers, Map<String, Object> realmSettings) {
        Map<String, Object> settings = new HashMap<>(realmSettings);
        settings.put("eventsListeners", List.of("customer-linking"));
        return create(server, admin, name, Map.of("customer-id-key", KeycloakSuite.VECTOR_KEY,
                "webhook-secret", KeycloakSuite.WEBHOOK_SECRET), Map.of(), accountNumbers, settings);
    }

    /** As above, with more realm settings (e.g. {@code ssoSessionIdleTimeout}, {@code eventsListeners}). */
    public static ScratchRealm create(KeycloakServer server, AdminApi admin, String name, Map<String, String> vault,
                                      Map<String, String> identifierConfig, Map<String, String> accountNumbers,
                                      Map<String, Object> realmSettings) {
        try {
            for (Map.Entry<String, String> entry : vault.entrySet()) {
                Files.writeString(server.vaultDir().resolve(name + "_" + entry.getKey()), entry.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new HashMap<>(Map.of("access.token.claim", "true", "id.token.claim", "true",
                "introspection.token.claim", "true", "userinfo.token.claim", "true"));
        config.putAll(identifierConfig);
        List<Map<String, Object>> users = accountNumbers.entrySet().stream().map(user -> Map.<String, Object>of(
                "username", user.getKey(), "enabled", true, "email", user.getKey() + "@scratch.example.test",
                "firstName", user.getKey(), "lastName", "Scratch",
                "attributes", Map.of("accountNumber", List.of(user.getValue())),
                "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)))).toList();
        Map<String, Object> realm = new HashMap<>(Map.of("realm", name, "enabled", true,
                "clientScopes", List.of(Map.of("name", "customer-identifier", "protocol", "openid-connect",
                        "protocolMappers", List.of(Map.of("name", "customer identifier", "protocol", "openid-connect",
                                "protocolMapper", "oidc-customer-auth-identifier-mapper", "config", config)))),
                "clients", List.of(Map.of("clientId", CLIENT, "publicClient", false, "secret", SECRET,
                        "directAccessGrantsEnabled", true, "standardFlowEnabled", false,
                        "defaultClientScopes", List.of("customer-identifier"))),
                "users", users));
        realm.putAll(realmSettings);
        HttpResponse<String> created = admin.post("/admin/realms", realm);
        if (created.statusCode() != 201) {
            throw new IllegalStateException("realm " + name + " not created: " + created.statusCode() + " " + created.body());
        }
        return new ScratchRealm(server, name);
    }

    public String name() {
        return name;
    }

    public HttpResponse<String> passwordGrant(String username) {
        return Http.grant(server.baseUrl() + "/realms/" + name + "/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", CLIENT, "client_secret", SECRET,
                "username", username, "password", PASSWORD, "scope", "openid"));
    }

    /** The access token's claims of a successful password grant. */
    public Map<String, Object> accessTokenClaims(String username) {
        HttpResponse<String> response = passwordGrant(username);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("grant for " + username + ": " + response.statusCode() + " " + response.body());
        }
        return Http.claims((String) Http.json(response.body()).get("access_token"));
    }

    public Path vaultFile(String key) {
        return server.vaultDir().resolve(name + "_" + key);
    }
}
