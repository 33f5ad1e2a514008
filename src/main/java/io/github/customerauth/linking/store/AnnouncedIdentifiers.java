package io.github.customerauth.linking.store;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/**
 * Every query and state change of {@code CA_ANNOUNCED_IDENTIFIER}: the identifier the platform last heard for a
 * user, so that an identifier change is announced once per change, compared with what the customer had.
 */
public final class AnnouncedIdentifiers {

    private final EntityManager em;

    private AnnouncedIdentifiers(EntityManager em) {
        this.em = em;
    }

    public static AnnouncedIdentifiers of(KeycloakSession session) {
        return new AnnouncedIdentifiers(session.getProvider(JpaConnectionProvider.class).getEntityManager());
    }

    /** A change to announce: the identifier it replaces (null: none) and its number among the user's changes. */
    public record Change(String previous, long number) {
    }

    /**
     * Records {@code current} (null: the user has no identifier now) as what the platform knows of the user, under a
     * lock on the user's row here until the transaction ends, so that two admins' saves announce one change.
     * {@code firstKnown} tells what the platform knew before this table had a row for the user (the latest link).
     *
     * @return the change to announce, or empty when the platform already knows {@code current} or never heard of
     *         the user (nothing it knows is replaced)
     */
    public Optional<Change> record(String realmId, String userId, String current, Supplier<String> firstKnown) {
        String id = DigestRowId.of(realmId, userId);
        AnnouncedIdentifierEntity row = em.find(AnnouncedIdentifierEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            String known = firstKnown.get();
            if (known == null) {
                // The platform never heard of the user: nothing to replace, and nothing to compare with later.
                return Optional.empty();
            }
            row = new AnnouncedIdentifierEntity();
            row.setId(id);
            row.setRealmId(realmId);
            row.setUserId(userId);
            row.setCustomerId(current);
            row.setChanges(known.equals(current) ? 0 : 1);
            em.persist(row);
            return row.getChanges() == 0 ? Optional.empty() : Optional.of(new Change(known, 1));
        }
        if (Objects.equals(row.getCustomerId(), current)) {
            return Optional.empty();
        }
        String previous = row.getCustomerId();
        row.setCustomerId(current);
        row.setChanges(row.getChanges() + 1);
        return Optional.of(new Change(previous, row.getChanges()));
    }

    /** The identifier last announced for the user, if any. */
    public Optional<String> announced(String realmId, String userId) {
        return em.createNamedQuery("CaAnnouncedOfUser", String.class).setParameter("realmId", realmId)
                .setParameter("userId", userId).getResultStream().filter(Objects::nonNull).findFirst();
    }

    public void deleteUser(String realmId, String userId) {
        em.createNamedQuery("CaAnnouncedDeleteOfUser").setParameter("realmId", realmId).setParameter("userId", userId)
                .executeUpdate();
    }

    public void deleteRealm(String realmId) {
        em.createNamedQuery("CaAnnouncedDeleteOfRealm").setParameter("realmId", realmId).executeUpdate();
    }
}
