package io.github.customerauth.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * Keycloak's admin REST API, as the master realm's bootstrap admin or as any bearer; answers of the extension's admin
 * endpoints are checked against {@code contracts/openapi.yaml} ({@link ApiContract}).
 */
public final class AdminApi {

    private final String baseUrl;
    private final String bearer;

    private AdminApi(String baseUrl, String bearer) {
        this.baseUrl = baseUrl;
        this.bearer = bearer;
    }

    public static AdminApi asBootstrapAdmin(KeycloakServer server) {
        return asUser(server, "master", "admin-cli", KeycloakServer.ADMIN_USER, KeycloakServer.ADMIN_PASSWORD);
    }

    /** The bootstrap admin's access token, for requests the helpers here cannot express. */
    public static String bearerOfBootstrapAdmin(KeycloakServer server) {
        return asBootstrapAdmin(server).bearer;
    }

    /** Logs in by password grant; the client must allow direct grants. */
    public static AdminApi asUser(KeycloakServer server, String realm, String clientId, String username, String password) {
        HttpResponse<String> response = Http.grant(server.baseUrl() + "/realms/" + realm + "/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", clientId, "username", username, "password", password));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("login of " + username + " failed: " + response.body());
        }
        return new AdminApi(server.baseUrl(), (String) Http.json(response.body()).get("access_token"));
    }

    public HttpResponse<String> get(String path) {
        return ApiContract.check(Http.send(request(path).GET().build()));
    }

    public HttpResponse<String> delete(String path) {
        return ApiContract.check(Http.send(request(path).DELETE().build()));
    }

    public HttpResponse<String> post(String path, Object body) {
        return ApiContract.check(Http.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : Http.toJson(body))).build()));
    }

    public HttpResponse<String> put(String path, Object body) {
        return ApiContract.check(Http.send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Http.toJson(body))).build()));
    }

    /** Body of a successful GET, as JSON. */
    public Map<String, Object> getJson(String path) {
        return Http.json(expectOk(get(path)).body());
    }

    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> getJsonList(String path) {
        try {
            return Http.JSON.readValue(expectOk(get(path)).body(), List.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Id of the resource a 201 Created response points to. */
    public static String createdId(HttpResponse<String> created) {
        if (created.statusCode() != 201) {
            throw new IllegalStateException("expected 201, got " + created.statusCode() + ": " + created.body());
        }
        String location = created.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    public String userId(String realm, String username) {
        return (String) getJsonList("/admin/realms/" + realm + "/users?exact=true&username=" + username).get(0).get("id");
    }

    public String clientUuid(String realm, String clientId) {
        return (String) getJsonList("/admin/realms/" + realm + "/clients?clientId=" + clientId).get(0).get("id");
    }

    /** Gives a user of the realm these roles of its {@code realm-management} client (view-realm, realm-admin...). */
    public void grantRealmManagementRoles(String realm, String userId, List<String> roles) {
        String realmManagement = clientUuid(realm, "realm-management");
        List<Map<String, Object>> wanted = getJsonList("/admin/realms/" + realm + "/clients/" + realmManagement
                + "/roles").stream().filter(role -> roles.contains(role.get("name"))).toList();
        expectOk(post("/admin/realms/" + realm + "/users/" + userId + "/role-mappings/clients/" + realmManagement,
                wanted));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + bearer);
    }

    private static HttpResponse<String> expectOk(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(response.request().uri() + " -> " + response.statusCode() + ": " + response.body());
        }
        return response;
    }
}
