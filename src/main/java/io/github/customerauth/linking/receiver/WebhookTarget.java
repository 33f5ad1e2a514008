package io.github.customerauth.linking.receiver;

import java.util.ArrayList;
import java.util.List;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * A receiver as the dispatcher calls it: URL, signature format and signing secrets from its realm's vault (the
 * current one first), or why it cannot be called.
 */
public record WebhookTarget(String url, List<String> secrets, SignatureFormat format, String problem) {

    public static WebhookTarget resolve(KeycloakSession session, String realmId, String webhookId) {
        RealmModel realm = session.realms().getRealm(realmId);
        Webhook webhook = realm == null ? null : Webhook.byId(realm, webhookId);
        if (webhook == null || !webhook.enabled()) {
            return unusable("webhook removed or disabled");
        }
        return resolve(session, realm, webhook);
    }

    /** Whether or not the receiver is enabled (the admin's test action calls a disabled one too). */
    static WebhookTarget resolve(KeycloakSession session, RealmModel realm, Webhook webhook) {
        session.getContext().setRealm(realm);
        List<String> secrets = new ArrayList<>();
        ReceiverCheck.Problem problem = ReceiverCheck.problem(session, webhook, secrets);
        if (problem != null) {
            return unusable(problem.toString());
        }
        return new WebhookTarget(webhook.url(), List.copyOf(secrets), webhook.format(), null);
    }

    private static WebhookTarget unusable(String problem) {
        return new WebhookTarget(null, List.of(), null, problem);
    }
}
