package io.github.customerauth.partner;

import io.github.customerauth.support.ServerOption;
import io.github.customerauth.support.ServerSettings;
import io.github.customerauth.support.WarnOnce;
import java.util.List;
import java.util.Map;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * Partner-facing token validation under {@code /realms/{realm}/partner}: introspection (JSON or RFC 9701 JWT), claim
 * comparison and the allowed profile. Callers authenticate as confidential clients holding the realm role
 * {@value PartnerResource#PARTNER_ROLE}; per-partner settings are client attributes (see {@link PartnerPolicy}).
 * Server options: {@code --spi-realm-restapi-extension--partner--max-request-bytes} and
 * {@code --spi-realm-restapi-extension--partner--requests-per-second}.
 */
public final class PartnerResourceProviderFactory implements RealmResourceProviderFactory, ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = "partner";
    static final String CLI_PREFIX = "--spi-realm-restapi-extension--partner--";
    static final ServerOption MAX_REQUEST_BYTES = new ServerOption("max-request-bytes", 16_384, 1,
            "Largest request body the partner endpoints accept; larger ones get 413.");
    static final ServerOption REQUESTS_PER_SECOND = new ServerOption("requests-per-second", 0, 0,
            "Requests per second per partner and node for partners without their own limit (0: none); over it: 429.");
    static final List<ServerOption> OPTIONS = List.of(MAX_REQUEST_BYTES, REQUESTS_PER_SECOND);

    private final RequestLimiter limiter = new RequestLimiter();
    private final WarnOnce warnings = new WarnOnce();
    private ServerSettings settings;

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        PartnerResource resource = new PartnerResource(session, new PartnerRequestGate(session, limiter, warnings,
                settings.getInt(MAX_REQUEST_BYTES), settings.getInt(REQUESTS_PER_SECOND)));
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return resource;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void init(Config.Scope config) {
        settings = ServerSettings.read(config, CLI_PREFIX, OPTIONS);
        for (ServerOption option : OPTIONS) {
            if (settings.get(option) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(CLI_PREFIX + option.name() + " must be at most " + Integer.MAX_VALUE);
            }
        }
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

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ServerOption.metadata(OPTIONS);
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return settings.describe();
    }
}
