package io.github.customerauth.linking.admin;

import io.github.customerauth.support.AdminResourceFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * Admin REST under {@code /admin/realms/{realm}/customer-links}: a customer's links (view-users), dead-lettered
 * webhook messages (view-realm) and their replay (manage-realm). No configuration.
 */
public final class LinkingAdminResourceProviderFactory extends AdminResourceFactory {

    public static final String PROVIDER_ID = "customer-links";

    @Override
    public Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                              AdminEventBuilder adminEvent) {
        return new LinkingAdminResource(session, realm, auth, adminEvent);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
