package io.github.customerauth.identifier;

import org.keycloak.Config;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderFactory;

/** The node's one {@link IdentifierNode}; deletes a user's or realm's identifier index rows with it. */
public final class IdentifierNodeFactory implements ProviderFactory<IdentifierNode> {

    private final IdentifierNode node = new IdentifierNode();

    @Override
    public IdentifierNode create(KeycloakSession session) {
        return node;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof UserModel.UserRemovedEvent removed) {
                // At the end of the removal's transaction: whatever else hears of the removal (linking's erasure
                // message) still finds the user's identifiers in the index, in whatever order listeners run.
                KeycloakSession session = removed.getKeycloakSession();
                RealmModel realm = removed.getRealm();
                String userId = removed.getUser().getId();
                session.getTransactionManager().enlistPrepare(new AbstractKeycloakTransaction() {
                    @Override
                    protected void commitImpl() {
                        IdentifierIndex.of(session).removeUser(realm, userId);
                    }

                    @Override
                    protected void rollbackImpl() {
                    }
                });
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
        return "default";
    }
}
