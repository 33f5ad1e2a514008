package io.github.customerauth.linking;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/**
 * Every query and state change of {@code CA_ANNOUNCED_IDENTIFIER}: the identifier the platform last heard for a
 * user, so that an identifier change is announced once per change, compared with what the customer had.
 */
final class AnnouncedIdentifiers {

    private final EntityManager em;

    private AnnouncedIdentifiers(EntityManager em) {
        this.em = em;
    }

    static AnnouncedIdentifiers of(KeycloakSession session) {
        return new AnnouncedIdentifiers(session.getProvider(JpaConnectionProvider.class).getEntityManager());
    }

    /** A change to announce: the identifier it replaces (null: none) and its number among the user's changes. */
    record Change(String previous, long number) {
    }

    /**
     * Records {@code current} (null: the user has no identifier now) as what the platform knows of the user, under a
     * lock on the user's row here until the transaction ends, so that two admins' saves announce one change.
     * {@code firstKnown} tells what the platform knew before this table had a row for the user (the latest link).
     *
     * @return the change to announce, or empty when the platform already knows {@code current} or never heard of
     *         the user (nothing it knows is replaced)
     */
    Optional<Change> record(String realmId, String userId, String current, FirstKnown firstKnown) {
        String id = rowId(realmId, userId);
        AnnouncedIdentifierEntity row = em.find(AnnouncedIdentifierEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            String known = firstKnown.customerId();
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

    /** What the platform knew of a user before this table had a row for it. */
    @FunctionalInterface
    interface FirstKnown {
        String customerId();
    }

    /** The identifier last announced for the user, if any. */
    Optional<String> announced(String realmId, String userId) {
        return em.createNamedQuery("CaAnnouncedOfUser", String.class).setParameter("realmId", realmId)
                .setParameter("userId", userId).getResultStream().filter(Objects::nonNull).findFirst();
    }

    void deleteUser(String realmId, String userId) {
        em.createNamedQuery("CaAnnouncedDeleteOfUser").setParameter("realmId", realmId).setParameter("userId", userId)
                .executeUpdate();
    }

    void deleteRealm(String realmId) {
        em.createNamedQuery("CaAnnouncedDeleteOfRealm").setParameter("realmId", realmId).executeUpdate();
    }

    /** A digest of realm and user, so that a row of one user is found without an index of its own. */
    private static String rowId(String realmId, String userId) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((realmId + ':' + userId).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
