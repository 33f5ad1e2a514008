package io.github.customerauth.linking;

import io.github.customerauth.support.VaultReference;
import java.net.URI;
import java.net.URISyntaxException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.vault.VaultStringSecret;

/** A receiver as the dispatcher calls it: URL and signing secret from its realm's vault, or why it cannot be called. */
record WebhookTarget(String url, String secret, String problem) {

    static WebhookTarget resolve(KeycloakSession session, String realmId, String webhookId) {
        RealmModel realm = session.realms().getRealm(realmId);
        Webhook webhook = realm == null ? null : Webhook.byId(realm, webhookId);
        if (webhook == null || !webhook.enabled()) {
            return unusable("webhook removed or disabled");
        }
        if (!VaultReference.isReference(webhook.secretReference())) {
            // Imported realms skip the console's validation: never sign with text typed into the field.
            return unusable("signing secret is not a vault reference");
        }
        if (!isHttpUrl(webhook.url())) {
            // Imported realms skip the console's validation; the URL itself is not repeated (it may hold credentials).
            return unusable("webhook URL is not an absolute http(s) URL");
        }
        session.getContext().setRealm(realm);
        try (VaultStringSecret secret = session.vault().getStringSecret(webhook.secretReference())) {
            String value = secret.get().orElse(null);
            return value == null ? unusable("signing secret missing from the vault")
                    : new WebhookTarget(webhook.url(), value, null);
        }
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (URISyntaxException | RuntimeException e) {
            return false;
        }
    }

    private static WebhookTarget unusable(String problem) {
        return new WebhookTarget(null, null, problem);
    }
}
