package io.github.customerauth.identifier;

import io.github.customerauth.support.PlannedChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.userprofile.config.UPAttribute;
import org.keycloak.representations.userprofile.config.UPAttributePermissions;
import org.keycloak.representations.userprofile.config.UPConfig;
import org.keycloak.userprofile.UserProfileProvider;

/**
 * The account-number attribute in the realm's user profile, as the sample realm has it: only admins may change it,
 * 1-64 characters, and no two customers may have one account number.
 */
final class AccountNumberAttributeSetup {

    static final String STEP = "account-number-attribute";
    private static final String ADMIN = "admin";

    private AccountNumberAttributeSetup() {
    }

    static List<PlannedChange> plan(KeycloakSession session, String name) {
        UPAttribute attribute = profiles(session).getConfiguration().getAttribute(name);
        if (attribute == null) {
            return List.of(new PlannedChange(STEP, "add the user-profile attribute '" + name + "': 1-64 characters, "
                    + "edited and viewed by admins only, one customer per account number ("
                    + UniqueAccountNumberValidator.ID + ")", () -> change(session, name, added -> {
                    })));
        }
        List<PlannedChange> changes = new ArrayList<>();
        if (attribute.getValidations() == null
                || !attribute.getValidations().containsKey(UniqueAccountNumberValidator.ID)) {
            changes.add(new PlannedChange(STEP, "add the validator " + UniqueAccountNumberValidator.ID
                    + " to the user-profile attribute '" + name + "' (one customer per account number)",
                    () -> change(session, name, existing -> existing.addValidation(UniqueAccountNumberValidator.ID,
                            Map.of()))));
        }
        if (!onlyAdminsEdit(attribute)) {
            changes.add(new PlannedChange(STEP, "let only admins edit the user-profile attribute '" + name
                    + "' (a customer who changed it would take another customer's identifier)",
                    () -> change(session, name, existing -> existing.getPermissions().setEdit(Set.of(ADMIN)))));
        }
        return changes;
    }

    private static boolean onlyAdminsEdit(UPAttribute attribute) {
        UPAttributePermissions permissions = attribute.getPermissions();
        return permissions != null && permissions.getEdit() != null && Set.of(ADMIN).equals(permissions.getEdit());
    }

    /** Reads the configuration again when applied, so that each change builds on the one before. */
    private static void change(KeycloakSession session, String name, Consumer<UPAttribute> edit) {
        UserProfileProvider profiles = profiles(session);
        UPConfig config = profiles.getConfiguration().clone();
        UPAttribute attribute = config.getAttribute(name);
        if (attribute == null) {
            attribute = new UPAttribute(name, new UPAttributePermissions(Set.of(ADMIN), Set.of(ADMIN)));
            attribute.setDisplayName("Account number");
            attribute.addValidation("length", Map.of("min", 1, "max", 64));
            attribute.addValidation(UniqueAccountNumberValidator.ID, Map.of());
            config.addOrReplaceAttribute(attribute);
        } else if (attribute.getPermissions() == null) {
            attribute.setPermissions(new UPAttributePermissions(Set.of(ADMIN), Set.of(ADMIN)));
        }
        edit.accept(attribute);
        profiles.setConfiguration(config);
    }

    private static UserProfileProvider profiles(KeycloakSession session) {
        return session.getProvider(UserProfileProvider.class);
    }
}
