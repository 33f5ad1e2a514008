package io.github.customerauth.linking.receiver;

import java.util.stream.Stream;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ui.extend.UiPageProvider;

/** The realm's entries of one admin-console page of this extension (webhook receivers, Kafka sinks). */
final class ConsolePages {

    static final String PROVIDER_TYPE = UiPageProvider.class.getName();

    private ConsolePages() {
    }

    static Stream<ComponentModel> entries(RealmModel realm, String providerId) {
        return realm.getComponentsStream(realm.getId(), PROVIDER_TYPE)
                .filter(model -> providerId.equals(model.getProviderId()));
    }

    /** One of {@link #entries}, by component id; null when the id names no entry of that page in this realm. */
    static ComponentModel entry(RealmModel realm, String providerId, String id) {
        ComponentModel model = realm.getComponent(id);
        boolean onThePage = model != null && providerId.equals(model.getProviderId())
                && PROVIDER_TYPE.equals(model.getProviderType()) && realm.getId().equals(model.getParentId());
        return onThePage ? model : null;
    }
}
