package io.github.customerauth.linking.receiver;

import java.util.List;
import java.util.regex.Pattern;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.ui.extend.UiPageProvider;
import org.keycloak.services.ui.extend.UiPageProviderFactory;

/**
 * The realm's Kafka sinks, as an admin-console page ("Customer events to Kafka"): each entry is a realm component
 * whose messages are written to the outbox table that Debezium's Outbox Event Router reads ({@code CA_KAFKA_OUTBOX}),
 * with an aggregate type (the topic's name part), the message types and channels it takes, and an on/off switch.
 * Keycloak never talks to the broker.
 */
public final class KafkaSinkPageProviderFactory implements UiPageProviderFactory<ComponentModel> {

    public static final String PROVIDER_ID = "customer-kafka-sink";
    static final String AGGREGATE_TYPE = "aggregateType";
    static final String DEFAULT_AGGREGATE_TYPE = "customer";
    static final String DESCRIPTION = "description";
    static final String ENABLED = "enabled";
    /** Kafka's topic names are made of these, and the router puts the aggregate type into the topic's name. */
    private static final Pattern TOPIC_PART = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        KafkaSink sink = KafkaSink.of(model);
        if (!TOPIC_PART.matcher(sink.aggregateType()).matches()) {
            throw new ComponentValidationException("Aggregate type {0} cannot be part of a Kafka topic name: use 1 to"
                    + " 100 letters, digits, dots, underscores or hyphens.", sink.aggregateType());
        }
        sink.choice().validate(realm);
    }

    @Override
    public String getHelpText() {
        return "Customer-linking messages for Kafka: written to the outbox table (CA_KAFKA_OUTBOX) in the transaction"
                + " of the event, for Debezium's Outbox Event Router to stream to a topic keyed by customer_id."
                + " PostgreSQL only: on another database nothing is written (the server log says so once).";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return MessageChoice.addConfigProperties(ProviderConfigurationBuilder.create()
                .property().name(AGGREGATE_TYPE).label("Aggregate type").type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(DEFAULT_AGGREGATE_TYPE)
                .helpText("Written to the aggregatetype column: the Outbox Event Router routes by it (by default to"
                        + " the topic outbox.event.<aggregate type>).").add()
                .property().name(DESCRIPTION).label("Description").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("What this sink feeds, for the admins who come after you.").add(), "sink", "")
                .property().name(ENABLED).label("Enabled").type(ProviderConfigProperty.BOOLEAN_TYPE)
                .helpText("Off: nothing is written for this sink.").defaultValue("true").add()
                .build();
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
