package io.github.customerauth.identifier;

import java.util.List;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;

final class IdentifierIndexJpaProvider implements JpaEntityProvider {

    @Override
    public List<Class<?>> getEntities() {
        return List.of(IdentifierIndexEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/customer-auth/identifier-changelog.xml";
    }

    @Override
    public String getFactoryId() {
        return IdentifierIndexJpaProviderFactory.PROVIDER_ID;
    }

    @Override
    public void close() {
    }
}
