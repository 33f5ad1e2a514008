package io.github.customerauth.linking.receiver;

import io.github.customerauth.linking.receiver.TestMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestMessageSummaryTest {

    @Test
    void theStoredSummaryIsOneLineOfCharactersEveryDatabaseTakes() {
        TestMessage test = new TestMessage("e1", null, 500, "no\u0000\nway \uD83D\uDE00 ok", 12, 0);

        assertThat(test.summary()).isEqualTo("1970-01-01T00:00:00Z: not accepted, status 500, answer: no  way ? ok (12 ms, event e1)");
    }

    @Test
    void aTestThatCouldNotBeSentSaysWhy() {
        assertThat(new TestMessage(null, "Signing secret is not in the vault", 0, null, 0, 0).summary())
                .isEqualTo("1970-01-01T00:00:00Z: not sent: Signing secret is not in the vault");
    }
}
