package io.github.customerauth.identifier;

import java.util.List;
import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Adds the identifier index table ({@code CA_CUSTOMER_IDENTIFIER}) through Liquibase. No configuration; the rows'
 * life (removal with their user or realm) is {@link CustomerIdentifierMapper}'s.
 */
public final class IdentifierIndexJpaProviderFactory implements JpaEntityProviderFactory, JpaEntityProvider {

    public static final String PROVIDER_ID = "customer-auth-identifier-index";

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
        return PROVIDER_ID;
    }

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
