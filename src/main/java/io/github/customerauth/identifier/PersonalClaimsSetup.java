package io.github.customerauth.identifier;

import io.github.customerauth.support.ClientScopes;
import io.github.customerauth.support.PlannedChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;

/**
 * Personal claims out of what a holder of a channel's access token can read: every personal mapper the privacy report
 * ({@link AccessTokenPrivacy}) would list for these clients, in their own mappers or any of their client scopes, stops
 * writing to the access token, introspection and userinfo, and keeps writing to the ID token if it did. A shared scope
 * (Keycloak's {@code profile}, {@code email}) changes for every client that has it, as in the sample realm; the change
 * names them. Keycloak's {@value #SERVICE_ACCOUNT_SCOPE} scope is left as it is for the service accounts that need
 * it and taken off these clients instead.
 */
public final class PersonalClaimsSetup {

    public static final String SERVICE_ACCOUNT_SCOPE = "service_account";
    static final String STEP = "personal-claims";
    private static final int NAMED_CLIENTS = 5;
    private static final List<String> HOLDER_SIDE = List.of(OIDCAttributeMapperHelper.INCLUDE_IN_ACCESS_TOKEN,
            OIDCAttributeMapperHelper.INCLUDE_IN_INTROSPECTION, OIDCAttributeMapperHelper.INCLUDE_IN_USERINFO);

    private PersonalClaimsSetup() {
    }

    public static List<PlannedChange> plan(RealmModel realm, List<String> clientIds) {
        Map<String, PlannedChange> changes = new LinkedHashMap<>();
        for (String clientId : clientIds) {
            ClientModel client = realm.getClientByClientId(clientId);
            if (client != null) {
                AccessTokenPrivacy.personalSources(client).forEach(source -> {
                    if (SERVICE_ACCOUNT_SCOPE.equals(source.scope())) {
                        changes.computeIfAbsent(clientId + '/' + source.scope(), key -> withoutServiceAccountScope(
                                realm, clientId));
                    } else {
                        changes.computeIfAbsent(source.mapper().getId(), id -> idTokenOnly(realm, clientId, clientIds,
                                source));
                    }
                });
            }
        }
        return new ArrayList<>(changes.values());
    }

    private static PlannedChange withoutServiceAccountScope(RealmModel realm, String clientId) {
        return new PlannedChange(STEP, "remove the client scope '" + SERVICE_ACCOUNT_SCOPE + "' from '" + clientId
                + "' (its mappers put the caller's host and IP address into tokens)", () -> {
                    ClientModel client = realm.getClientByClientId(clientId);
                    client.removeClientScope(ClientScopes.named(realm, SERVICE_ACCOUNT_SCOPE));
                });
    }

    private static PlannedChange idTokenOnly(RealmModel realm, String clientId, List<String> named,
                                             AccessTokenPrivacy.Source source) {
        String owner = source.scope() == null ? "client '" + clientId + "'" : "client scope '" + source.scope() + "'";
        String mapperId = source.mapper().getId();
        return new PlannedChange(STEP, "keep the mapper '" + source.mapper().getName() + "' of " + owner
                + " out of access tokens, introspection and userinfo (ID tokens only)"
                + alsoFor(realm, source.scope(), named), () -> {
                    ProtocolMapperContainerModel container = source.scope() == null
                            ? realm.getClientByClientId(clientId) : ClientScopes.named(realm, source.scope());
                    ProtocolMapperModel mapper = container.getProtocolMapperById(mapperId);
                    Map<String, String> config = new LinkedHashMap<>(mapper.getConfig());
                    HOLDER_SIDE.forEach(key -> config.put(key, "false"));
                    mapper.setConfig(config);
                    container.updateProtocolMapper(mapper);
                });
    }

    /** The other clients a change of a shared scope reaches, so that the dry run tells the admin. */
    private static String alsoFor(RealmModel realm, String scope, List<String> named) {
        if (scope == null) {
            return "";
        }
        List<String> others = realm.getClientsStream().filter(client -> !named.contains(client.getClientId()))
                .filter(client -> client.getClientScopes(true).containsKey(scope)
                        || client.getClientScopes(false).containsKey(scope))
                .map(ClientModel::getClientId).sorted().toList();
        if (others.isEmpty()) {
            return "";
        }
        String shown = String.join(", ", others.subList(0, Math.min(NAMED_CLIENTS, others.size())));
        return "; also for " + shown + (others.size() > NAMED_CLIENTS ? " and " + (others.size() - NAMED_CLIENTS)
                + " more" : "");
    }
}
