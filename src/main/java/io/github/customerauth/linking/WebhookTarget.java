package io.github.customerauth.linking;

import io.github.customerauth.support.VaultReference;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.vault.VaultStringSecret;

/**
 * A receiver as the dispatcher calls it: URL, signature format and signing secrets from its realm's vault (the
 * current one first), or why it cannot be called.
 */
record WebhookTarget(String url, List<String> secrets, SignatureFormat format, String problem) {

    static WebhookTarget resolve(KeycloakSession session, String realmId, String webhookId) {
        RealmModel realm = session.realms().getRealm(realmId);
        Webhook webhook = realm == null ? null : Webhook.byId(realm, webhookId);
        if (webhook == null || !webhook.enabled()) {
            return unusable("webhook removed or disabled");
        }
        return resolve(session, realm, webhook);
    }

    /** Whether or not the receiver is enabled (the admin's test action calls a disabled one too). */
    static WebhookTarget resolve(KeycloakSession session, RealmModel realm, Webhook webhook) {
        if (webhook.format() == null) {
            return unusable("unknown signature format");
        }
        for (String reference : webhook.secretReferences()) {
            if (!VaultReference.isReference(reference)) {
                // Imported realms skip the console's validation: never sign with text typed into the field.
                return unusable("signing secret is not a vault reference");
            }
        }
        if (!isHttpUrl(webhook.url())) {
            // Imported realms skip the console's validation; the URL itself is not repeated (it may hold credentials).
            return unusable("webhook URL is not an absolute http(s) URL");
        }
        session.getContext().setRealm(realm);
        List<String> secrets = new ArrayList<>();
        for (String reference : webhook.secretReferences()) {
            try (VaultStringSecret secret = session.vault().getStringSecret(reference)) {
                String value = secret.get().orElse(null);
                if (value == null) {
                    return unusable("signing secret missing from the vault");
                }
                String problem = webhook.format().problemWith(value);
                if (problem != null) {
                    return unusable("signing secret " + problem);
                }
                secrets.add(value);
            }
        }
        return new WebhookTarget(webhook.url(), List.copyOf(secrets), webhook.format(), null);
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
        return new WebhookTarget(null, List.of(), null, problem);
    }
}
