package io.github.customerauth.testsupport;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A partner backend calling {@code /realms/{realm}/partner/*} with client_secret_basic; every answer is checked
 * against {@code contracts/openapi.yaml} ({@link ApiContract}).
 */
public final class PartnerApi {

    private final String base;
    private final String clientId;
    private final String secret;

    public PartnerApi(KeycloakServer server, String realm, String clientId, String secret) {
        this.base = server.baseUrl() + "/realms/" + realm + "/partner/";
        this.clientId = clientId;
        this.secret = secret;
    }

    public HttpResponse<String> post(String endpoint, Map<String, String> form, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + endpoint))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (Http.enc(clientId) + ":" + Http.enc(secret)).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Http.form(form)));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return ApiContract.check(Http.send(request.build()));
    }

    /** The JSON answer of a 200 introspection. */
    public Map<String, Object> introspect(String token) {
        HttpResponse<String> response = post("introspect", Map.of("token", token));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("introspection answered " + response.statusCode() + ": " + response.body());
        }
        return Http.json(response.body());
    }

    public Map<String, Object> call(String endpoint, String token, Map<String, String> extra) {
        Map<String, String> form = new LinkedHashMap<>(extra);
        form.put("token", token);
        HttpResponse<String> response = post(endpoint, form);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(endpoint + " answered " + response.statusCode() + ": " + response.body());
        }
        return Http.json(response.body());
    }
}
