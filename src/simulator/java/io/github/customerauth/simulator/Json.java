package io.github.customerauth.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough JSON for the command line tool, which runs with nothing but the JDK: read a top-level string field of
 * a token response, and decode a JWT's claims for display.
 */
final class Json {

    private Json() {
    }

    static String string(String json, String field) {
        if (json == null) {
            return null;
        }
        // Unrolled loop, no alternation under a star: long tokens must not exhaust the regex stack.
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"([^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+)\"")
                .matcher(json);
        return m.find() ? m.group(1).replace("\\/", "/").replace("\\\"", "\"") : null;
    }

    /** The claims part of a JWT, as the JSON text it is. */
    static String claims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            throw new IllegalArgumentException("not a JWT");
        }
        return new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    }
}
