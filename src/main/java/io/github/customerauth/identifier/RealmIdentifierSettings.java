package io.github.customerauth.identifier;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The identifier settings in force in a realm, read from its identifier mappers (client scopes first, then
 * clients). Every mapper of a realm is expected to use the same attribute and key: that is what makes the value
 * the same on every channel.
 */
final class RealmIdentifierSettings {

    private RealmIdentifierSettings() {
    }

    /** Distinct mapper configurations, by attribute, key and key version. */
    static List<IdentifierMapperConfig> of(RealmModel realm) {
        return configs(realm).filter(distinctBy()).toList();
    }

    /** The realm's active derivation: the first identifier mapper's key. */
    static ActiveDerivation active(KeycloakSession session, RealmModel realm) {
        // Called for every linking event: stop at the first mapper, usually in a client scope (cached with the
        // realm), so that the realm's clients, which Keycloak lists from the database, are read only when needed.
        IdentifierMapperConfig config = configs(realm).findFirst().orElse(null);
        if (config == null) {
            return null;
        }
        return new ActiveDerivation(config.userAttribute(),
                IdentifierKeys.derivation(session, config.keyReference(), config.keyId()));
    }

    /** Identifier mapper configurations, client scopes first, then clients; clients are listed lazily. */
    private static Stream<IdentifierMapperConfig> configs(RealmModel realm) {
        Stream<Supplier<Stream<ProtocolMapperModel>>> sources = Stream.of(
                () -> realm.getClientScopesStream().flatMap(scope -> scope.getProtocolMappersStream()),
                () -> realm.getClientsStream().flatMap(client -> client.getProtocolMappersStream()));
        return sources.flatMap(Supplier::get)
                .filter(model -> CustomerIdentifierMapper.PROVIDER_ID.equals(model.getProtocolMapper()))
                .map(model -> new IdentifierMapperConfig(model.getConfig()));
    }

    /** The active derivation, or empty when the realm has no identifier mapper or its key is unusable. */
    static Optional<ActiveDerivation> usable(KeycloakSession session, RealmModel realm) {
        try {
            return Optional.ofNullable(active(session, realm));
        } catch (IdentifierKey.InvalidKeyException e) {
            return Optional.empty();
        }
    }

    record ActiveDerivation(String userAttribute, IdentifierDerivation derivation) {

        /** The user's identifier, or empty for a user without account number. */
        Optional<String> identifierOf(UserModel user) {
            String canonical = AccountNumbers.canonical(user.getFirstAttribute(userAttribute));
            return canonical.isEmpty() ? Optional.empty() : Optional.of(derivation.derive(canonical));
        }
    }

    private static java.util.function.Predicate<IdentifierMapperConfig> distinctBy() {
        java.util.Set<List<String>> seen = new java.util.HashSet<>();
        return config -> seen.add(List.of(config.userAttribute(), config.keyReference(), config.keyId(),
                Objects.toString(config.previousKeyReference())));
    }
}
