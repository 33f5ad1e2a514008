package io.github.customerauth.setup;

import io.github.customerauth.support.AdminResourceFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * Admin REST under {@code /admin/realms/{realm}/customer-setup}: the recommended configuration in one step, with a
 * dry run. Guarded by Keycloak's admin permissions (view realm, clients and users for the dry run; manage them to
 * apply); an applied change is an admin event. No configuration.
 */
public final class RealmSetupResourceProviderFactory extends AdminResourceFactory {

    public static final String PROVIDER_ID = "customer-setup";

    @Override
    public Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                              AdminEventBuilder adminEvent) {
        return new RealmSetupResource(session, realm, auth, adminEvent);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
