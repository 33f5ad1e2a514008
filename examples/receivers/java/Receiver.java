import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver for Keycloak's customer-auth messages, JDK only (signature format customer-auth):
 *
 * <pre>WEBHOOK_SECRET=... java Receiver.java 8092</pre>
 *
 * Checks the Customer-Auth-Signature header (HMAC-SHA-256 of "&lt;t&gt;.&lt;body&gt;", 5 minutes' tolerance),
 * answers 401 to a message it cannot verify, de-duplicates by id and keeps, per customer, the highest seq it applied:
 * a message with a lower seq (a replayed dead letter) is reported as late. Prints one JSON line per message. It
 * reads the few fields it needs with patterns to stay dependency-free; use your JSON library in a real receiver.
 */
public final class Receiver {

    private static final long TOLERANCE_SECONDS = 300;
    private static final byte[] SECRET = System.getenv("WEBHOOK_SECRET").getBytes(StandardCharsets.UTF_8);
    private static final Set<String> SEEN_IDS = new HashSet<>();
    private static final Map<String, Long> HIGHEST_SEQ = new HashMap<>();

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8092;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", Receiver::handle);
        server.start();
        System.out.println("{\"listening\": " + port + "}");
    }

    private static void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String header = exchange.getRequestHeaders().getFirst("Customer-Auth-Signature");
        if (header == null || !verified(header, body)) {
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
            return;
        }
        String json = new String(body, StandardCharsets.UTF_8);
        String id = text(json, "id");
        String customer = text(json, "customer_id");
        String seq = number(json, "seq");
        String result = outcome(id, text(json, "realm"), customer != null ? customer : text(json,
                "previous_customer_id"), seq == null ? null : Long.parseLong(seq));
        System.out.println("{\"outcome\": \"" + result + "\", \"id\": \"" + id + "\", \"type\": \"" + text(json, "type")
                + "\", \"customer_id\": " + (customer == null ? "null" : "\"" + customer + "\"") + ", \"seq\": " + seq
                + "}");
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    private static synchronized String outcome(String id, String realm, String customer, Long seq) {
        if (!SEEN_IDS.add(id)) {
            return "duplicate";
        }
        if (customer == null || seq == null) {
            return "applied";
        }
        String key = realm + " " + customer;
        if (seq < HIGHEST_SEQ.getOrDefault(key, -1L)) {
            return "late";
        }
        HIGHEST_SEQ.put(key, seq);
        return "applied";
    }

    static boolean verified(String header, byte[] body) {
        String timestamp = null;
        for (String part : header.split(",")) {
            if (part.startsWith("t=")) {
                if (timestamp != null) {
                    return false;
                }
                timestamp = part.substring(2);
            }
        }
        if (timestamp == null || !timestamp.matches("\\d{1,12}")
                || Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp)) > TOLERANCE_SECONDS) {
            return false;
        }
        byte[] expected = HexFormat.of().formatHex(hmac(timestamp, body)).getBytes(StandardCharsets.US_ASCII);
        for (String part : header.split(",")) {
            if (part.startsWith("v1=") && MessageDigest.isEqual(expected,
                    part.substring(3).getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] hmac(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return matcher.find() ? matcher.group(1) : null;
    }

    private static String number(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(json);
        return matcher.find() ? matcher.group(1) : null;
    }
}
