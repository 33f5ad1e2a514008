package io.github.customerauth.linking.receiver;

import io.github.customerauth.support.VaultReference;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.MessageFormat;
import java.util.List;
import org.keycloak.models.KeycloakSession;
import org.keycloak.vault.VaultStringSecret;

/**
 * Whether a receiver can be called: the one check of its URL, signature format and signing secrets, made when an
 * admin saves it and again before each call (an imported realm skips the console's validation). A problem never
 * repeats the URL (it may hold credentials) nor a secret.
 */
final class ReceiverCheck {

    /** A problem as the console shows it: a message pattern and its parameters. */
    record Problem(String pattern, Object... parameters) {
        @Override
        public String toString() {
            return new MessageFormat(pattern).format(parameters);
        }
    }

    private ReceiverCheck() {
    }

    /**
     * The receiver's problem, or null when it can be called; its secrets, current first, go into {@code secrets}
     * (which the caller drops when there is a problem).
     */
    static Problem problem(KeycloakSession session, Webhook webhook, List<String> secrets) {
        if (!isHttpUrl(webhook.url())) {
            return new Problem("Webhook URL must be an absolute http(s) URL.");
        }
        if (webhook.format() == null) {
            return new Problem("Signature format must be one of: {0}.",
                    String.join(", ", SignatureFormat.configuredValues()));
        }
        List<String> references = webhook.secretReferences();
        for (int i = 0; i < references.size(); i++) {
            String reference = references.get(i);
            String label = i == 0 ? "Signing secret" : "Second signing secret";
            if (!VaultReference.isReference(reference)) {
                return new Problem("{0} must be a vault reference such as {1}.", label, "${vault.webhook-secret}");
            }
            Problem problem = secretProblem(session, webhook, label, reference, secrets);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** Reads one secret into {@code secrets}, or says why it cannot sign. */
    private static Problem secretProblem(KeycloakSession session, Webhook webhook, String label, String reference,
                                         List<String> secrets) {
        String value;
        try (VaultStringSecret secret = session.vault().getStringSecret(reference)) {
            value = VaultReference.withoutLineBreaksAtEnd(secret.get().orElse(null));
        } catch (RuntimeException unreadable) {
            // A name the vault cannot look up at all (the file vault refuses some characters in a path).
            return new Problem("{0} {1} cannot be read from the vault.", label, reference);
        }
        if (value == null || value.isBlank()) {
            return new Problem("{0} {1} is not in the vault.", label, reference);
        }
        if (!value.equals(value.strip())) {
            return new Problem("{0} {1} starts or ends with a space, a tab or a line break: the vault entry"
                    + " must hold the secret alone.", label, reference);
        }
        String problem = webhook.format().problemWith(value);
        if (problem != null) {
            return new Problem("{0} {1} {2} (signature format {3}).", label, reference, problem,
                    webhook.format().value());
        }
        secrets.add(value);
        return null;
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
}
