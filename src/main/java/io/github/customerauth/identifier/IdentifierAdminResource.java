package io.github.customerauth.identifier;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** {@code /admin/realms/{realm}/customer-identifiers}: the company's way from an identifier back to a user. */
public final class IdentifierAdminResource {

    static final String EVENT_RESOURCE_TYPE = "CUSTOMER_IDENTIFIER";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    IdentifierAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                            AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent.resource(EVENT_RESOURCE_TYPE);
    }

    /**
     * Clients that receive the identifier and would also put personal data into access tokens, with the mappers
     * responsible (an empty list is the goal). The token a channel hands to the platform must carry neither.
     */
    @GET
    @Path("access-token-privacy")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> accessTokenPrivacy() {
        auth.clients().requireView();
        return AccessTokenPrivacy.report(realm);
    }

    /** The user an identifier was issued to. Audited whether or not it is found. */
    @GET
    @Path("{identifier}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> lookup(@PathParam("identifier") String identifier) {
        auth.users().requireView();
        if (IdentifierDerivation.keyIdOf(identifier) == null) {
            throw new ErrorResponseException("invalid_request",
                    "Not a customer identifier: expected v1.<key version>.<27 base64url characters>.",
                    Response.Status.BAD_REQUEST);
        }
        adminEvent.operation(OperationType.ACTION).resourcePath(IdentifierAdminResourceProviderFactory.PROVIDER_ID,
                identifier).success();
        IdentifierIndexEntity row = IdentifierIndex.of(session).find(realm.getId(), identifier)
                .orElseThrow(IdentifierAdminResource::unknownIdentifier);
        UserModel user = session.users().getUserById(realm, row.getUserId());
        if (user == null) {
            throw unknownIdentifier();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("identifier", row.getIdentifier());
        body.put("keyId", row.getKeyId());
        body.put("userId", user.getId());
        body.put("username", user.getUsername());
        body.put("firstIssuedAt", row.getCreatedAt());
        return body;
    }

    /**
     * user_id, username, identifier and key version of every customer with an account number, as CSV, written out a
     * page of users at a time while they are read, each page in a transaction of its own (a realm of millions is never
     * held in memory, and no transaction stays open while the file downloads).
     */
    @GET
    @Path("export")
    @Produces("text/csv")
    public Response export() {
        auth.users().requireView();
        RealmIdentifier active = activeDerivation();
        adminEvent.operation(OperationType.ACTION)
                .resourcePath(IdentifierAdminResourceProviderFactory.PROVIDER_ID, "export").success();
        StreamingOutput csv = output -> {
            Writer out = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8));
            out.write("user_id,username,customer_id,key_id\n");
            try {
                CustomerPages.forEach(session.getKeycloakSessionFactory(), realm.getId(), active,
                        (pageSession, pageRealm, user, identifier) -> {
                    try {
                        out.write(Csv.row(user.getId(), user.getUsername(), identifier, active.derivation().keyId()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            out.flush();
        };
        return Response.ok(csv, "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"customer-identifiers-" + realm.getName() + ".csv\"")
                .build();
    }

    /**
     * Indexes the active identifier of every customer, e.g. after enabling the mapper, an import or a key rotation.
     * A value already recorded for another customer who still has that account number stays theirs: the answer
     * counts such duplicates, which an admin must resolve (the second holder gets no identifier meanwhile).
     */
    @POST
    @Path("reindex")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> reindex() {
        auth.users().requireManage();
        RealmIdentifier active = activeDerivation();
        int[] counts = {0, 0};
        CustomerPages.forEach(session.getKeycloakSessionFactory(), realm.getId(), active,
                (pageSession, pageRealm, user, identifier) -> {
            if (IdentifierHolders.claim(pageSession, pageRealm, user, identifier, active.derivation(),
                    active.userAttribute())) {
                counts[0]++;
            } else {
                counts[1]++;
            }
        });
        adminEvent.operation(OperationType.ACTION)
                .resourcePath(IdentifierAdminResourceProviderFactory.PROVIDER_ID, "reindex").success();
        return Map.of("indexed", counts[0], "duplicates", counts[1], "keyId", active.derivation().keyId());
    }

    private RealmIdentifier activeDerivation() {
        return RealmIdentifier.of(session, realm).orElseThrow(() -> new ErrorResponseException("not_configured",
                "This realm has no usable customer identifier: "
                        + RealmIdentifier.problem(session, realm).orElse("unknown") + ".", Response.Status.CONFLICT));
    }

    private static ErrorResponseException unknownIdentifier() {
        return new ErrorResponseException("not_found", "No user of this realm was issued this identifier.",
                Response.Status.NOT_FOUND);
    }
}
