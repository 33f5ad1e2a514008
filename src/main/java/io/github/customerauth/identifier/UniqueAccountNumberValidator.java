package io.github.customerauth.identifier;

import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.userprofile.AttributeContext;
import org.keycloak.userprofile.UserProfileAttributeValidationContext;
import org.keycloak.validate.SimpleValidator;
import org.keycloak.validate.ValidationContext;
import org.keycloak.validate.ValidationError;
import org.keycloak.validate.ValidatorConfig;

/**
 * User-profile validator for the account-number attribute: refuses a value another user of the realm already has,
 * compared in canonical form ({@code "0012 3456"} and {@code "00123456"} are the same account). When the realm has an
 * identifier, the save also writes the value's index row in the user's transaction, whose unique key stops two
 * concurrent saves of one account number from both succeeding. Add it to the attribute in the realm's user profile
 * as {@code customer-auth-unique-account-number}; no options.
 */
public final class UniqueAccountNumberValidator implements SimpleValidator {

    public static final String ID = "customer-auth-unique-account-number";
    static final String MESSAGE = "Another customer already has this account number.";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public ValidationContext validate(Object input, String inputHint, ValidationContext context,
                                      ValidatorConfig config) {
        @SuppressWarnings("unchecked")
        List<String> values = input instanceof List ? (List<String>) input : List.of();
        String canonical = AccountNumbers.canonical(values.isEmpty() ? null : values.get(0));
        if (canonical.isEmpty()) {
            return context;
        }
        KeycloakSession session = context.getSession();
        RealmModel realm = session.getContext().getRealm();
        AttributeContext attributes = UserProfileAttributeValidationContext.from(context).getAttributeContext();
        UserModel user = attributes.getUser();
        if (user != null && canonical.equals(AccountNumbers.canonical(user.getFirstAttribute(inputHint)))) {
            return context;
        }
        Optional<RealmIdentifier> identifier = RealmIdentifier.of(session, realm)
                .filter(active -> active.userAttribute().equals(inputHint));
        String self = user == null ? null : user.getId();
        if (AccountNumberHolders.of(session, realm, inputHint, values.get(0), canonical).stream()
                .anyMatch(id -> !id.equals(self))) {
            return conflict(context, inputHint);
        }
        if (identifier.isEmpty()) {
            return context;
        }
        String value = identifier.get().derivation().derive(canonical);
        Optional<IdentifierIndexEntity> row = IdentifierIndex.of(session).find(realm.getId(), value);
        // Spellings the database cannot fold (full-width digits, tabs) are found through the index.
        if (row.isPresent() && !row.get().getUserId().equals(self)
                && IdentifierHolders.stillHolds(session, realm, row.get().getUserId(), inputHint,
                        identifier.get().derivation(), value)) {
            return conflict(context, inputHint);
        }
        AccountNumberReservation.enlist(session, realm, inputHint, identifier.get().derivation(), value, user,
                user == null ? attributes.getAttributes().getFirst(UserModel.USERNAME) : null,
                row.map(IdentifierIndexEntity::getId).orElse(null));
        return context;
    }

    private static ValidationContext conflict(ValidationContext context, String attribute) {
        context.addError(new ValidationError(ID, attribute, MESSAGE).setStatusCode(Response.Status.CONFLICT));
        return context;
    }
}
