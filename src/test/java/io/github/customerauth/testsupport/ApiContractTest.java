package io.github.customerauth.testsupport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code contracts/openapi.yaml} as {@link ApiContract} reads it: it tells good answers from bad ones. */
class ApiContractTest {

    private static final String JSON = "application/json";
    private static final String ALICE = "v1.1.sr5m95fFEb0qNN-wYIOGYaaIKz8";

    @Test
    void partnerAnswersAsTheReadmeShowsThemFit() {
        assertThat(ApiContract.problems("POST", "/realms/customers/partner/introspect", 200, JSON,
                "{\"active\":true,\"exp\":1795620612,\"iat\":1795620312,\"client_id\":\"web-chat\",\"token_type\":"
                        + "\"Bearer\",\"scope\":\"openid\",\"sid\":\"s1\",\"customer_id\":\"" + ALICE + "\"}")).isEmpty();
        assertThat(ApiContract.problems("POST", "/realms/customers/partner/introspect", 200, JSON,
                "{\"active\":false}")).isEmpty();
        assertThat(ApiContract.problems("POST", "/realms/customers/partner/compare", 200, JSON,
                "{\"active\":true,\"match\":false,\"claims\":{\"customer_id\":\"mismatch\",\"acr\":\"not_allowed\"}}"))
                .isEmpty();
        assertThat(ApiContract.problems("POST", "/realms/customers/partner/profile", 401, JSON,
                "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed.\"}")).isEmpty();
    }

    @Test
    void answersThatBreakItAreToldApart() {
        assertThat(ApiContract.problems("POST", "/realms/customers/partner/introspect", 200, JSON,
                "{\"active\":false,\"customer_id\":\"" + ALICE + "\"}")).as("an inactive answer says nothing more")
                .isNotEmpty();
        assertThat(ApiContract.problems("POST", "/realms/customers/partner/compare", 200, JSON,
                "{\"active\":true,\"match\":true,\"claims\":{\"customer_id\":\"0012345678\"}}"))
                .as("a comparison that echoes a value").isNotEmpty();
        assertThat(ApiContract.problems("POST", "/realms/customers/partner/profile", 400, JSON,
                "{\"error\":\"bad\"}")).isNotEmpty();
        assertThat(ApiContract.problems("POST", "/realms/customers/partner/profile", 500, JSON, "{}"))
                .containsExactly("status 500 is not documented");
        assertThat(ApiContract.problems("GET", "/admin/realms/customers/customer-links/webhooks/abc", 200, JSON,
                "{\"id\":\"abc\",\"name\":\"n\",\"url\":null,\"secret\":null,\"signatureFormat\":null,"
                        + "\"eventTypes\":[],\"channels\":[],\"enabled\":true,\"password\":\"x\"}"))
                .as("a receiver with a field the contract does not have").isNotEmpty();
    }

    @Test
    void theMostLiteralPathWinsAndOtherPathsAreNotChecked() {
        assertThat(ApiContract.problems("GET", "/admin/realms/customers/customer-identifiers/export", 200,
                "text/csv", "user_id,username,customer_id,key_id\n")).isEmpty();
        assertThat(ApiContract.problems("GET", "/admin/realms/customers/customer-links/dead-letters", 200, JSON,
                "[]")).isEmpty();
        assertThat(ApiContract.problems("GET", "/admin/realms/customers/customer-links/webhooks", 200, JSON,
                "{\"total\":0}")).as("the receivers' list, not a customer called webhooks").isNotEmpty();
        assertThat(ApiContract.problems("GET", "/admin/realms/customers/users", 200, JSON, "[{}]")).isEmpty();
    }
}
