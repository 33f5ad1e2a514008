package io.github.customerauth.testsupport;

import io.github.customerauth.simulator.LoginFlow;
import java.util.Map;

/** The simulator's {@link LoginFlow} for tests that only need the tokens, as parsed JSON. */
public final class BrowserLogin {

    private final LoginFlow flow;

    public BrowserLogin(String baseUrl, String realm, String clientId, String redirectUri) {
        this(new LoginFlow(baseUrl, realm, clientId, redirectUri));
    }

    private BrowserLogin(LoginFlow flow) {
        this.flow = flow;
    }

    /** The same login with one more authorization request parameter. */
    public BrowserLogin withAuthorizationParameter(String name, String value) {
        return new BrowserLogin(flow.withAuthorizationParameter(name, value));
    }

    /**
     * Logs in, in a fresh browser (no SSO cookie), and returns the token endpoint's JSON answer. The credentials are
     * right by contract: a refusal as if they were not is Keycloak's brute-force protection still recording the
     * user's previous login (see {@link Http#grant}), and is tried again a few times.
     */
    public Map<String, Object> login(String username, String password) {
        LoginFlow.Result result = flow.login(username, password, null, null);
        for (int retry = 0; retry < 5 && result.outcome() == LoginFlow.Outcome.INVALID_CREDENTIALS; retry++) {
            Pause.millis(200);
            result = flow.login(username, password, null, null);
        }
        if (result.outcome() != LoginFlow.Outcome.TOKENS) {
            throw new LoginRefused(result);
        }
        return Http.json(result.tokenResponseJson());
    }

    public Map<String, Object> refresh(String refreshToken) {
        return Http.json(flow.refresh(refreshToken));
    }

    /** The login did not end with tokens: wrong password, disabled user, required action... */
    public static final class LoginRefused extends IllegalStateException {
        LoginRefused(LoginFlow.Result result) {
            super("login ended with " + result.outcome() + ": " + result.message());
        }
    }
}
