package io.github.customerauth.testsupport;

import io.github.customerauth.linking.message.MessageType;
import io.github.customerauth.linking.receiver.WebhookPageProviderFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Webhook receivers of a realm, configured as an admin does: a component signed with {@code ${vault.webhook-secret}}. */
public final class Webhooks {

    private Webhooks() {
    }

    /** Every message type, {@code REFRESH_TOKEN} included (which a receiver gets only when it lists it). */
    public static final List<String> EVERY_TYPE = MessageType.CHOOSABLE;

    /** Creates an enabled receiver of the default message types; returns its component id. */
    public static String create(AdminApi admin, String realm, String name, String url) {
        return create(admin, realm, name, url, List.of());
    }

    /** Creates an enabled receiver of these message types (none: the default); returns its component id. */
    public static String create(AdminApi admin, String realm, String name, String url, List<String> eventTypes) {
        return create(admin, realm, name, url, eventTypes, List.of());
    }

    /** Creates an enabled receiver of these message types about these channels (none: all); returns its id. */
    public static String create(AdminApi admin, String realm, String name, String url, List<String> eventTypes,
                                List<String> channels) {
        String realmId = (String) admin.getJson("/admin/realms/" + realm).get("id");
        Map<String, List<String>> config = new LinkedHashMap<>(Map.of("url", List.of(url),
                "secret", List.of("${vault.webhook-secret}"), "enabled", List.of("true")));
        if (!eventTypes.isEmpty()) {
            config.put("eventTypes", eventTypes);
        }
        if (!channels.isEmpty()) {
            config.put("channels", channels);
        }
        return AdminApi.createdId(admin.post("/admin/realms/" + realm + "/components", Map.of(
                "name", name, "providerId", WebhookPageProviderFactory.PROVIDER_ID,
                "providerType", "org.keycloak.services.ui.extend.UiPageProvider", "parentId", realmId,
                "config", config)));
    }

    /**
     * Waits, up to the suite's maximum age of a message and 30 s more, for a dead letter of the realm that matches
     * (its {@code customer_id}, {@code webhook_id}, ...); returns it as the admin API lists it.
     */
    public static Map<String, Object> awaitDeadLetter(AdminApi admin, String realm,
                                                      Predicate<Map<String, Object>> wanted) {
        String path = "/admin/realms/" + realm + "/customer-links/dead-letters";
        long deadline = System.currentTimeMillis() + KeycloakSuite.MAX_AGE_MS + 30_000;
        while (System.currentTimeMillis() < deadline) {
            for (Map<String, Object> dead : admin.getJsonList(path)) {
                if (wanted.test(dead)) {
                    return dead;
                }
            }
            Pause.millis(500);
        }
        throw new AssertionError("no such dead letter in " + realm);
    }
}
