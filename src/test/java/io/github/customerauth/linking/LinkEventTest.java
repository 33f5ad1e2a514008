package io.github.customerauth.linking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinkEventTest {

    @Test
    void theBodyHasTheDocumentedFieldsAndLeavesOutWhatIsUnknown() {
        LinkEvent login = new LinkEvent("e1", "LOGIN", 0, "customers", "v1.1.x", "web-chat", "s1", null);
        LinkEvent deleted = new LinkEvent("e2", "CUSTOMER_DELETED", 1000, "customers", "v1.1.x", null, null, null);

        assertThat(login.toJson()).isEqualTo("{\"id\":\"e1\",\"type\":\"LOGIN\",\"time\":\"1970-01-01T00:00:00Z\","
                + "\"realm\":\"customers\",\"customer_id\":\"v1.1.x\",\"channel\":\"web-chat\",\"session_id\":\"s1\"}");
        assertThat(deleted.toJson()).isEqualTo("{\"id\":\"e2\",\"type\":\"CUSTOMER_DELETED\",\"time\":\"1970-01-01T00:00:01Z\","
                + "\"realm\":\"customers\",\"customer_id\":\"v1.1.x\"}");
    }

    @Test
    void sequenceNumbersStrictlyIncrease() {
        SequenceClock clock = new SequenceClock();
        long previous = clock.next();
        for (int i = 0; i < 10_000; i++) {
            long next = clock.next();
            assertThat(next).isGreaterThan(previous);
            previous = next;
        }
    }
}
