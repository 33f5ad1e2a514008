package io.github.customerauth.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;

/**
 * The realm setup's client-scope pieces, shared by its identifier and partner parts: a scope found by name, a hidden
 * scope of this extension's own, a mapper model, and a scope made a default scope of the clients named.
 */
public final class ClientScopes {

    private ClientScopes() {
    }

    public static ClientScopeModel named(RealmModel realm, String name) {
        return realm.getClientScopesStream().filter(scope -> name.equals(scope.getName())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no client scope " + name));
    }

    /** An OpenID Connect scope that neither shows on the consent screen nor appears in the token's {@code scope}. */
    public static void createHidden(RealmModel realm, String name, String description) {
        ClientScopeModel scope = realm.addClientScope(name);
        scope.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        scope.setDescription(description);
        scope.setIncludeInTokenScope(false);
        scope.setDisplayOnConsentScreen(false);
    }

    public static ProtocolMapperModel mapper(String name, String type, Map<String, String> config) {
        ProtocolMapperModel mapper = new ProtocolMapperModel();
        mapper.setName(name);
        mapper.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        mapper.setProtocolMapper(type);
        mapper.setConfig(new HashMap<>(config));
        return mapper;
    }

    /**
     * One change for each of these clients that does not have the scope {@code name} as a default scope yet (a client
     * that does not exist yet is made by an earlier change); an optional one is moved to the default ones.
     */
    public static List<PlannedChange> asDefaultOf(RealmModel realm, String step, String name, List<String> clientIds) {
        List<PlannedChange> changes = new ArrayList<>();
        for (String clientId : clientIds) {
            ClientModel client = realm.getClientByClientId(clientId);
            if (client == null || !client.getClientScopes(true).containsKey(name)) {
                changes.add(new PlannedChange(step, "give '" + clientId + "' the default client scope '" + name + "'",
                        () -> makeDefault(realm.getClientByClientId(clientId), named(realm, name))));
            }
        }
        return changes;
    }

    private static void makeDefault(ClientModel client, ClientScopeModel scope) {
        if (client.getClientScopes(false).containsKey(scope.getName())) {
            client.removeClientScope(scope);
        }
        client.addClientScope(scope, true);
    }
}
