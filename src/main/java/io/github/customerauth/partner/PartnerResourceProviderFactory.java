package io.github.customerauth.partner;

import io.github.customerauth.support.WarnOnce;
import java.util.List;
import java.util.Map;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
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
    static final String MAX_REQUEST_BYTES = "max-request-bytes";
    static final String REQUESTS_PER_SECOND = "requests-per-second";
    static final int DEFAULT_MAX_REQUEST_BYTES = 16_384;
    static final int DEFAULT_REQUESTS_PER_SECOND = 0;

    private final RequestLimiter limiter = new RequestLimiter();
    private final WarnOnce warnings = new WarnOnce();
    private int maxRequestBytes;
    private int requestsPerSecond;

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        PartnerResource resource = new PartnerResource(session, limiter, warnings, maxRequestBytes,
                requestsPerSecond);
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
        maxRequestBytes = positive(config, MAX_REQUEST_BYTES, DEFAULT_MAX_REQUEST_BYTES, 1);
        requestsPerSecond = positive(config, REQUESTS_PER_SECOND, DEFAULT_REQUESTS_PER_SECOND, 0);
    }

    private static int positive(Config.Scope config, String option, int fallback, int min) {
        Integer value = config.getInt(option, fallback);
        if (value == null || value < min) {
            throw new IllegalArgumentException("--spi-realm-restapi-extension--partner--" + option + " must be >= " + min);
        }
        return value;
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
        return ProviderConfigurationBuilder.create()
                .property().name(MAX_REQUEST_BYTES).type(ProviderConfigProperty.INTEGER_TYPE)
                .helpText("Largest request body the partner endpoints accept; larger ones get 413.")
                .defaultValue(DEFAULT_MAX_REQUEST_BYTES).add()
                .property().name(REQUESTS_PER_SECOND).type(ProviderConfigProperty.INTEGER_TYPE)
                .helpText("Default requests per second per partner and node (0: no limit); a partner's client "
                        + "attribute customer-auth.partner.requests-per-second overrides it. Over the limit: 429.")
                .defaultValue(DEFAULT_REQUESTS_PER_SECOND).add()
                .build();
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return Map.of(MAX_REQUEST_BYTES, String.valueOf(maxRequestBytes),
                REQUESTS_PER_SECOND, String.valueOf(requestsPerSecond));
    }
}
