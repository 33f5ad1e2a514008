package io.github.customerauth.identifier;

import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.userprofile.UserProfileAttributeValidationContext;
import org.keycloak.validate.SimpleValidator;
import org.keycloak.validate.ValidationContext;
import org.keycloak.validate.ValidationError;
import org.keycloak.validate.ValidatorConfig;

/**
 * User-profile validator for the account-number attribute: refuses a value another user of the realm already has,
 * compared in canonical form ({@code "0012 3456"} and {@code "00123456"} are the same account). Add it to the
 * attribute in the realm's user profile as {@code customer-auth-unique-account-number}; no options.
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
        String value = values.isEmpty() ? null : values.get(0);
        String canonical = AccountNumbers.canonical(value);
        if (canonical.isEmpty()) {
            return context;
        }
        KeycloakSession session = context.getSession();
        RealmModel realm = session.getContext().getRealm();
        UserModel user = UserProfileAttributeValidationContext.from(context).getAttributeContext().getUser();
        if (user != null && canonical.equals(AccountNumbers.canonical(user.getFirstAttribute(inputHint)))) {
            return context;
        }
        boolean taken = Stream.concat(holdersByValue(session, realm, inputHint, value, canonical),
                        holderByIdentifier(session, realm, inputHint, canonical).stream())
                .anyMatch(holder -> user == null || !Objects.equals(holder, user.getId()));
        if (taken) {
            context.addError(new ValidationError(ID, inputHint, MESSAGE).setStatusCode(Response.Status.CONFLICT));
        }
        return context;
    }

    private static Stream<String> holdersByValue(KeycloakSession session, RealmModel realm, String attribute,
                                                 String value, String canonical) {
        return Stream.of(value, canonical).distinct()
                .flatMap(candidate -> session.users().searchForUserByUserAttributeStream(realm, attribute, candidate))
                // Not UserModel::getId: that reference names 26.7's new Model interface, which 26.5 lacks.
                .map(holder -> holder.getId());
    }

    /** Catches other spellings of the same account among customers already in the identifier index. */
    private static Optional<String> holderByIdentifier(KeycloakSession session, RealmModel realm, String attribute,
                                                       String canonical) {
        return RealmIdentifierSettings.usable(session, realm)
                .flatMap(active -> IdentifierIndex.of(session).find(realm.getId(), active.derivation().derive(canonical)))
                .map(row -> session.users().getUserById(realm, row.getUserId()))
                .filter(holder -> canonical.equals(AccountNumbers.canonical(holder.getFirstAttribute(attribute))))
                .map(holder -> holder.getId());
    }
}
