package io.github.customerauth.partner;

import io.github.customerauth.identifier.PersonalClaimsSetup;
import io.github.customerauth.support.ClientScopes;
import io.github.customerauth.support.PlannedChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.services.managers.ClientManager;
import org.keycloak.services.managers.RealmManager;

/**
 * The partner part of the recommended realm configuration: a confidential client with a service account that has
 * the {@value PartnerResource#PARTNER_ROLE} role, named in the channels' access tokens by an audience scope (so that
 * it may introspect and exchange them), with standard token exchange on and the channels in its channel list.
 */
public final class PartnerSetup {

    static final String STEP = "partner";
    static final String STANDARD_EXCHANGE = "standard.token.exchange.enabled";
    private static final String AUDIENCE_MAPPER = "oidc-audience-mapper";

    private PartnerSetup() {
    }

    /**
     * The partner client itself, created when absent.
     *
     * @throws IllegalArgumentException when an existing client cannot be a partner (public, bearer-only, not OIDC)
     */
    public static List<PlannedChange> client(KeycloakSession session, RealmModel realm, String partnerId) {
        ClientModel partner = realm.getClientByClientId(partnerId);
        if (partner == null) {
            return List.of(new PlannedChange(STEP, "create the confidential client '" + partnerId + "' with a "
                    + "service account and a generated secret (Clients, " + partnerId + ", Credentials), and only "
                    + "the 'basic' default scope", () -> create(session, realm, partnerId)));
        }
        if (!OIDCLoginProtocol.LOGIN_PROTOCOL.equals(partner.getProtocol()) || partner.isPublicClient()
                || partner.isBearerOnly()) {
            throw new IllegalArgumentException("'" + partnerId + "' cannot be the partner: a partner is an OpenID "
                    + "Connect client that authenticates itself (Client authentication on, not bearer-only).");
        }
        if (!partner.isServiceAccountsEnabled()) {
            return List.of(new PlannedChange(STEP, "turn on the service account of '" + partnerId + "'", () -> {
                ClientModel client = realm.getClientByClientId(partnerId);
                client.setServiceAccountsEnabled(true);
                enableServiceAccount(session, client);
            }));
        }
        return List.of();
    }

    /** What the partner may do once it exists: its role, its audience in the channels' tokens, exchange, channels. */
    public static List<PlannedChange> access(KeycloakSession session, RealmModel realm, String partnerId,
                                             List<String> channels) {
        List<PlannedChange> changes = new ArrayList<>();
        ClientModel partner = realm.getClientByClientId(partnerId);
        RoleModel role = realm.getRole(PartnerResource.PARTNER_ROLE);
        if (role == null) {
            changes.add(new PlannedChange(STEP, "create the realm role '" + PartnerResource.PARTNER_ROLE + "'",
                    () -> realm.addRole(PartnerResource.PARTNER_ROLE)));
        }
        UserModel serviceAccount = partner == null ? null : session.users().getServiceAccount(partner);
        if (role == null || serviceAccount == null || !serviceAccount.hasRole(role)) {
            changes.add(new PlannedChange(STEP, "grant '" + PartnerResource.PARTNER_ROLE
                    + "' to the service account of '" + partnerId + "'", () -> session.users()
                    .getServiceAccount(realm.getClientByClientId(partnerId))
                    .grantRole(realm.getRole(PartnerResource.PARTNER_ROLE))));
        }
        changes.addAll(audience(realm, partnerId, channels));
        if (partner == null || !"true".equals(partner.getAttribute(STANDARD_EXCHANGE))) {
            changes.add(new PlannedChange(STEP, "let '" + partnerId + "' exchange a channel's token for its own "
                    + "(standard token exchange)",
                    () -> realm.getClientByClientId(partnerId).setAttribute(STANDARD_EXCHANGE, "true")));
        }
        Set<String> listed = partner == null ? Set.of() : PartnerPolicy.of(partner).channels();
        if (!listed.containsAll(channels)) {
            Set<String> all = new TreeSet<>(listed);
            all.addAll(channels);
            changes.add(new PlannedChange(STEP, "list the channels " + String.join(" ", all) + " in '" + partnerId
                    + "'s " + PartnerPolicy.CHANNELS + " (it may see their tokens and links)",
                    () -> realm.getClientByClientId(partnerId).setAttribute(PartnerPolicy.CHANNELS,
                            String.join(" ", all))));
        }
        return changes;
    }

    /** A scope that puts the partner into {@code aud}, as a default scope of each channel and of the partner. */
    private static List<PlannedChange> audience(RealmModel realm, String partnerId, List<String> channels) {
        List<PlannedChange> changes = new ArrayList<>();
        ClientScopeModel scope = realm.getClientScopesStream()
                .filter(candidate -> candidate.getProtocolMappersStream().anyMatch(mapper -> names(mapper, partnerId)))
                .findFirst().orElse(null);
        String name = scope == null ? partnerId + "-audience" : scope.getName();
        boolean named = realm.getClientScopesStream().anyMatch(candidate -> name.equals(candidate.getName()));
        if (!named) {
            changes.add(new PlannedChange(STEP, "create the client scope '" + name + "'",
                    () -> ClientScopes.createHidden(realm, name, "Names " + partnerId
                            + " in the access token's aud: give it to channel clients only")));
        }
        if (scope == null) {
            changes.add(new PlannedChange(STEP, "add to '" + name + "' a mapper that names '" + partnerId
                    + "' in the audience of access tokens and introspection",
                    () -> ClientScopes.named(realm, name).addProtocolMapper(audienceMapper(partnerId))));
        }
        List<String> holders = new ArrayList<>(channels);
        holders.add(partnerId);
        changes.addAll(ClientScopes.asDefaultOf(realm, STEP, name, holders));
        return changes;
    }

    private static boolean names(ProtocolMapperModel mapper, String partnerId) {
        return AUDIENCE_MAPPER.equals(mapper.getProtocolMapper())
                && partnerId.equals(mapper.getConfig().get("included.client.audience"))
                && "true".equals(mapper.getConfig().get(OIDCAttributeMapperHelper.INCLUDE_IN_ACCESS_TOKEN));
    }

    private static ProtocolMapperModel audienceMapper(String partnerId) {
        return ClientScopes.mapper("audience " + partnerId, AUDIENCE_MAPPER, Map.of(
                "included.client.audience", partnerId,
                OIDCAttributeMapperHelper.INCLUDE_IN_ACCESS_TOKEN, "true",
                OIDCAttributeMapperHelper.INCLUDE_IN_INTROSPECTION, "true",
                OIDCAttributeMapperHelper.INCLUDE_IN_ID_TOKEN, "false"));
    }

    /** The partner client the setup creates when there is none: what client policies are asked about first. */
    public static ClientRepresentation newPartner(String partnerId) {
        ClientRepresentation rep = new ClientRepresentation();
        rep.setClientId(partnerId);
        rep.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        rep.setPublicClient(false);
        rep.setClientAuthenticatorType(KeycloakModelUtils.getDefaultClientAuthenticatorType());
        rep.setServiceAccountsEnabled(true);
        rep.setStandardFlowEnabled(false);
        rep.setDirectAccessGrantsEnabled(false);
        rep.setImplicitFlowEnabled(false);
        rep.setDescription("Partner backend: introspects and exchanges the channels' customer tokens");
        return rep;
    }

    private static void create(KeycloakSession session, RealmModel realm, String partnerId) {
        ClientModel client = ClientManager.createClient(session, realm, newPartner(partnerId));
        if (client.getSecret() == null) {
            KeycloakModelUtils.generateSecret(client);
        }
        client.getClientScopes(true).values().forEach(client::removeClientScope);
        client.getClientScopes(false).values().forEach(client::removeClientScope);
        realm.getClientScopesStream().filter(scope -> "basic".equals(scope.getName())).findFirst()
                .ifPresent(basic -> client.addClientScope(basic, true));
        enableServiceAccount(session, client);
    }

    /**
     * Keycloak also gives a client whose service account it turns on the realm's
     * {@value PersonalClaimsSetup#SERVICE_ACCOUNT_SCOPE} scope, whose mappers put the caller's host and IP address
     * into tokens; the partner's tokens (its exchanges of a customer's token included) do without it, as in the
     * sample realm.
     */
    private static void enableServiceAccount(KeycloakSession session, ClientModel client) {
        if (session.users().getServiceAccount(client) == null) {
            new ClientManager(new RealmManager(session)).enableServiceAccount(client);
        }
        ClientScopeModel serviceAccountScope = client.getClientScopes(true)
                .get(PersonalClaimsSetup.SERVICE_ACCOUNT_SCOPE);
        if (serviceAccountScope != null) {
            client.removeClientScope(serviceAccountScope);
        }
    }
}
