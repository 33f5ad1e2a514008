package io.github.customerauth.testsupport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Small HTTP and JSON helpers over java.net.http for the integration tests. */
public final class Http {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private Http() {
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static HttpResponse<String> postForm(String url, Map<String, String> form, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder.build());
    }

    /**
     * A token request with credentials the test knows to be right. Keycloak's brute-force protection (on in the
     * sample realm, with Keycloak's default settings) refuses a user's login while the previous one is still being
     * recorded, a few milliseconds after it answered, with the answer of a wrong password: such a refusal is tried
     * again, a few times. Tests of wrong credentials use {@link #postForm}.
     */
    public static HttpResponse<String> grant(String tokenUrl, Map<String, String> form) {
        HttpResponse<String> response = postForm(tokenUrl, form);
        for (int retry = 0; retry < 5 && isRecordingRefusal(response); retry++) {
            Pause.millis(200);
            response = postForm(tokenUrl, form);
        }
        return response;
    }

    private static boolean isRecordingRefusal(HttpResponse<String> response) {
        return (response.statusCode() == 400 || response.statusCode() == 401)
                && response.body().contains("Invalid user credentials");
    }

    public static String form(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    public static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    public static Map<String, Object> json(String body) {
        try {
            return JSON.readValue(body, new TypeReference<>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + body, e);
        }
    }

    public static List<Map<String, Object>> jsonList(String body) {
        try {
            return JSON.readValue(body, new TypeReference<>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON array: " + body, e);
        }
    }

    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The claims of a JWT, decoded without verification (the tests verify signatures where that is the point). */
    public static Map<String, Object> claims(String jwt) {
        String[] parts = jwt.split("\\.");
        return json(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }
}
