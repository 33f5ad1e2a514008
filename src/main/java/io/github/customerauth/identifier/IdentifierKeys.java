package io.github.customerauth.identifier;

import io.github.customerauth.support.VaultReference;
import org.keycloak.models.KeycloakSession;
import org.keycloak.vault.VaultStringSecret;

/** Resolves derivation keys from the Vault SPI, for the realm of the session's context. */
final class IdentifierKeys {

    private IdentifierKeys() {
    }

    /**
     * @throws IdentifierKey.InvalidKeyException when the entry is missing or unusable; the message names the
     *         reference, never the secret
     */
    static IdentifierDerivation derivation(KeycloakSession session, String vaultReference, String keyId) {
        // A token needs no vault read: a derivation read once is kept on the node for a minute (KeyCache), and for
        // the rest of the request in the session. A changed vault entry applies within a minute; a key is rotated by
        // a new key id and reference anyway. Failures are not kept: a fixed entry applies at once.
        String realmId = session.getContext().getRealm() == null ? "" : session.getContext().getRealm().getId();
        String cacheKey = IdentifierKeys.class.getName() + '/' + realmId + '/' + vaultReference + '/' + keyId;
        IdentifierDerivation cached = session.getAttribute(cacheKey, IdentifierDerivation.class);
        if (cached != null) {
            return cached;
        }
        IdentifierDerivation derivation = IdentifierNode.of(session).keys().get(cacheKey, System.currentTimeMillis(),
                () -> read(session, vaultReference, keyId));
        session.setAttribute(cacheKey, derivation);
        return derivation;
    }

    private static IdentifierDerivation read(KeycloakSession session, String vaultReference, String keyId) {
        if (!VaultReference.isReference(vaultReference)) {
            throw new IdentifierKey.InvalidKeyException("the key is not a vault reference such as ${vault.customer-id-key}");
        }
        try (VaultStringSecret secret = session.vault().getStringSecret(vaultReference)) {
            String value = secret.get().orElse(null);
            try {
                return new IdentifierDerivation(IdentifierKey.of(keyId, value));
            } catch (IdentifierKey.InvalidKeyException e) {
                throw new IdentifierKey.InvalidKeyException(vaultReference + ": " + e.getMessage());
            }
        }
    }
}
