package io.github.customerauth.linking;

import java.net.URI;
import io.github.customerauth.support.VaultReference;
import java.util.List;
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
import org.keycloak.vault.VaultStringSecret;

/**
 * The realm's webhook receivers, as an admin-console page ("Customer webhooks"): each entry is a realm component
 * with a URL, a vault reference to its signing secret, and an on/off switch. Also managed through the admin REST
 * API's {@code /components} (providerType {@code org.keycloak.services.ui.extend.UiPageProvider}).
 */
public final class WebhookPageProviderFactory implements UiPageProviderFactory<ComponentModel> {

    public static final String PROVIDER_ID = "customer-webhooks";
    static final String URL = "url";
    static final String SECRET = "secret";
    static final String ENABLED = "enabled";

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        Webhook webhook = Webhook.of(model);
        URI uri;
        try {
            uri = URI.create(webhook.url());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ComponentValidationException("Webhook URL is not a URL.");
        }
        if (!uri.isAbsolute() || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new ComponentValidationException("Webhook URL must be an absolute http(s) URL.");
        }
        if (!VaultReference.isReference(webhook.secretReference())) {
            throw new ComponentValidationException("Signing secret must be a vault reference such as ${vault.webhook-secret}.");
        }
        try (VaultStringSecret secret = session.vault().getStringSecret(webhook.secretReference())) {
            if (secret.get().map(String::isBlank).orElse(true)) {
                throw new ComponentValidationException("Signing secret " + webhook.secretReference()
                        + " is not in the vault.");
            }
        }
    }

    @Override
    public String getHelpText() {
        return "Receivers of signed customer-linking webhooks (login, token, refresh, exchange, logout, session end).";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(URL).label("URL").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Where to POST the events, e.g. https://platform.example.com/keycloak-events").add()
                .property().name(SECRET).label("Signing secret (vault reference)").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Vault reference to the HMAC-SHA-256 signing secret, e.g. ${vault.webhook-secret}.")
                .defaultValue("${vault.webhook-secret}").add()
                .property().name(ENABLED).label("Enabled").type(ProviderConfigProperty.BOOLEAN_TYPE)
                .helpText("Off: no new messages are queued for this receiver.").defaultValue("true").add()
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
