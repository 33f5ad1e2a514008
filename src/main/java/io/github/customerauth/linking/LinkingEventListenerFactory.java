package io.github.customerauth.linking;

import io.github.customerauth.identifier.CustomerIdentifiers;
import io.github.customerauth.linking.delivery.DispatchLoop;
import io.github.customerauth.linking.delivery.LinkingMetrics;
import io.github.customerauth.linking.delivery.LinkingSettings;
import io.github.customerauth.linking.record.LinkRecorder;
import io.github.customerauth.linking.record.LinkWriter;
import io.github.customerauth.linking.record.LinkingEventListener;
import io.github.customerauth.linking.store.AnnouncedIdentifiers;
import io.github.customerauth.linking.store.CustomerSequence;
import io.github.customerauth.linking.store.LinkStore;
import io.github.customerauth.linking.store.Outbox;
import io.github.customerauth.linking.upkeep.Housekeeping;
import io.github.customerauth.linking.upkeep.SessionSweep;
import io.github.customerauth.support.ServerOption;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.common.Profile;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.timer.TimerProvider;

/**
 * The {@code customer-linking} event listener: enable it per realm (Realm settings, Events, Event listeners). It
 * records each login, code-to-token, refresh, token exchange and logout of customers with an identifier as links
 * and signed webhook messages (outbox), and owns linking's life on the node: the dispatch loop and housekeeping,
 * and the clean-up when a user or a realm is removed. Server options: see {@link LinkingSettings}.
 */
public final class LinkingEventListenerFactory implements EventListenerProviderFactory, ServerInfoAwareProviderFactory {

    private static final Logger LOG = Logger.getLogger(LinkingEventListenerFactory.class);

    public static final String PROVIDER_ID = LinkingEventListener.PROVIDER_ID;
    private static final String HOUSEKEEPING_TASK = "customer-linking-housekeeping";

    private LinkingSettings settings;
    private DispatchLoop loop;
    private volatile Housekeeping housekeeping;
    private LinkWriter writer;

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new LinkingEventListener(session, writer);
    }

    @Override
    public void init(Config.Scope config) {
        settings = LinkingSettings.from(config);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        writer = new LinkWriter(factory, settings.get(LinkingSettings.SIGHTING_FLUSH_INTERVAL));
        factory.register(event -> {
            if (event instanceof UserModel.UserRemovedEvent removed) {
                KeycloakSession session = removed.getKeycloakSession();
                new LinkRecorder(session).customerDeleted(removed.getRealm(), removed.getUser().getId(),
                        CustomerIdentifiers.everHeld(session, removed.getRealm(), removed.getUser()),
                        System.currentTimeMillis());
            } else if (event instanceof RealmModel.RealmRemovedEvent removed) {
                KeycloakSession session = removed.getKeycloakSession();
                String realmId = removed.getRealm().getId();
                LinkStore.of(session).deleteRealm(realmId);
                Outbox.of(session).deleteRealm(realmId);
                AnnouncedIdentifiers.of(session).deleteRealm(realmId);
                CustomerSequence.deleteRealm(session, realmId);
            } else if (event instanceof PostMigrationEvent) {
                // Only once the database schema, ours included, is in place.
                startDispatcher(factory);
            }
        });
    }

    private void startDispatcher(KeycloakSessionFactory factory) {
        LinkingMetrics metrics = LinkingMetrics.global();
        loop = new DispatchLoop(factory, settings, metrics);
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            ExecutorsProvider executors = session.getProvider(ExecutorsProvider.class);
            housekeeping = new Housekeeping(factory, settings, metrics, new SessionSweep(factory, expiryEventGrace(),
                    Profile.isFeatureEnabled(Profile.Feature.PERSISTENT_USER_SESSIONS), metrics),
                    executors.getExecutor("linking-housekeeping"));
            writer.starting();
            executors.getExecutor("linking-writer").execute(writer);
            executors.getExecutor("linking-dispatch").execute(loop);
            // Keycloak's timer only starts a pass, which runs on housekeeping's own executor.
            session.getProvider(TimerProvider.class).schedule(housekeeping::startIfDue,
                    settings.get(LinkingSettings.DISPATCH_INTERVAL), HOUSEKEEPING_TASK);
        });
    }

    @Override
    public void close() {
        // Keycloak's timer may still tick until its own factory closes: housekeeping stops first.
        if (housekeeping != null) {
            housekeeping.stop();
        }
        if (loop != null) {
            loop.stop();
        }
        if (writer != null) {
            writer.stop();
        }
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ServerOption.metadata(LinkingSettings.OPTIONS);
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return settings.describe();
    }

    /**
     * Keycloak 26.7 sends USER_SESSION_DELETED at an idle expiry only without persistent user sessions (with them,
     * none came within 3.5 minutes): only then is there an event worth waiting for.
     */
    private long expiryEventGrace() {
        boolean persistent = Profile.isFeatureEnabled(Profile.Feature.PERSISTENT_USER_SESSIONS);
        LOG.debugf("Customer linking: sessions that time out are %s", persistent
                ? "ended by the sweep (persistent user sessions: Keycloak sends no event)"
                : "left to Keycloak's event for " + settings.get(LinkingSettings.EXPIRY_EVENT_GRACE) + " ms");
        return persistent ? 0 : settings.get(LinkingSettings.EXPIRY_EVENT_GRACE);
    }
}
