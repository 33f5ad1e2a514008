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
}
