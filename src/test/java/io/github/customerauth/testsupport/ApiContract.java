package io.github.customerauth.testsupport;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The partner and admin endpoints' contract, {@code contracts/openapi.yaml}: what an answer the suite gets breaks
 * of it. An answer to one of the documented paths must have a documented status when it is a success or a server
 * error, and its JSON body must fit the status's schema (always a {@code #/components/schemas/...} reference).
 * Other 4xx answers (Keycloak's own refusals before the extension runs) are not checked.
 */
public final class ApiContract {

    private static final String IRI = "https://customer-auth.invalid/contracts/openapi.yaml";
    private static final Path FILE = Path.of(System.getProperty("project.dir", ".")).resolve("contracts/openapi.yaml");
    private static final String TEXT = read();
    private static final JsonNode ROOT = YAMLMapper.builder().build().readTree(TEXT);
    private static final JsonNode PATHS = ROOT.get("paths");
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, builder -> builder.schemas(iri -> IRI.equals(iri) ? TEXT : null));
    private static final String PARAMETER = "\\{[^}]+}";
    private static final List<Template> TEMPLATES = templates();

    private record Template(String path, Pattern pattern, int literals) {
    }

    private ApiContract() {
    }

    /** Throws when the answer breaks the contract; answers to paths outside it pass. */
    public static <T> HttpResponse<T> check(HttpResponse<T> response) {
        List<String> problems = problems(response.request().method(), response.uri().getPath(),
                response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body() instanceof String body ? body : null);
        if (!problems.isEmpty()) {
            throw new AssertionError("contracts/openapi.yaml: " + response.request().method() + " "
                    + response.uri().getPath() + " -> " + response.statusCode() + ": " + problems);
        }
        return response;
    }

    static List<String> problems(String method, String path, int status, String contentType, String body) {
        Optional<Template> template = TEMPLATES.stream().filter(t -> t.pattern().matcher(path).matches())
                .max(Comparator.comparingInt(Template::literals));
        if (template.isEmpty()) {
            return List.of();
        }
        JsonNode operation = PATHS.get(template.get().path()).get(method.toLowerCase(Locale.ROOT));
        if (operation == null) {
            return List.of("no " + method + " on " + template.get().path());
        }
        JsonNode answer = operation.get("responses").get(Integer.toString(status));
        if (answer == null) {
            return status / 100 == 4 ? List.of() : List.of("status " + status + " is not documented");
        }
        if (answer.has("$ref")) {
            answer = resolve(answer.get("$ref").asString());
        }
        JsonNode json = answer.path("content").get("application/json");
        if (json == null || !contentType.startsWith("application/json") || body == null) {
            return List.of();
        }
        String schema = json.get("schema").get("$ref").asString();
        return REGISTRY.getSchema(SchemaLocation.of(IRI + schema)).validate(body, InputFormat.JSON).stream()
                .map(Error::toString).toList();
    }

    private static JsonNode resolve(String reference) {
        JsonNode node = ROOT;
        for (String part : reference.substring(2).split("/")) {
            node = node.get(part);
        }
        return node;
    }

    private static List<Template> templates() {
        List<Template> templates = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : PATHS.properties()) {
            String template = path.getKey();
            String regex = Pattern.quote(template).replaceAll(PARAMETER, "\\\\E[^/]+\\\\Q");
            templates.add(new Template(template, Pattern.compile(regex), template.replaceAll(PARAMETER, "").length()));
        }
        return templates;
    }

    private static String read() {
        try {
            return Files.readString(FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
