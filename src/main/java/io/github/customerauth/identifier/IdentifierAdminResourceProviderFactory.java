package io.github.customerauth.identifier;

import io.github.customerauth.support.AdminResourceFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * Admin REST for tracing identifiers back to users, under
 * {@code /admin/realms/{realm}/customer-identifiers}: lookup, CSV export and reindex. Guarded by Keycloak's admin
 * permissions (view-users, manage-users for reindex); every call is an admin event. No configuration.
 */
public final class IdentifierAdminResourceProviderFactory extends AdminResourceFactory {

    public static final String PROVIDER_ID = "customer-identifiers";

    @Override
    public Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                              AdminEventBuilder adminEvent) {
        return new IdentifierAdminResource(session, realm, auth, adminEvent);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
