package io.github.customerauth.linking;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.timer.TimerProvider;

/**
 * The {@code customer-linking} event listener: enable it per realm (Realm settings, Events, Event listeners). It
 * records each login, code-to-token, refresh, token exchange and logout of customers with an identifier as links
 * and signed webhook messages (outbox), removes links with the user, detects sessions that ended without an event,
 * and runs the dispatcher that delivers the messages. Server options: see {@link LinkingSettings}.
 */
public final class LinkingEventListenerFactory implements EventListenerProviderFactory, ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = "customer-linking";

    private final SequenceClock clock = new SequenceClock();
    private LinkingSettings settings;

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new LinkingEventListener(session, clock);
    }

    @Override
    public void init(Config.Scope config) {
        settings = LinkingSettings.from(config);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof UserModel.UserRemovedEvent removed && LinkRecorder.enabledIn(removed.getRealm())) {
                new LinkRecorder(removed.getKeycloakSession(), clock)
                        .customerDeleted(removed.getRealm(), removed.getUser().getId(), System.currentTimeMillis());
            } else if (event instanceof RealmModel.RealmRemovedEvent removed) {
                LinkStore.of(removed.getKeycloakSession()).deleteRealm(removed.getRealm().getId());
            } else if (event instanceof PostMigrationEvent) {
                // Only once the database schema, ours included, is in place.
                startDispatcher(factory);
            }
        });
    }

    private void startDispatcher(KeycloakSessionFactory factory) {
        OutboxDispatcher dispatcher = new OutboxDispatcher(factory, settings, LinkingMetrics.global(), nodeName(),
                new SessionSweep(factory, clock));
        KeycloakModelUtils.runJobInTransaction(factory, session -> session.getProvider(TimerProvider.class)
                .schedule(dispatcher, settings.dispatchIntervalMillis(), "customer-linking-dispatch"));
    }

    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "node";
        }
        String name = host + '/' + ProcessHandle.current().pid() + '/' + UUID.randomUUID().toString().substring(0, 8);
        return name.length() > 64 ? name.substring(name.length() - 64) : name;
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        ProviderConfigurationBuilder builder = ProviderConfigurationBuilder.create();
        Map.of("dispatch-interval-ms", "How often each node looks for due webhook messages (default 500).",
                "batch-size", "Messages a node sends per look (default 100).",
                "request-timeout-ms", "Connect and response timeout of one delivery (default 5000).",
                "retry-base-ms", "First retry delay; doubles per attempt, with jitter (default 1000).",
                "retry-max-ms", "Longest retry delay (default 300000).",
                "max-age-ms", "Age after which an undelivered message is dead-lettered (default 86400000).",
                "sweep-interval-ms", "How often sessions that ended without an event are looked for (default 30000).",
                "delivered-retention-ms", "How long delivered messages are kept (default 7 days).")
                .forEach((name, help) -> builder.property().name(name).type(ProviderConfigProperty.STRING_TYPE)
                        .helpText(help).add());
        return builder.build();
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return settings.describe();
    }
}
