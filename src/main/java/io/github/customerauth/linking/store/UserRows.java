package io.github.customerauth.linking.store;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.keycloak.models.jpa.entities.UserEntity;

/**
 * Keycloak's user rows, locked for the rest of the caller's transaction: the one place this extension touches a
 * Keycloak JPA entity. Keycloak removes a user of its database under a lock on the user's row
 * ({@code JpaUserProvider.removeUser} finds it {@code PESSIMISTIC_WRITE}, deletes and flushes), and only then
 * publishes the {@code UserRemovedEvent} whose handler deletes the user's links, in the same transaction. A link
 * made under this lock is therefore committed either before the removal takes the row (and deleted with the user's
 * other links) or after the removal committed (and then the user is gone and the link is not made).
 */
final class UserRows {

    private static final String LOCK_ID = "select u.id from " + UserEntity.class.getSimpleName() + " u where u.id = :id";

    private UserRows() {
    }

    /**
     * Locks the rows of these users against removal and against another writer making their links (exclusive: of
     * two writers making one link, the second waits here for the first's commit and then finds its link, rather than
     * waiting on the link's key), in one order for every caller so that two writers cannot deadlock; returns the
     * users that still exist.
     */
    static Set<String> lockExisting(EntityManager em, Collection<String> userIds) {
        Set<String> existing = new HashSet<>();
        for (String userId : new TreeSet<>(userIds)) {
            // The id alone: finding the entity would read every column, through Keycloak's batch loader. Hibernate
            // locks the row a scalar comes from. No joins, DISTINCT or row limits here: with them Oracle locks in a
            // second select, of loaded entities only, and this query loads none.
            if (!em.createQuery(LOCK_ID, String.class).setParameter("id", userId)
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList().isEmpty()) {
                existing.add(userId);
            }
        }
        return existing;
    }
}
