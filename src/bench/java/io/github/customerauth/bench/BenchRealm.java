package io.github.customerauth.bench;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.KeycloakServer;
import java.util.List;
import java.util.Map;

/**
 * The benchmarks' realm on the started server: a confidential client {@code bench} with a service account and a
 * user {@code loaduser}, both with account numbers; the identifier mapper on the client or in a default scope.
 */
final class BenchRealm {

    static final String REALM = BenchServer.REALM;
    static final String CLIENT = "bench";
    static final String SECRET = "bench-secret";
    static final String KEY = BenchServer.KEY;

    private BenchRealm() {
    }

    static AdminApi admin(KeycloakServer server) {
        return AdminApi.asBootstrapAdmin(server);
    }

    static void create(KeycloakServer server, List<String> report) {
        create(server, REALM, report);
    }

    /** A realm set up as {@link #REALM}; its identifier key and webhook secret must be in the server's vault. */
    static void create(KeycloakServer server, String realmName, List<String> report) {
        AdminApi admin = admin(server);
        AdminApi.createdId(admin.post("/admin/realms", Map.of("realm", realmName, "enabled", true)));
        if (Boolean.getBoolean("bench.events-stored")) {
            // As the sample realms: Keycloak also stores these events in its database, listener on or off.
            Map<String, Object> realm = admin.getJson("/admin/realms/" + realmName);
            realm.put("eventsEnabled", true);
            realm.put("enabledEventTypes", List.of("LOGIN", "LOGIN_ERROR", "CODE_TO_TOKEN", "REFRESH_TOKEN", "LOGOUT"));
            Load.check(admin.put("/admin/realms/" + realmName, realm));
            if (REALM.equals(realmName)) {
                report.add("(Keycloak stores LOGIN, CODE_TO_TOKEN, REFRESH_TOKEN and LOGOUT events, as the sample"
                        + " realms do)");
            }
        }
        Map<String, Object> profile = admin.getJson("/admin/realms/" + realmName + "/users/profile");
        profile.put("unmanagedAttributePolicy", "ENABLED");
        Load.check(admin.put("/admin/realms/" + realmName + "/users/profile", profile));
        AdminApi.createdId(admin.post("/admin/realms/" + realmName + "/clients", Map.of("clientId", CLIENT,
                "publicClient", false, "secret", SECRET, "serviceAccountsEnabled", true,
                "directAccessGrantsEnabled", true, "standardFlowEnabled", false)));
        String clientUuid = admin.clientUuid(realmName, CLIENT);
        Map<String, Object> serviceAccount = admin.getJson("/admin/realms/" + realmName + "/clients/" + clientUuid
                + "/service-account-user");
        serviceAccount.put("attributes", Map.of("accountNumber", List.of("SA-0001")));
        Load.check(admin.put("/admin/realms/" + realmName + "/users/" + serviceAccount.get("id"), serviceAccount));
        AdminApi.createdId(admin.post("/admin/realms/" + realmName + "/users", Map.of("username", "loaduser",
                "enabled", true, "email", "loaduser@bench.example.test", "firstName", "Load", "lastName", "User",
                "attributes", Map.of("accountNumber", List.of("LOAD-0001")),
                "credentials", List.of(Map.of("type", "password", "value", "bench", "temporary", false)))));
    }

    /** The identifier mapper as the admin guide installs it and the sample realm has it: in a default client scope. */
    static void identifierScope(KeycloakServer server) {
        identifierScope(server, REALM);
    }

    static void identifierScope(KeycloakServer server, String realmName) {
        mapperOnClient(server, realmName, false);
        AdminApi admin = admin(server);
        String scopeId = AdminApi.createdId(admin.post("/admin/realms/" + realmName + "/client-scopes", Map.of(
                "name", "customer-identifier", "protocol", "openid-connect",
                "attributes", Map.of("include.in.token.scope", "false"))));
        String scopeMappers = "/admin/realms/" + realmName + "/client-scopes/" + scopeId + "/protocol-mappers/models";
        AdminApi.createdId(admin.post(scopeMappers,
                Map.of("name", "identifier", "protocol", "openid-connect",
                        "protocolMapper", "oidc-customer-auth-identifier-mapper", "config", Map.of(
                                "access.token.claim", "true", "id.token.claim", "true",
                                "introspection.token.claim", "true"))));
        Load.check(admin.put("/admin/realms/" + realmName + "/clients/" + admin.clientUuid(realmName, CLIENT)
                + "/default-client-scopes/" + scopeId, Map.of()));
    }

    static void mapperOnClient(KeycloakServer server, boolean on) {
        mapperOnClient(server, REALM, on);
    }

    private static void mapperOnClient(KeycloakServer server, String realmName, boolean on) {
        AdminApi admin = admin(server);
        String path = "/admin/realms/" + realmName + "/clients/" + admin.clientUuid(realmName, CLIENT)
                + "/protocol-mappers/models";
        for (Map<String, Object> existing : admin.getJsonList(path)) {
            Load.check(admin.delete(path + "/" + existing.get("id")));
        }
        if (on) {
            AdminApi.createdId(admin.post(path, Map.of("name", "identifier", "protocol", "openid-connect",
                    "protocolMapper", "oidc-customer-auth-identifier-mapper", "config", Map.of(
                            "access.token.claim", "true", "id.token.claim", "true", "introspection.token.claim", "true"))));
        }
    }
}
