package io.github.customerauth.identifier;

import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Adds the identifier index table ({@code CA_CUSTOMER_IDENTIFIER}) to Keycloak's database through Liquibase, and
 * removes a user's rows when the user is deleted and a realm's rows when the realm is. No configuration.
 */
public final class IdentifierIndexJpaProviderFactory implements JpaEntityProviderFactory {

    public static final String PROVIDER_ID = "customer-auth-identifier-index";

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return new IdentifierIndexJpaProvider();
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof UserModel.UserRemovedEvent removed) {
                IdentifierIndex.of(removed.getKeycloakSession()).removeUser(removed.getRealm(), removed.getUser().getId());
            } else if (event instanceof RealmModel.RealmRemovedEvent removed) {
                IdentifierIndex.of(removed.getKeycloakSession()).removeRealm(removed.getRealm());
            }
        });
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
