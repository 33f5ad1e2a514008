package io.github.customerauth.testsupport;

import java.util.List;
import java.util.Map;

/** Test customers as the admin API creates them: password {@value #PASSWORD} and an account number. */
public final class Customers {

    public static final String PASSWORD = "Test-only-1!";

    private Customers() {
    }

    /** The user representation, for {@code POST .../users} or a partial import. */
    public static Map<String, Object> representation(String username, String accountNumber) {
        return Map.of("username", username, "enabled", true, "email", username + "@customers.example.test",
                "firstName", username, "lastName", "Customer", "attributes", Map.of("accountNumber", List.of(accountNumber)),
                "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)));
    }

    /** Creates the customer; returns the user id. */
    public static String create(AdminApi admin, String realm, String username, String accountNumber) {
        return AdminApi.createdId(admin.post("/admin/realms/" + realm + "/users", representation(username, accountNumber)));
    }
}
