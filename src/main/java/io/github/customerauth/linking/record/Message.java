package io.github.customerauth.linking.record;

import io.github.customerauth.linking.message.LinkEvent;
import io.github.customerauth.linking.receiver.Webhook;
import java.util.List;
import java.util.Set;
import org.keycloak.models.RealmModel;

/**
 * A message with the realm's receivers that want it: everything needed to write it to the outbox later, on another
 * thread, without the realm. No receivers: no row at all.
 */
record Message(String realmId, LinkEvent event, List<String> webhookIds) {

    /** {@code customerChannels}: where the customer was seen, for a message without a channel of its own. */
    static Message to(RealmModel realm, LinkEvent event, Set<String> customerChannels) {
        return new Message(realm.getId(), event, Webhook.enabledIn(realm)
                .filter(webhook -> webhook.wants(event.type(), event.channel(), customerChannels))
                .map(Webhook::id).toList());
    }

    boolean wanted() {
        return !webhookIds.isEmpty();
    }
}
