package io.github.customerauth.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** What the simulator asks as the partner: introspection and token exchange. */
final class PartnerCalls {

    private final String realmUrl;
    private final String basicAuth;

    PartnerCalls(String serverUrl, String realm, String partnerId, String partnerSecret) {
        this.realmUrl = serverUrl.replaceAll("/+$", "") + "/realms/" + realm;
        this.basicAuth = "Basic " + Base64.getEncoder().encodeToString(
                (partnerId + ":" + partnerSecret).getBytes(StandardCharsets.UTF_8));
    }

    String introspect(String token) {
        return LoginFlow.post(realmUrl + "/partner/introspect", Map.of("token", token), "Authorization", basicAuth);
    }

    String exchange(String token) {
        return LoginFlow.post(realmUrl + "/protocol/openid-connect/token", Map.of(
                "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token", token,
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token"), "Authorization", basicAuth);
    }
}
