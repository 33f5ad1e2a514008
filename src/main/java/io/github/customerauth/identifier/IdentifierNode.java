package io.github.customerauth.identifier;

import io.github.customerauth.support.WarnOnce;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.Provider;

/**
 * What this node keeps of the identifier feature between requests: the keys read from the vault, each realm's
 * definition, the mappers' checked configurations, the owners the index confirmed, and the warnings already given.
 * One per node, fetched with {@code session.getProvider(IdentifierNode.class)} (this extension's own SPI,
 * {@link IdentifierNodeSpi}), so that the mapper stays a stateless translator and nothing casts a factory to reach
 * its caches.
 */
public final class IdentifierNode implements Provider {

    private final KeyCache keys = new KeyCache();
    private final DefinitionCache definitions = new DefinitionCache();
    private final CheckedMapperConfigs mapperConfigs = new CheckedMapperConfigs();
    private final IdentifierOwnership ownership = new IdentifierOwnership();
    private final WarnOnce warnings = new WarnOnce();

    static IdentifierNode of(KeycloakSession session) {
        IdentifierNode node = session.getProvider(IdentifierNode.class);
        if (node == null) {
            throw new IllegalStateException("the customer-identifier-node SPI is missing: run kc.sh build (or start"
                    + " without --optimized) after adding or replacing the customer-auth provider JAR");
        }
        return node;
    }

    KeyCache keys() {
        return keys;
    }

    DefinitionCache definitions() {
        return definitions;
    }

    CheckedMapperConfigs mapperConfigs() {
        return mapperConfigs;
    }

    IdentifierOwnership ownership() {
        return ownership;
    }

    WarnOnce warnings() {
        return warnings;
    }

    /** The node's, not the session's: it lives as long as its factory. */
    @Override
    public void close() {
    }
}
