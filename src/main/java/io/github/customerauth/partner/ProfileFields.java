package io.github.customerauth.partner;

import java.util.List;
import org.keycloak.models.UserModel;

/** Reads one allowed profile field of a customer: the built-in fields by name, anything else as an attribute. */
final class ProfileFields {

    private ProfileFields() {
    }

    static Object read(UserModel user, String field) {
        return switch (field) {
            case UserModel.USERNAME -> user.getUsername();
            case UserModel.EMAIL -> user.getEmail();
            case UserModel.FIRST_NAME -> user.getFirstName();
            case UserModel.LAST_NAME -> user.getLastName();
            case "emailVerified" -> user.isEmailVerified();
            default -> {
                List<String> values = user.getAttributeStream(field).toList();
                yield values.isEmpty() ? null : values.size() == 1 ? values.get(0) : values;
            }
        };
    }
}
