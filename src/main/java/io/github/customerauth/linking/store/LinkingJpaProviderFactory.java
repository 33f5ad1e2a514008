package io.github.customerauth.linking.store;

import java.util.List;
import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Adds the link, outbox, customer-sequence and announced-identifier tables ({@code CA_LINK}, {@code CA_OUTBOX},
 * {@code CA_CUSTOMER_SEQ}, {@code CA_ANNOUNCED_IDENTIFIER}, and the Kafka sink's
 * {@code CA_KAFKA_OUTBOX}, and {@code CA_OUTBOX_LATE} of {@link LateMessages}) through Liquibase. No configuration;
 * the rows' life (writing, delivery, retention, removal with their user or realm) is
 * {@link LinkingEventListenerFactory}'s.
 */
public final class LinkingJpaProviderFactory implements JpaEntityProviderFactory, JpaEntityProvider {

    public static final String PROVIDER_ID = "customer-auth-linking";

    @Override
    public List<Class<?>> getEntities() {
        return List.of(LinkEntity.class, OutboxEntity.class, CustomerSequenceEntity.class,
                AnnouncedIdentifierEntity.class, KafkaOutboxEntity.class, LateMessageEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/customer-auth/linking-changelog.xml";
    }

    @Override
    public String getFactoryId() {
        return PROVIDER_ID;
    }

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return this;
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
