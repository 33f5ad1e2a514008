package io.github.customerauth.linking.message;

import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.MessageContract;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.util.JsonSerialization;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code contracts/webhooks/}: a schema and an example for every message type, and the code's messages fit them. */
class WebhookContractTest {

    private static final String CUSTOMER = "v1.1.sr5m95fFEb0qNN-wYIOGYaaIKz8";
    private static final String PREVIOUS = "v1.1.Qd8w1fJ3kR5tY7uI9oP2aS4dF6g";
    private static final long TIME = 1_764_087_000_120L;

    @Test
    void everyMessageTypeHasASchemaWithAnExampleThatFitsTheContract() throws IOException {
        List<String> types = new ArrayList<>(MessageType.CHOOSABLE);
        types.add(MessageType.TEST);
        for (String type : types) {
            Map<String, Object> schema = Http.json(Files.readString(MessageContract.DIR.resolve(type + ".schema.json")));
            @SuppressWarnings("unchecked")
            List<Object> examples = (List<Object>) schema.get("examples");
            assertThat(examples).as("examples of %s", type).isNotEmpty();
            for (Object example : examples) {
                String json = JsonSerialization.writeValueAsString(example);
                assertThat(MessageContract.problems(json)).as("%s example", type).isEmpty();
                assertThat(MessageContract.problems(type + ".schema.json", json)).as("%s example", type).isEmpty();
            }
        }
    }

    @Test
    void theMessagesTheCodeWritesFitTheContract() {
        List<LinkEvent> events = List.of(
                new LinkEvent("e1", MessageType.LOGIN, TIME, "customers", CUSTOMER, "web-chat", "s1", null),
                new LinkEvent("e2", MessageType.CODE_TO_TOKEN, TIME, "customers", CUSTOMER, "web-chat", "s1", null,
                        "conv-7Hq2mX9pLw"),
                new LinkEvent("e3", MessageType.REFRESH_TOKEN, TIME, "customers", CUSTOMER, "ios-app", "s2", null),
                new LinkEvent("e4", MessageType.TOKEN_EXCHANGE, TIME, "customers", CUSTOMER, "partner-backend", "s1",
                        null),
                new LinkEvent("e5", MessageType.LOGOUT, TIME, "customers", CUSTOMER, "ios-app", "s1", null),
                new LinkEvent("e6", MessageType.LOGOUT, TIME, "customers", CUSTOMER, null, "s1", null),
                new LinkEvent("e7", MessageType.SESSION_ENDED, TIME, "customers", CUSTOMER, "web-chat", "s1", null),
                new LinkEvent("e8", MessageType.CUSTOMER_DELETED, TIME, "customers", CUSTOMER, null, null, null),
                new LinkEvent("e9", MessageType.IDENTIFIER_CHANGED, TIME, "customers", CUSTOMER, null, null, PREVIOUS),
                new LinkEvent("e10", MessageType.IDENTIFIER_CHANGED, TIME, "customers", null, null, null, PREVIOUS),
                new LinkEvent("e11", MessageType.LOGIN, TIME, "kunden-\u00fc", CUSTOMER, "web-chat", "s1", null));
        for (LinkEvent event : events) {
            assertThat(MessageContract.problems(event.toJson(1_764_087_000_120_001L))).as(event.toString()).isEmpty();
        }
        LinkEvent test = new LinkEvent("t1", MessageType.TEST, TIME, "customers", null, null, null, null);
        assertThat(MessageContract.problems(test.toJson())).isEmpty();
    }

    @Test
    void aMessageWithMoreThanTheContractSaysOrWithoutWhatItPromisesDoesNotFit() {
        Map<String, Object> login = new LinkedHashMap<>(Map.of("id", "e1", "type", "LOGIN", "seq", 1, "time",
                "2026-11-25T16:10:00.120Z", "realm", "customers", "customer_id", CUSTOMER, "channel", "web-chat",
                "session_id", "s1"));
        assertThat(MessageContract.problems(write(login))).isEmpty();

        Map<String, Object> withEmail = new LinkedHashMap<>(login);
        withEmail.put("email", "alice@example.test");
        assertThat(MessageContract.problems(write(withEmail))).as("personal data is not in the contract").isNotEmpty();
        Map<String, Object> withAccountNumber = new LinkedHashMap<>(login);
        withAccountNumber.put("customer_id", "0012345678");
        assertThat(MessageContract.problems(write(withAccountNumber))).as("an account number as the id").isNotEmpty();
        Map<String, Object> withoutChannel = new LinkedHashMap<>(login);
        withoutChannel.remove("channel");
        assertThat(MessageContract.problems(write(withoutChannel))).isNotEmpty();
        Map<String, Object> unknownType = new LinkedHashMap<>(login);
        unknownType.put("type", "LOGGED_IN");
        assertThat(MessageContract.problems(write(unknownType))).isNotEmpty();
    }

    private static String write(Map<String, Object> message) {
        try {
            return JsonSerialization.writeValueAsString(message);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
