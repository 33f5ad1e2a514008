package io.github.customerauth.identifier;

import jakarta.persistence.EntityManager;
import java.util.Optional;
import java.util.UUID;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** Reads and writes the identifier index in the session's own transaction. */
public final class IdentifierIndex {

    private final EntityManager em;

    private IdentifierIndex(EntityManager em) {
        this.em = em;
    }

    public static IdentifierIndex of(KeycloakSession session) {
        return new IdentifierIndex(session.getProvider(JpaConnectionProvider.class).getEntityManager());
    }

    public Optional<IdentifierIndexEntity> find(String realmId, String identifier) {
        return em.createNamedQuery("CaIdentifierByValue", IdentifierIndexEntity.class)
                .setParameter("realmId", realmId)
                .setParameter("identifier", identifier)
                .getResultStream()
                .findFirst();
    }

    /** Records that {@code identifier} belongs to {@code userId}, taking it over from a previous owner if asked. */
    public void put(String realmId, String identifier, String keyId, String userId) {
        Optional<IdentifierIndexEntity> existing = find(realmId, identifier);
        if (existing.isPresent()) {
            existing.get().setUserId(userId);
            return;
        }
        insert(realmId, identifier, keyId, userId);
    }

    /**
     * Records that {@code identifier} belongs to {@code userId} now, replacing the row of a previous holder (the
     * validator has decided it is stale), and flushes: a concurrent reservation of the same value fails here on the
     * unique key (realm, identifier).
     */
    void reserve(String realmId, String identifier, String keyId, String userId) {
        Optional<IdentifierIndexEntity> existing = find(realmId, identifier);
        if (existing.isPresent() && existing.get().getUserId().equals(userId)) {
            return;
        }
        if (existing.isPresent()) {
            // A new row, not an update: two takeovers of one stale row then collide on the unique key instead of
            // the later silently overwriting the earlier.
            em.createNamedQuery("CaDeleteIdentifierRow").setParameter("id", existing.get().getId()).executeUpdate();
            em.detach(existing.get());
        }
        insert(realmId, identifier, keyId, userId);
        em.flush();
    }

    private void insert(String realmId, String identifier, String keyId, String userId) {
        IdentifierIndexEntity row = new IdentifierIndexEntity();
        row.setId(UUID.randomUUID().toString());
        row.setRealmId(realmId);
        row.setIdentifier(identifier);
        row.setKeyId(keyId);
        row.setUserId(userId);
        row.setCreatedAt(System.currentTimeMillis());
        em.persist(row);
    }

    public void flushAndClear() {
        em.flush();
        em.clear();
    }

    void removeUser(RealmModel realm, String userId) {
        em.createNamedQuery("CaDeleteIdentifiersOfUser")
                .setParameter("realmId", realm.getId())
                .setParameter("userId", userId)
                .executeUpdate();
    }

    void removeRealm(RealmModel realm) {
        em.createNamedQuery("CaDeleteIdentifiersOfRealm").setParameter("realmId", realm.getId()).executeUpdate();
    }
}
