package io.github.customerauth.testsupport;

import io.github.customerauth.linking.WebhookPageProviderFactory;
import java.util.List;
import java.util.Map;

/** Webhook receivers of a realm, configured as an admin does: a component signed with {@code ${vault.webhook-secret}}. */
public final class Webhooks {

    private Webhooks() {
    }

    /** Creates an enabled receiver; returns its component id. */
    public static String create(AdminApi admin, String realm, String name, String url) {
        String realmId = (String) admin.getJson("/admin/realms/" + realm).get("id");
        return AdminApi.createdId(admin.post("/admin/realms/" + realm + "/components", Map.of(
                "name", name, "providerId", WebhookPageProviderFactory.PROVIDER_ID,
                "providerType", "org.keycloak.services.ui.extend.UiPageProvider", "parentId", realmId,
                "config", Map.of("url", List.of(url), "secret", List.of("${vault.webhook-secret}"),
                        "enabled", List.of("true")))));
    }
}
