package io.github.customerauth.identifier;

import io.github.customerauth.support.InsertIfAbsent;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
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

    /** The identifiers the index records for the user. */
    List<String> identifiersOf(String realmId, String userId) {
        return em.createNamedQuery("CaIdentifiersOfUser", String.class).setParameter("realmId", realmId)
                .setParameter("userId", userId).getResultList();
    }

    /**
     * Records that {@code identifier} is {@code userId}'s, in the caller's transaction, unless its owner still holds
     * it ({@code ownerStillHolds}). A missing row is inserted if absent; a former owner's row is taken over by one
     * update that names that owner, so of two claimants at once only one can win, and the other then sees the
     * winner as an owner that still holds the identifier.
     *
     * @return whether the user owns the identifier now
     */
    boolean claim(String realmId, String identifier, String keyId, String userId, Predicate<String> ownerStillHolds) {
        for (int attempt = 0; attempt < 2; attempt++) {
            if (insertIfAbsent(realmId, identifier, keyId, userId)) {
                return true;
            }
            String owner = ownerOf(realmId, identifier);
            if (owner == null) {
                // Deleted since the insert found it (its user was removed): insert again.
                continue;
            }
            if (owner.equals(userId)) {
                return true;
            }
            if (ownerStillHolds.test(owner)) {
                return false;
            }
            if (em.createNamedQuery("CaTakeOverIdentifier").setParameter("realmId", realmId)
                    .setParameter("identifier", identifier).setParameter("previousOwner", owner)
                    .setParameter("userId", userId).setParameter("keyId", keyId).executeUpdate() == 1) {
                return true;
            }
        }
        String owner = ownerOf(realmId, identifier);
        if (owner == null) {
            throw new IllegalStateException("identifier index row of realm " + realmId
                    + " neither insertable nor readable");
        }
        return owner.equals(userId);
    }

    /**
     * The owner as the database has it now, not as an entity read earlier in the transaction remembers it: a locking
     * read, which sees the latest committed row also under repeatable read (MySQL's default), where a plain read
     * would see the transaction's older snapshot, without the row another claimant has just committed.
     */
    private String ownerOf(String realmId, String identifier) {
        return em.createNamedQuery("CaIdentifierOwner", String.class).setParameter("realmId", realmId)
                .setParameter("identifier", identifier).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst().orElse(null);
    }

    private boolean insertIfAbsent(String realmId, String identifier, String keyId, String userId) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ID", UUID.randomUUID().toString());
        row.put("REALM_ID", realmId);
        row.put("IDENTIFIER", identifier);
        row.put("KEY_ID", keyId);
        row.put("USER_ID", userId);
        row.put("CREATED_AT", System.currentTimeMillis());
        return InsertIfAbsent.insert(em, IdentifierIndexEntity.class, row);
    }

    /**
     * Records that {@code identifier} belongs to {@code userId} now, replacing the row {@code staleRowId} that the
     * validator saw (a former holder's, or the user's own from an earlier time), and flushes. A row the validator
     * did not see, or a concurrent reservation of the same value (the unique key on realm and identifier), is a
     * conflict. The row is always written anew, so that of two saves that both saw one row only one can replace it.
     *
     * @return false on a conflict
     */
    boolean reserve(String realmId, String identifier, String keyId, String userId, String staleRowId) {
        Optional<IdentifierIndexEntity> existing = find(realmId, identifier);
        if (existing.isPresent() && !existing.get().getId().equals(staleRowId)
                && existing.get().getUserId().equals(userId)) {
            // Recorded for this very user meanwhile (the linking listener claims the identifier of a saved user).
            return true;
        }
        if (existing.isPresent()) {
            if (!existing.get().getId().equals(staleRowId)) {
                return false;
            }
            em.detach(existing.get());
            if (em.createNamedQuery("CaDeleteIdentifierRow").setParameter("id", staleRowId).executeUpdate() != 1) {
                return false;
            }
        }
        insert(realmId, identifier, keyId, userId);
        em.flush();
        return true;
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
