package io.github.customerauth.identifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The customer identifier of a realm: account-number attribute, key, key version and claim names. The one truth
 * that the mapper, the linking listener, the validator, the admin and the partner endpoints all read.
 *
 * <p>It is defined by the realm's identifier mappers in client scopes (or, when no client scope has one, on
 * clients). They must all agree on {@link IdentifierMapperConfig#definingFields()}; saving one that disagrees is
 * refused, and a realm imported with disagreeing or invalid mappers has no identifier until an admin fixes it.
 */
public final class RealmIdentifier {

    private final IdentifierMapperConfig config;
    private final IdentifierDerivation derivation;

    private RealmIdentifier(IdentifierMapperConfig config, IdentifierDerivation derivation) {
        this.config = config;
        this.derivation = derivation;
    }

    /** The realm's identifier, or empty when it has none or its configuration cannot be used (see {@link #define}). */
    public static Optional<RealmIdentifier> of(KeycloakSession session, RealmModel realm) {
        String memoKey = memoKey(realm);
        Object memo = session.getAttribute(memoKey);
        if (memo == null) {
            memo = resolve(session, realm);
            session.setAttribute(memoKey, memo);
        }
        return memo instanceof RealmIdentifier identifier ? Optional.of(identifier) : Optional.empty();
    }

    /**
     * The identifier a mapper of this request resolved (through the node's definition cache), for the rest of the
     * request: the linking listener of a token request then records the same identifier the token carries, without
     * reading the realm's scopes and mappers again.
     */
    static void rememberForRequest(KeycloakSession session, RealmModel realm, RealmIdentifier identifier) {
        String memoKey = memoKey(realm);
        if (session.getAttribute(memoKey) == null) {
            session.setAttribute(memoKey, identifier);
        }
    }

    /** Where a request keeps the realm's identifier, or why it has none. */
    private static String memoKey(RealmModel realm) {
        return RealmIdentifier.class.getName() + '/' + realm.getId();
    }

    /** Why the realm has no usable identifier, for a WARN; empty when it has one. */
    static Optional<String> problem(KeycloakSession session, RealmModel realm) {
        of(session, realm);
        Object memo = session.getAttribute(memoKey(realm));
        return memo instanceof Definition definition ? Optional.of(definition.problem()) : Optional.empty();
    }

    private static Object resolve(KeycloakSession session, RealmModel realm) {
        return withKey(session, define(realm));
    }

    /** The realm's identifier from a definition: its key read through the node's key cache, or why it is unusable. */
    static Object withKey(KeycloakSession session, Definition definition) {
        if (definition.problem() != null) {
            return definition;
        }
        try {
            return new RealmIdentifier(definition.config(),
                    IdentifierKeys.derivation(session, definition.config().keyReference(), definition.config().keyId()));
        } catch (IdentifierKey.InvalidKeyException e) {
            return new Definition(definition.config(), "the key is unusable: " + e.getMessage());
        }
    }

    /**
     * What the realm's identifier mappers define, or why they define nothing usable. Never reads the vault. Client
     * scopes come with the cached realm; clients are listed (from the database) only when no scope has a mapper.
     */
    static Definition define(RealmModel realm) {
        List<NamedConfig> mappers = mappersOf(realm.getClientScopesStream()
                .flatMap(scope -> scope.getProtocolMappersStream()));
        if (mappers.isEmpty()) {
            mappers = mappersOf(realm.getClientsStream().flatMap(client -> client.getProtocolMappersStream()));
        }
        if (mappers.isEmpty()) {
            return new Definition(null, "no identifier mapper is configured");
        }
        NamedConfig first = mappers.get(0);
        for (NamedConfig other : mappers) {
            if (!other.config().agreesWith(first.config())) {
                return new Definition(null, "identifier mappers '" + first.name() + "' and '" + other.name()
                        + "' disagree on attribute, key, key version or claim name");
            }
            Optional<String> problem = other.config().problem();
            if (problem.isPresent()) {
                return new Definition(null, "identifier mapper '" + other.name() + "': " + problem.get());
            }
        }
        return new Definition(first.config(), null);
    }

    /** Every identifier mapper of the realm, other than {@code exceptId}: what a mapper being saved must agree with. */
    static List<NamedConfig> allMappers(RealmModel realm, String exceptId) {
        List<NamedConfig> all = new ArrayList<>(mappersOf(realm.getClientScopesStream()
                .flatMap(scope -> scope.getProtocolMappersStream())));
        all.addAll(mappersOf(realm.getClientsStream().flatMap(client -> client.getProtocolMappersStream())));
        all.removeIf(mapper -> mapper.id() != null && mapper.id().equals(exceptId));
        return all;
    }

    private static List<NamedConfig> mappersOf(Stream<ProtocolMapperModel> models) {
        return models.filter(model -> CustomerIdentifierMapper.PROVIDER_ID.equals(model.getProtocolMapper()))
                .map(model -> new NamedConfig(model.getId(), model.getName(), new IdentifierMapperConfig(model.getConfig())))
                .toList();
    }

    public String claimName() {
        return config.claimName();
    }

    public String previousClaimName() {
        return config.claimName() + IdentifierMapperConfig.PREVIOUS_CLAIM_SUFFIX;
    }

    public String userAttribute() {
        return config.userAttribute();
    }

    IdentifierMapperConfig config() {
        return config;
    }

    IdentifierDerivation derivation() {
        return derivation;
    }

    /** The user's identifier under the active key, or empty for a user without account number. No ownership check. */
    Optional<String> identifierOf(UserModel user) {
        String canonical = AccountNumbers.canonical(user.getFirstAttribute(config.userAttribute()));
        return canonical.isEmpty() ? Optional.empty() : Optional.of(derivation.derive(canonical));
    }

    /** The realm's definition: a config when usable, else the problem (for an admin, never with secrets). */
    record Definition(IdentifierMapperConfig config, String problem) {
    }

    record NamedConfig(String id, String name, IdentifierMapperConfig config) {
    }
}
