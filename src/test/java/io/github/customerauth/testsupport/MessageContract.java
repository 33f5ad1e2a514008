package io.github.customerauth.testsupport;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The webhook messages' contract, {@code contracts/webhooks/} (JSON Schema 2020-12, one file per message type):
 * what a message the suite receives breaks of it.
 */
public final class MessageContract {

    public static final String BASE = "https://customer-auth.invalid/contracts/webhooks/";
    public static final Path DIR = Path.of(System.getProperty("project.dir", ".")).resolve("contracts/webhooks");
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, builder -> builder.schemas(iri -> iri.startsWith(BASE)
                    ? read(DIR.resolve(iri.substring(BASE.length()))) : null));
    private static final Schema MESSAGE = REGISTRY.getSchema(SchemaLocation.of(BASE + "message.schema.json"));

    private MessageContract() {
    }

    /** What {@code json} breaks of the message contract; empty when it is a valid message. */
    public static List<String> problems(String json) {
        return MESSAGE.validate(json, InputFormat.JSON).stream().map(Error::toString).toList();
    }

    /** What {@code json} breaks of one type's schema, e.g. {@code LOGIN.schema.json}. */
    public static List<String> problems(String schemaFile, String json) {
        return REGISTRY.getSchema(SchemaLocation.of(BASE + schemaFile)).validate(json, InputFormat.JSON).stream()
                .map(Error::toString).toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
