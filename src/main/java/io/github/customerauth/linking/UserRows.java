package io.github.customerauth.linking;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.keycloak.models.jpa.entities.UserEntity;

/**
 * Keycloak's user rows, locked for the rest of the caller's transaction: the one place this extension touches a
 * Keycloak JPA entity. Keycloak removes a user after locking its row ({@code JpaUserProvider.removeUser}), and the
 * listener's clean-up of a removed user locks it again before it deletes the user's links. A link written after
 * Keycloak's commit is made only under that lock, so it is committed either before the removal reads the user's
 * links (and is deleted with them) or after the removal (and then its user is gone and it is not made).
 */
final class UserRows {

    private UserRows() {
    }

    /**
     * Locks the rows of these users against removal (a shared lock where the database has one), in one order for
     * every caller so that two writers cannot deadlock; returns the users that still exist.
     */
    static Set<String> lockExisting(EntityManager em, Collection<String> userIds) {
        Set<String> existing = new HashSet<>();
        for (String userId : new TreeSet<>(userIds.stream().filter(Objects::nonNull).toList())) {
            if (em.find(UserEntity.class, userId, LockModeType.PESSIMISTIC_READ) != null) {
                existing.add(userId);
            }
        }
        return existing;
    }

    /** Before a removed user's links are deleted: a writer holding the row finishes first. */
    static void lockForRemoval(EntityManager em, String userId) {
        em.find(UserEntity.class, userId, LockModeType.PESSIMISTIC_WRITE);
    }
}
