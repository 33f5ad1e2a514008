package io.github.customerauth.testsupport;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test customers as the admin API creates them: password {@value #PASSWORD} and an account number. */
public final class Customers {

    public static final String PASSWORD = "Test-only-1!";

    private Customers() {
    }

    /** The user representation, for {@code POST .../users} or a partial import. */
    public static Map<String, Object> representation(String username, String accountNumber) {
        Map<String, Object> user = new HashMap<>(representation(username));
        user.put("attributes", Map.of("accountNumber", List.of(accountNumber)));
        return user;
    }

    /** A customer without an account number yet (a realm whose user profile does not know the attribute). */
    public static Map<String, Object> representation(String username) {
        return Map.of("username", username, "enabled", true, "email", username + "@customers.example.test",
                "firstName", username, "lastName", "Customer",
                "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)));
    }

    /** Creates the customer; returns the user id. */
    public static String create(AdminApi admin, String realm, String username, String accountNumber) {
        return AdminApi.createdId(admin.post("/admin/realms/" + realm + "/users", representation(username, accountNumber)));
    }
}
