package io.github.customerauth.linking.record;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class AuthorizationErrorRedirectTest {

    private static final String CHAT = "https://chat.example.test/cb";
    private static final String ERROR = "error=temporarily_unavailable"
            + "&error_description=The%20login%20was%20not%20completed%3B%20start%20it%20again";

    @Test
    void aCodeInTheQueryBecomesTheErrorWithTheStateAndIssuerKept() {
        assertThat(AuthorizationErrorRedirect.of(CHAT + "?state=St4te&session_state=5e55"
                + "&iss=https%3A%2F%2Fid.example.test%2Frealms%2Fcustomers&code=c0de.1.2", CHAT))
                .contains(CHAT + "?state=St4te&iss=https%3A%2F%2Fid.example.test%2Frealms%2Fcustomers&" + ERROR);
    }

    @Test
    void theClientsOwnParametersStay() {
        assertThat(AuthorizationErrorRedirect.of(CHAT + "?tab=chat&state=s&code=c", CHAT + "?tab=chat"))
                .contains(CHAT + "?tab=chat&state=s&" + ERROR);
    }

    @Test
    void anAppsOwnSchemeIsAnsweredThere() {
        String ios = "com.example.chat.ios:/oauth2redirect";
        assertThat(AuthorizationErrorRedirect.of(ios + "?state=s&code=c", ios)).contains(ios + "?state=s&" + ERROR);
    }

    @Test
    void aFragmentAnswerLosesItsTokensAndKeepsTheClientsQuery() {
        assertThat(AuthorizationErrorRedirect.of(CHAT + "?tab=chat#state=s&session_state=x"
                + "&access_token=eyJ.a.b&token_type=Bearer&expires_in=300&id_token=eyJ.c.d&iss=i", CHAT + "?tab=chat"))
                .contains(CHAT + "?tab=chat#state=s&iss=i&" + ERROR);
    }

    @Test
    void aHybridAnswerInTheFragmentLosesItsCodeAndTokens() {
        assertThat(AuthorizationErrorRedirect.of(CHAT + "#state=s&session_state=x&kc_action_status=success&code=c"
                + "&id_token=eyJ.c.d&iss=i", CHAT)).contains(CHAT + "#state=s&iss=i&" + ERROR);
    }

    @Test
    void anEncodedGrantNameIsRecognised() {
        assertThat(AuthorizationErrorRedirect.of(CHAT + "?state=s&%63ode=c", CHAT)).contains(CHAT + "?state=s&" + ERROR);
    }

    @Test
    void whatWasGrantedGoesFromBothPartsOfTheAddress() {
        // A redirect URI of the client's own with a fragment named like a grant, and the answer in the query.
        assertThat(AuthorizationErrorRedirect.of(CHAT + "?state=s&code=c#refresh_token=1&x=2", CHAT))
                .contains(CHAT + "?state=s&" + ERROR + "#x=2");
        assertThat(AuthorizationErrorRedirect.of(CHAT + "?refresh_token=1#state=s&code=c", CHAT))
                .contains(CHAT + "#state=s&" + ERROR);
    }

    @Test
    void anApplicationInitiatedActionIsNotReportedAsDone() {
        assertThat(AuthorizationErrorRedirect.of(CHAT + "?state=s&kc_action=UPDATE_PASSWORD&kc_action_status=success"
                + "&code=c", CHAT)).contains(CHAT + "?state=s&kc_action=UPDATE_PASSWORD&" + ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {CHAT + "?state=s", CHAT, CHAT + "?response=eyJ.signed.answer&state=s",
            CHAT + "?code=c#response=eyJ.signed.answer", CHAT + "?code=c&response=eyJ.signed.answer", ""})
    void whatHandsTheClientNoPlainAnswerIsLeftToThe503(String location) {
        assertThat(AuthorizationErrorRedirect.of(location, CHAT)).isEmpty();
    }

    @Test
    void onlyTheLoginsOwnRedirectIsRewritten() {
        String keycloak = "https://id.example.test/realms/customers/login-actions/required-action?code=c&state=s";
        assertThat(AuthorizationErrorRedirect.of(keycloak, CHAT)).isEmpty();
        // A logout's redirect, or a grant without a redirect URI: no login redirect to compare with.
        assertThat(AuthorizationErrorRedirect.of(CHAT + "?refresh_token=1&state=s&code=c", null)).isEmpty();
        assertThat(AuthorizationErrorRedirect.of(null, CHAT)).isEmpty();
    }

    @Test
    void aNameThatDoesNotDecodeIsKeptAsItCame() {
        assertThat(AuthorizationErrorRedirect.of(CHAT + "?%zz=1&state=s&code=c", CHAT))
                .contains(CHAT + "?%zz=1&state=s&" + ERROR);
    }
}
