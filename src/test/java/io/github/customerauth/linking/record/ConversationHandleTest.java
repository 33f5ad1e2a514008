package io.github.customerauth.linking.record;

import io.github.customerauth.linking.record.ConversationHandle;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ConversationHandleTest {

    private static final Pattern DEFAULT = Pattern.compile(ConversationHandle.DEFAULT_PATTERN);
    private static final String ACCOUNT = "DE89370400440532013000";

    @ParameterizedTest
    @ValueSource(strings = {"anon-7f3c2a9e-41d0-4c1b-9a55-0f6b2d7e8c11", "7F3C2A9E-41D0-4C1B-9A55-0F6B2D7E8C11",
            "anon-conv-chat-7f3c2a9e-41d0-4c1b-9a55-0f6b2d7e8c11"})
    void theDefaultTakesAPlatformUuidWithAShortPrefix(String handle) {
        assertThat(ConversationHandle.acceptable(DEFAULT, handle, ACCOUNT)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"DE89370400440532013000", "DE89 3704 0044 0532 0130 00", "maria.gonzalez.lopez",
            "maria.gonzalez@example.com", "1234567890123456", "anon-conv-7f3c2a9e41d0", "short-handle", "",
            "a-b-c-d-7f3c2a9e-41d0-4c1b-9a55-0f6b2d7e8c11"})
    void theDefaultRefusesAccountNumbersNamesAndEmailAddresses(String handle) {
        assertThat(ConversationHandle.acceptable(DEFAULT, handle, "")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv-de89370400440532013000-x", "conv-DE89-3704-0044-0532-0130-00", "c_de89_3704_0044_0532_0130_00"})
    void aHandleWithTheCustomersAccountNumberInAnySpellingIsRefusedWhateverTheRealmsPattern(String handle) {
        Pattern anything = Pattern.compile("[A-Za-z0-9_-]+");

        assertThat(ConversationHandle.acceptable(anything, handle, ACCOUNT)).isFalse();
        assertThat(ConversationHandle.acceptable(anything, handle, "12345678")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"anon-7f3c2a9e-41d0-4c1b-9a55-0f6b2d7e8c11"})
    void anUnusablePatternLetsNothingThrough(String handle) {
        assertThat(ConversationHandle.acceptable(null, handle, "")).isFalse();
    }
}
