package io.github.customerauth.identifier;

import io.github.customerauth.support.ClientScopes;
import io.github.customerauth.support.PlannedChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;

/**
 * The identifier part of the recommended realm configuration: the account-number attribute, a usable key, and one
 * client scope with the identifier mapper and the username withheld from introspection, given as a default scope to
 * the clients named (the channels and the partner) and to no other. A realm that already has an identifier keeps it.
 */
public final class IdentifierSetup {

    public static final String SCOPE = "customer-identifier";
    static final String STEP = "identifier-scope";
    static final String WITHHELD_MAPPER = "username withheld from introspection";

    /** What the admin asked for; null where the default (or the realm's existing identifier) applies. */
    public record Choice(String accountNumberAttribute, String key, String keyId, String claimName) {
    }

    private IdentifierSetup() {
    }

    /**
     * @throws IllegalArgumentException with a message for the admin when the identifier cannot be set up as asked
     *         (no usable key in the vault, a choice that contradicts the realm's existing identifier)
     */
    public static List<PlannedChange> plan(KeycloakSession session, RealmModel realm, Choice choice,
                                           List<String> receivers) {
        IdentifierMapperConfig config = resolve(realm, choice);
        config.validateStatic();
        IdentifierKeys.derivation(session, config.keyReference(), config.keyId());
        if (config.previousKeyReference() != null) {
            IdentifierKeys.derivation(session, config.previousKeyReference(), config.previousKeyId());
        }
        List<PlannedChange> changes = new ArrayList<>(AccountNumberAttributeSetup.plan(session,
                config.userAttribute()));
        ClientScopeModel scope = identifierScope(realm);
        String name = scope == null ? SCOPE : scope.getName();
        if (scope == null) {
            changes.add(new PlannedChange(STEP, "create the client scope '" + name + "' (not a realm default scope: "
                    + "only the clients named here get it)", () -> ClientScopes.createHidden(realm, name,
                    "Opaque customer identifier: give it to channel clients and the partner only")));
        }
        if (scope == null || scope.getProtocolMappersStream().noneMatch(IdentifierSetup::isIdentifierMapper)) {
            changes.add(new PlannedChange(STEP, "add the mapper 'customer identifier' to '" + name + "': claim '"
                    + config.claimName() + "' from the attribute '" + config.userAttribute() + "', key "
                    + config.keyReference() + " version " + config.keyId(),
                    () -> ClientScopes.named(realm, name).addProtocolMapper(identifierMapper(config))));
        }
        if (scope == null || scope.getProtocolMappersStream().noneMatch(AccessTokenPrivacy::writesImpersonalUsername)) {
            changes.add(new PlannedChange(STEP, "add the mapper '" + WITHHELD_MAPPER + "' to '" + name
                    + "': Keycloak's introspection answers \"username\": \"withheld\" instead of the username",
                    () -> ClientScopes.named(realm, name).addProtocolMapper(withheldUsername())));
        }
        if (scope != null && Stream.concat(realm.getDefaultClientScopesStream(true),
                realm.getDefaultClientScopesStream(false)).anyMatch(s -> s.getId().equals(scope.getId()))) {
            changes.add(new PlannedChange(STEP, "remove '" + name + "' from the realm's default client scopes "
                    + "(every new client would receive the identifier)",
                    () -> realm.removeDefaultClientScope(ClientScopes.named(realm, name))));
        }
        changes.addAll(ClientScopes.asDefaultOf(realm, STEP, name, receivers));
        return changes;
    }

    /** The realm's identifier as it is, when it has one (the choice must then agree), or the choice with defaults. */
    private static IdentifierMapperConfig resolve(RealmModel realm, Choice choice) {
        List<RealmIdentifier.NamedConfig> existing = RealmIdentifier.allMappers(realm, null);
        if (existing.isEmpty()) {
            Map<String, String> raw = new HashMap<>();
            raw.put(IdentifierMapperConfig.USER_ATTRIBUTE, Objects.requireNonNullElse(choice.accountNumberAttribute(),
                    IdentifierMapperConfig.DEFAULT_USER_ATTRIBUTE));
            raw.put(IdentifierMapperConfig.KEY, Objects.requireNonNullElse(choice.key(),
                    IdentifierMapperConfig.DEFAULT_KEY));
            raw.put(IdentifierMapperConfig.KEY_ID, Objects.requireNonNullElse(choice.keyId(),
                    IdentifierMapperConfig.DEFAULT_KEY_ID));
            raw.put(OIDCAttributeMapperHelper.TOKEN_CLAIM_NAME, Objects.requireNonNullElse(choice.claimName(),
                    IdentifierMapperConfig.DEFAULT_CLAIM));
            return new IdentifierMapperConfig(raw);
        }
        IdentifierMapperConfig current = existing.get(0).config();
        for (RealmIdentifier.NamedConfig other : existing) {
            if (!other.config().agreesWith(current)) {
                throw new IllegalArgumentException("The realm's identifier mappers '" + existing.get(0).name()
                        + "' and '" + other.name() + "' disagree; make them agree before the setup.");
            }
        }
        requireSame("accountNumberAttribute", choice.accountNumberAttribute(), current.userAttribute());
        requireSame("key", choice.key(), current.keyReference());
        requireSame("keyId", choice.keyId(), current.keyId());
        requireSame("claimName", choice.claimName(), current.claimName());
        return current;
    }

    private static void requireSame(String field, String asked, String current) {
        if (asked != null && !asked.equals(current)) {
            throw new IllegalArgumentException("The realm already has an identifier with " + field + " '" + current
                    + "'; the setup keeps it (changing it would give every customer another identifier): leave out "
                    + field + " or rotate the key as the admin guide says.");
        }
    }

    /**
     * The scope that holds the realm's identifier mappers, else one named {@value #SCOPE}; null when neither exists.
     * It must be a scope of its own: the setup gives it to the channels and the partner only.
     */
    private static ClientScopeModel identifierScope(RealmModel realm) {
        List<ClientScopeModel> holding = realm.getClientScopesStream()
                .filter(scope -> scope.getProtocolMappersStream().anyMatch(IdentifierSetup::isIdentifierMapper))
                .toList();
        if (holding.size() > 1) {
            throw new IllegalArgumentException("Identifier mappers are in the client scopes " + holding.stream()
                    .map(ClientScopeModel::getName).sorted().toList() + "; keep one scope with the identifier and "
                    + "give it to the clients that need it, then run the setup.");
        }
        ClientScopeModel scope = holding.isEmpty() ? realm.getClientScopesStream()
                .filter(candidate -> SCOPE.equals(candidate.getName())).findFirst().orElse(null) : holding.get(0);
        if (scope != null) {
            scope.getProtocolMappersStream().filter(mapper -> !isIdentifierMapper(mapper)
                            && !AccessTokenPrivacy.writesImpersonalUsername(mapper))
                    .findFirst().ifPresent(other -> {
                        throw new IllegalArgumentException("The client scope '" + scope.getName() + "' also holds the "
                                + "mapper '" + other.getName() + "'; the identifier needs a scope of its own (only "
                                + "channels and the partner get it): move that mapper, or the identifier mapper.");
                    });
        }
        return scope;
    }

    private static boolean isIdentifierMapper(ProtocolMapperModel mapper) {
        return CustomerIdentifierMapper.PROVIDER_ID.equals(mapper.getProtocolMapper());
    }

    private static ProtocolMapperModel identifierMapper(IdentifierMapperConfig config) {
        Map<String, String> raw = new HashMap<>();
        raw.put(IdentifierMapperConfig.USER_ATTRIBUTE, config.userAttribute());
        raw.put(IdentifierMapperConfig.ALGORITHM, config.algorithm());
        raw.put(IdentifierMapperConfig.KEY, config.keyReference());
        raw.put(IdentifierMapperConfig.KEY_ID, config.keyId());
        raw.put(OIDCAttributeMapperHelper.TOKEN_CLAIM_NAME, config.claimName());
        raw.put(IdentifierMapperConfig.MISSING_ATTRIBUTE, "omit");
        for (String token : List.of(OIDCAttributeMapperHelper.INCLUDE_IN_ACCESS_TOKEN,
                OIDCAttributeMapperHelper.INCLUDE_IN_ID_TOKEN, OIDCAttributeMapperHelper.INCLUDE_IN_USERINFO,
                OIDCAttributeMapperHelper.INCLUDE_IN_INTROSPECTION)) {
            raw.put(token, "true");
        }
        return ClientScopes.mapper("customer identifier", CustomerIdentifierMapper.PROVIDER_ID, raw);
    }

    private static ProtocolMapperModel withheldUsername() {
        return ClientScopes.mapper(WITHHELD_MAPPER, "oidc-hardcoded-claim-mapper", Map.of(
                OIDCAttributeMapperHelper.TOKEN_CLAIM_NAME, "username", "claim.value", "withheld",
                OIDCAttributeMapperHelper.JSON_TYPE, "String",
                OIDCAttributeMapperHelper.INCLUDE_IN_INTROSPECTION, "true",
                OIDCAttributeMapperHelper.INCLUDE_IN_ACCESS_TOKEN, "false",
                OIDCAttributeMapperHelper.INCLUDE_IN_ID_TOKEN, "false",
                OIDCAttributeMapperHelper.INCLUDE_IN_USERINFO, "false"));
    }
}
