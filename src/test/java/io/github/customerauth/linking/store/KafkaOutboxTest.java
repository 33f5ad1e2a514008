package io.github.customerauth.linking.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KafkaOutboxTest {

    @Test
    void aKeycloakEventIdIsTheRowsIdAsItIs() {
        assertThat(KafkaOutbox.uuid("0b0e9a52-6a0e-4f7e-9b62-1f3e1c0c0001"))
                .isEqualTo("0b0e9a52-6a0e-4f7e-9b62-1f3e1c0c0001");
    }

    @Test
    void anyOtherIdGetsTheSameUuidEveryTime() {
        assertThat(KafkaOutbox.uuid("not-a-uuid")).isEqualTo(KafkaOutbox.uuid("not-a-uuid"))
                .isNotEqualTo(KafkaOutbox.uuid("another")).hasSize(36);
    }
}
