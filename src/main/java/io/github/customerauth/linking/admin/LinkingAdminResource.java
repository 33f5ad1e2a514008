package io.github.customerauth.linking.admin;

import io.github.customerauth.linking.store.CustomerLinks;
import io.github.customerauth.linking.store.Outbox;
import io.github.customerauth.linking.store.OutboxEntity;
import io.github.customerauth.linking.store.OutboxStatus;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** {@code /admin/realms/{realm}/customer-links}. */
public final class LinkingAdminResource {

    static final String EVENT_RESOURCE_TYPE = "CUSTOMER_LINKS";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    LinkingAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent.resource(EVENT_RESOURCE_TYPE);
    }

    @GET
    @Path("dead-letters")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> deadLetters(@QueryParam("first") @DefaultValue("0") int first,
                                                 @QueryParam("max") @DefaultValue("100") int max) {
        auth.realm().requireViewRealm();
        return Outbox.of(session).page(realm.getId(), OutboxStatus.DEAD, Math.max(0, first),
                        Math.min(Math.max(1, max), CustomerLinks.MAX_PAGE))
                .stream().map(LinkingAdminResource::describe).toList();
    }

    /**
     * Sends a dead-lettered message again, with a fresh maximum age. It keeps its place in its customer's order: if
     * the customer has older messages pending, it waits for them; later ones already delivered stay delivered, so the
     * receiver sees it late (its {@code time} says when it happened).
     */
    @POST
    @Path("dead-letters/{id}/replay")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> replay(@PathParam("id") String id) {
        auth.realm().requireManageRealm();
        Outbox outbox = Outbox.of(session);
        if (!outbox.replay(realm.getId(), id, System.currentTimeMillis())) {
            throw new ErrorResponseException("not_found", "No dead-lettered message with this id.", Response.Status.NOT_FOUND);
        }
        OutboxEntity row = outbox.find(id);
        adminEvent.operation(OperationType.ACTION).resourcePath(LinkingAdminResourceProviderFactory.PROVIDER_ID,
                "dead-letters", id, "replay").success();
        return describe(row);
    }

    /** The realm's webhook receivers as plain JSON. */
    @Path("webhooks")
    public WebhooksAdminResource webhooks() {
        return new WebhooksAdminResource(session, realm, auth, adminEvent);
    }

    /** The links of one customer; the read is an admin event. */
    @GET
    @Path("{customerId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> links(@PathParam("customerId") String customerId,
                                     @QueryParam("first") @DefaultValue("0") int first,
                                     @QueryParam("max") @DefaultValue("100") int max) {
        auth.users().requireView();
        adminEvent.operation(OperationType.ACTION).resourcePath(LinkingAdminResourceProviderFactory.PROVIDER_ID,
                customerId).success();
        return CustomerLinks.page(session, realm, customerId, Math.max(0, first),
                Math.min(Math.max(1, max), CustomerLinks.MAX_PAGE));
    }

    private static Map<String, Object> describe(OutboxEntity row) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", row.getId());
        json.put("event_id", row.getEventId());
        json.put("webhook_id", row.getWebhookId());
        json.put("customer_id", row.getCustomerId());
        json.put("status", row.getStatus());
        json.put("attempts", row.getAttempts());
        json.put("last_error", row.getLastError());
        json.put("created_at", Instant.ofEpochMilli(row.getCreatedAt()).toString());
        return json;
    }
}
