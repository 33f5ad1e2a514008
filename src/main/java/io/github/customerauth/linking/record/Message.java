package io.github.customerauth.linking.record;

import io.github.customerauth.linking.message.LinkEvent;
import io.github.customerauth.linking.receiver.KafkaSink;
import io.github.customerauth.linking.receiver.Webhook;
import java.util.List;
import java.util.Set;
import org.keycloak.models.RealmModel;

/**
 * A message with the realm's destinations that want it: its webhook receivers and the aggregate types of its Kafka
 * sinks; everything needed to write it later, on another thread, without the realm. No destination: no row at all.
 */
record Message(String realmId, LinkEvent event, List<String> webhookIds, List<String> kafkaAggregateTypes) {

    /** {@code customerChannels}: where the customer was seen, for a message without a channel of its own. */
    static Message to(RealmModel realm, LinkEvent event, Set<String> customerChannels) {
        return new Message(realm.getId(), event, Webhook.enabledIn(realm)
                .filter(webhook -> webhook.wants(event.type(), event.channel(), customerChannels))
                .map(Webhook::id).toList(),
                KafkaSink.enabledIn(realm)
                        .filter(sink -> sink.choice().wants(event.type(), event.channel(), customerChannels))
                        .map(KafkaSink::aggregateType).distinct().toList());
    }

    boolean wanted() {
        return !webhookIds.isEmpty() || !kafkaAggregateTypes.isEmpty();
    }
}
