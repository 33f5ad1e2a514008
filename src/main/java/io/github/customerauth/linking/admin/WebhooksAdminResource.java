package io.github.customerauth.linking.admin;

import io.github.customerauth.linking.receiver.TestMessage;
import io.github.customerauth.linking.receiver.Webhook;
import io.github.customerauth.linking.receiver.WebhookJson;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.text.MessageFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.ModelToRepresentation;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code /admin/realms/{realm}/customer-links/webhooks}: the realm's webhook receivers as plain JSON
 * ({@link WebhookJson}). They are the console page's components: a save runs the console's checks
 * ({@code WebhookPageProviderFactory.validateConfiguration}) and records the admin event a save through
 * {@code /components} records ({@code COMPONENT}, {@code components/{id}}, the component's representation).
 */
public final class WebhooksAdminResource {

    private static final int MAX_ANSWER = 2_000;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    WebhooksAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                          AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> list() {
        auth.realm().requireViewRealm();
        return WebhookJson.receiversOf(realm).map(WebhookJson::of).toList();
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> get(@PathParam("id") String id) {
        auth.realm().requireViewRealm();
        return WebhookJson.of(existing(id));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(Map<String, Object> body) {
        auth.realm().requireManageRealm();
        ComponentModel created = save(() -> realm.addComponentModel(WebhookJson.toModel(realm, null, valid(body))));
        Map<String, Object> json = WebhookJson.of(created);
        event(OperationType.CREATE, created);
        URI location = session.getContext().getUri().getAbsolutePathBuilder().path(created.getId()).build();
        return Response.created(location).entity(json).build();
    }

    /** Replaces the receiver's settings: what the body does not give takes the default, as in a new one. */
    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> update(@PathParam("id") String id, Map<String, Object> body) {
        auth.realm().requireManageRealm();
        ComponentModel before = existing(id);
        if (body != null && body.get("id") != null && !id.equals(body.get("id"))) {
            throw invalid("The id in the body is not the id in the path.");
        }
        ComponentModel model = WebhookJson.toModel(realm, id, valid(body));
        WebhookJson.keepLastTest(before, model);
        save(() -> {
            realm.updateComponent(model);
            return model;
        });
        event(OperationType.UPDATE, model);
        return WebhookJson.of(model);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        auth.realm().requireManageRealm();
        ComponentModel model = existing(id);
        realm.removeComponent(model);
        event(OperationType.DELETE, model);
        return Response.noContent().build();
    }

    /**
     * Signs and sends a {@code TEST} message to one receiver at once, enabled or not, outside the outbox, and shows
     * the receiver's answer: its status, the start of its body, how long it took, or why there was none.
     */
    @POST
    @Path("{id}/test")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> test(@PathParam("id") String id) {
        auth.realm().requireManageRealm();
        Webhook webhook = Webhook.byId(realm, id);
        if (webhook == null) {
            throw notFound();
        }
        TestMessage test = TestMessage.send(session, realm, webhook, MAX_ANSWER);
        if (test.sent()) {
            adminEvent.resource(LinkingAdminResource.EVENT_RESOURCE_TYPE).operation(OperationType.ACTION)
                    .resourcePath(LinkingAdminResourceProviderFactory.PROVIDER_ID, "webhooks", id, "test").success();
        }
        return test.toJson();
    }

    private ComponentModel existing(String id) {
        ComponentModel model = Webhook.componentById(realm, id);
        if (model == null) {
            throw notFound();
        }
        return model;
    }

    private static Map<String, Object> valid(Map<String, Object> body) {
        String problem = WebhookJson.problem(body);
        if (problem != null) {
            throw invalid(problem);
        }
        return body;
    }

    private static ComponentModel save(Supplier<ComponentModel> write) {
        try {
            return write.get();
        } catch (ComponentValidationException e) {
            throw invalid(MessageFormat.format(e.getMessage(), e.getParameters()));
        }
    }

    /** As Keycloak's {@code ComponentResource} records a change: its resource, path and representation. */
    private void event(OperationType operation, ComponentModel model) {
        AdminEventBuilder event = adminEvent.resource(ResourceType.COMPONENT).operation(operation)
                .resourcePath("components", model.getId());
        if (operation != OperationType.DELETE) {
            event.representation(ModelToRepresentation.toRepresentation(session, model, false));
        }
        event.success();
    }

    private static ErrorResponseException invalid(String message) {
        return new ErrorResponseException("invalid_receiver", message, Response.Status.BAD_REQUEST);
    }

    private static ErrorResponseException notFound() {
        return new ErrorResponseException("not_found", "No webhook receiver with this id.", Response.Status.NOT_FOUND);
    }
}
