package io.github.customerauth.linking.receiver;

import java.util.stream.Stream;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;

/**
 * One Kafka sink of a realm: the messages it takes go to the Debezium outbox table, in the transaction that records
 * them, under {@code aggregateType} (which Debezium's Outbox Event Router turns into the topic).
 */
public record KafkaSink(String id, String aggregateType, MessageChoice choice, boolean enabled) {

    static KafkaSink of(ComponentModel model) {
        String enabled = model.get(KafkaSinkPageProviderFactory.ENABLED);
        String aggregateType = model.get(KafkaSinkPageProviderFactory.AGGREGATE_TYPE);
        return new KafkaSink(model.getId(), aggregateType == null || aggregateType.isBlank()
                ? KafkaSinkPageProviderFactory.DEFAULT_AGGREGATE_TYPE : aggregateType.strip(),
                MessageChoice.of(model), enabled == null || Boolean.parseBoolean(enabled));
    }

    public static Stream<KafkaSink> enabledIn(RealmModel realm) {
        return ConsolePages.entries(realm, KafkaSinkPageProviderFactory.PROVIDER_ID).map(KafkaSink::of)
                .filter(KafkaSink::enabled);
    }
}
