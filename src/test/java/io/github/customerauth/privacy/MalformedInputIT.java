package io.github.customerauth.privacy;

import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.RawHttp;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.github.customerauth.testsupport.KeycloakSuite.REALM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fuzz of the extension's endpoints with malformed requests: bad percent-encoding, invalid UTF-8, wrong or broken
 * content types, repeated and huge parameters, broken client authentication, odd paths and query parameters.
 * None may be answered with a server error.
 */
@ExtendWith(KeycloakSuite.class)
class MalformedInputIT {

    static final String PARTNER = "Basic " + Base64.getEncoder().encodeToString(
            "partner-backend:partner-backend-secret-test-only".getBytes(StandardCharsets.UTF_8));

    static KeycloakServer server;
    static HttpClient http;

    @BeforeAll
    static void setUp() {
        server = KeycloakSuite.server();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void noMalformedRequestGetsAServerError() throws Exception {
        List<HttpRequest> requests = new ArrayList<>();
        for (String endpoint : List.of("introspect", "compare", "profile", "links")) {
            URI uri = URI.create(server.baseUrl() + "/realms/" + REALM + "/partner/" + endpoint);
            for (String authorization : authorizations()) {
                for (Map.Entry<String, String> type : contentTypes().entrySet()) {
                    for (byte[] body : bodies()) {
                        requests.add(post(uri, authorization, type.getValue(), body));
                    }
                }
            }
        }
        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<String> serverErrors = new ArrayList<>();
        for (HttpRequest request : requests) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            byStatus.merge(response.statusCode(), 1, Integer::sum);
            if (response.statusCode() >= 500) {
                serverErrors.add(request.method() + " " + request.uri() + " " + request.headers().map() + " -> "
                        + response.statusCode() + " " + response.body());
            }
        }
        // Admin endpoints, with paths java.net.http would refuse to send, written on the socket as they are.
        String bearer = "Authorization: Bearer " + adminToken();
        int sent = requests.size();
        for (String path : adminPaths()) {
            for (String method : List.of("GET", "POST")) {
                String head = method + " /admin/realms/" + REALM + "/" + path + " HTTP/1.1\r\n" + bearer
                        + "\r\nContent-Type: application/json";
                String answer = RawHttp.exchange(KeycloakSuite.HTTP_PORT, head,
                        "{\"not\": json".getBytes(StandardCharsets.UTF_8));
                int status = RawHttp.status(answer);
                byStatus.merge(status, 1, Integer::sum);
                sent++;
                if (status >= 500) {
                    serverErrors.add(method + " " + path + " -> " + answer.lines().findFirst().orElse(""));
                }
            }
        }

        System.out.printf("MalformedInputIT: %d requests, answers by status %s%n", sent, byStatus);
        assertThat(sent).isGreaterThanOrEqualTo(500);
        assertThat(serverErrors).as("server errors of " + sent + " malformed requests").isEmpty();
    }

    private static HttpRequest post(URI uri, String authorization, String contentType, byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return builder.build();
    }

    private static List<String> authorizations() {
        return Arrays.asList(PARTNER, null, "Basic !!!not-base64", "Basic " + b64("%ZZ:secret"));
    }

    private static Map<String, String> contentTypes() {
        Map<String, String> types = new LinkedHashMap<>();
        types.put("form", "application/x-www-form-urlencoded");
        types.put("form, unknown charset", "application/x-www-form-urlencoded; charset=no-such-charset");
        types.put("form, utf-16", "application/x-www-form-urlencoded; charset=UTF-16");
        types.put("form, broken parameters", "application/x-www-form-urlencoded;;;=;");
        types.put("json", "application/json");
        types.put("multipart without boundary", "multipart/form-data");
        types.put("garbage", "this is not a media type");
        return types;
    }

    private static List<byte[]> bodies() {
        List<byte[]> bodies = new ArrayList<>();
        for (String text : List.of("token=%ZZ", "token=%", "token=abc%2", "%%%=%%%", "token=%E0%A4%A",
                "token=%FF%FE", "token=a&token=b", "token=x&client_id=a&client_id=b", "=&=&&=",
                "customer_id=v1.1.%C0%AF", "token=x&expected.customer_id=%ZZ", "first=-1&max=abc&customer_id=x")) {
            bodies.add(text.getBytes(StandardCharsets.ISO_8859_1));
        }
        bodies.add(new byte[] {'t', 'o', 'k', 'e', 'n', '=', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, (byte) 0x28});
        bodies.add(new byte[] {'t', 'o', 'k', 'e', 'n', '=', (byte) 0xed, (byte) 0xa0, (byte) 0x80});
        bodies.add(("token=" + "x".repeat(20_000)).getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream many = new ByteArrayOutputStream();
        for (int i = 0; i < 1_500; i++) {
            many.writeBytes(("p" + i + "=1&").getBytes(StandardCharsets.US_ASCII));
        }
        bodies.add(many.toByteArray());
        return bodies;
    }

    private static List<String> adminPaths() {
        return List.of("customer-identifiers/%ZZ", "customer-identifiers/%FF%FE", "customer-identifiers/" + "v".repeat(3000),
                "customer-identifiers/access-token-privacy?x=%ZZ", "customer-identifiers/v1.%2e%2e.x",
                "customer-identifiers/v1.1.%C0%AF", "customer-identifiers/export?x=%ZZ", "customer-identifiers/reindex/%ZZ",
                "customer-links/%ZZ", "customer-links/v1.1.AAAAAAAAAAAAAAAAAAAAAAAAAAA?first=-5&max=abc",
                "customer-links/dead-letters?first=x&max=%ZZ", "customer-links/dead-letters/%00/replay",
                "customer-links/dead-letters/" + "9".repeat(3000) + "/replay");
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String adminToken() {
        return AdminApi.bearerOfBootstrapAdmin(server);
    }
}
