package io.github.customerauth.setup;

import io.github.customerauth.identifier.IdentifierSetup;
import io.github.customerauth.identifier.PersonalClaimsSetup;
import io.github.customerauth.linking.admin.LinkingSetup;
import io.github.customerauth.partner.PartnerSetup;
import io.github.customerauth.support.PlannedChange;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.keycloak.Config;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.Constants;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.AdminClientRegisterContext;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code POST /admin/realms/{realm}/customer-setup}: the recommended configuration applied to an existing realm in
 * one step, in the request's transaction (all of it or nothing). Idempotent: what is already as recommended is left
 * alone, so a second call changes nothing. With {@code ?dryRun=true} it only lists what it would change.
 */
public final class RealmSetupResource {

    static final String EVENT_RESOURCE_TYPE = "CUSTOMER_SETUP";
    private static final Set<String> BUILT_IN_CLIENTS = Set.of(Constants.ADMIN_CLI_CLIENT_ID,
            Constants.ADMIN_CONSOLE_CLIENT_ID, Constants.ACCOUNT_MANAGEMENT_CLIENT_ID,
            Constants.ACCOUNT_CONSOLE_CLIENT_ID,
            Constants.BROKER_SERVICE_CLIENT_ID, Constants.REALM_MANAGEMENT_CLIENT_ID);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    RealmSetupResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                       AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> setUp(@QueryParam("dryRun") String dryRunParam, Map<String, Object> body) {
        boolean dryRun = dryRun(dryRunParam);
        if (dryRun) {
            auth.realm().requireViewRealm();
            auth.realm().requireViewEvents();
            auth.clients().requireView();
            auth.users().requireView();
        } else {
            auth.realm().requireManageRealm();
            auth.realm().requireManageEvents();
            auth.clients().requireManage();
            auth.users().requireManage();
        }
        List<PlannedChange> plan;
        try {
            SetupRequest request = SetupRequest.parse(body);
            if (request.identifier().key() != null) {
                // Whether a vault entry exists, and how long it is, is for those who may configure mappers.
                auth.realm().requireManageRealm();
            }
            plan = plan(request);
            if (!dryRun && realm.getClientByClientId(request.partner()) == null) {
                session.clientPolicy().triggerOnEvent(new AdminClientRegisterContext(
                        PartnerSetup.newPartner(request.partner()), auth.adminAuth()));
            }
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        } catch (ClientPolicyException e) {
            throw invalid("A client policy of this realm refuses the partner client: " + e.getErrorDetail());
        }
        List<Map<String, Object>> changes = plan.stream().map(PlannedChange::toJson).toList();
        if (!dryRun && !plan.isEmpty()) {
            apply(plan);
            adminEvent.refreshRealmEventsConfig(session).resource(EVENT_RESOURCE_TYPE).operation(OperationType.UPDATE)
                    .resourcePath(RealmSetupResourceProviderFactory.PROVIDER_ID).representation(changes).success();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("dryRun", dryRun);
        answer.put("changes", changes);
        return answer;
    }

    /** All or nothing: another change made at the same moment (a client or scope of the same name) undoes this one. */
    private void apply(List<PlannedChange> plan) {
        try {
            plan.forEach(change -> change.apply().run());
            session.getProvider(JpaConnectionProvider.class).getEntityManager().flush();
        } catch (ModelDuplicateException e) {
            session.getTransactionManager().setRollbackOnly();
            throw new ErrorResponseException("conflict", "Another change to this realm made a client, scope or role "
                    + "of the same name meanwhile; nothing was changed: run the setup again.",
                    Response.Status.CONFLICT);
        }
    }

    /** In the order they must run: the partner exists before it gets scopes, a scope before clients get it. */
    private List<PlannedChange> plan(SetupRequest request) {
        if (Config.getAdminRealm().equals(realm.getName())) {
            throw new IllegalArgumentException("The setup is for the realm of your customers, not the admin realm '"
                    + realm.getName() + "'.");
        }
        request.channels().forEach(this::requireChannel);
        List<String> receivers = new ArrayList<>(request.channels());
        receivers.add(request.partner());
        List<PlannedChange> plan = new ArrayList<>(PartnerSetup.client(session, realm, request.partner()));
        plan.addAll(IdentifierSetup.plan(session, realm, request.identifier(), receivers));
        plan.addAll(PartnerSetup.access(session, realm, request.partner(), request.channels()));
        plan.addAll(PersonalClaimsSetup.plan(realm, receivers));
        plan.addAll(LinkingSetup.plan(realm));
        return plan;
    }

    private void requireChannel(String clientId) {
        if (BUILT_IN_CLIENTS.contains(clientId)) {
            throw new IllegalArgumentException("'" + clientId + "' is one of Keycloak's own clients, not a channel.");
        }
        ClientModel client = realm.getClientByClientId(clientId);
        if (client == null) {
            throw new IllegalArgumentException("No client '" + clientId + "' in this realm: create the channel clients "
                    + "first (the setup gives them the identifier, it does not create them).");
        }
        if (!OIDCLoginProtocol.LOGIN_PROTOCOL.equals(client.getProtocol()) || client.isBearerOnly()) {
            throw new IllegalArgumentException("'" + clientId + "' cannot be a channel: a channel is an OpenID "
                    + "Connect client that logs customers in.");
        }
    }

    private static boolean dryRun(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw invalid("dryRun must be true or false.");
    }

    private static ErrorResponseException invalid(String message) {
        return new ErrorResponseException("invalid_setup", message, Response.Status.BAD_REQUEST);
    }
}
