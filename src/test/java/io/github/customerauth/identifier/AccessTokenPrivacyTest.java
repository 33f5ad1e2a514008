package io.github.customerauth.identifier;

import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Keycloak's rules for where a mapper's claim goes, as the privacy report reads them. */
class AccessTokenPrivacyTest {

    @Test
    void aMapperWithoutTheUserinfoKeyIsInUserinfoWhenItIsInTheIdToken() {
        assertThat(AccessTokenPrivacy.reachesTokenHolder(Map.of("id.token.claim", "true"))).isTrue();
        assertThat(AccessTokenPrivacy.reachesTokenHolder(Map.of("id.token.claim", "true", "userinfo.token.claim", "false")))
                .isFalse();
    }

    @Test
    void aMapperWithoutTheIntrospectionKeyIsIntrospectedWhenItIsInTheAccessToken() {
        assertThat(AccessTokenPrivacy.reachesTokenHolder(Map.of("access.token.claim", "true",
                "introspection.token.claim", "false"))).isTrue();
        assertThat(AccessTokenPrivacy.reachesTokenHolder(Map.of("introspection.token.claim", "true"))).isTrue();
    }

    @Test
    void aMapperOnlyInTheIdTokenWithUserinfoOffOrNoKeysAtAllReachesNoTokenHolder() {
        assertThat(AccessTokenPrivacy.reachesTokenHolder(Map.of())).isFalse();
        assertThat(AccessTokenPrivacy.reachesTokenHolder(Map.of("id.token.claim", "false"))).isFalse();
    }
}
