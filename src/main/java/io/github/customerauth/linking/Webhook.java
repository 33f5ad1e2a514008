package io.github.customerauth.linking;

import java.util.stream.Stream;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ui.extend.UiPageProvider;

/** One configured webhook receiver of a realm. */
record Webhook(String id, String url, String secretReference, boolean enabled) {

    static Webhook of(ComponentModel model) {
        String enabled = model.get(WebhookPageProviderFactory.ENABLED);
        return new Webhook(model.getId(), model.get(WebhookPageProviderFactory.URL),
                model.get(WebhookPageProviderFactory.SECRET), enabled == null || Boolean.parseBoolean(enabled));
    }

    static Stream<Webhook> enabledIn(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), UiPageProvider.class.getName())
                .filter(model -> WebhookPageProviderFactory.PROVIDER_ID.equals(model.getProviderId()))
                .map(Webhook::of)
                .filter(Webhook::enabled);
    }

    static Webhook byId(RealmModel realm, String id) {
        ComponentModel model = realm.getComponent(id);
        return model == null ? null : of(model);
    }
}
