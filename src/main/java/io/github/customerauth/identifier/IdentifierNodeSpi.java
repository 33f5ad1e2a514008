package io.github.customerauth.identifier;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * The identifier feature's node state ({@link IdentifierNode}): this extension's own SPI, nothing to configure.
 * Not marked internal: Keycloak warns at every start about a provider outside its own code implementing an
 * internal SPI.
 */
public final class IdentifierNodeSpi implements Spi {

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return "customer-identifier-node";
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return IdentifierNode.class;
    }

    @Override
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return IdentifierNodeFactory.class;
    }
}
