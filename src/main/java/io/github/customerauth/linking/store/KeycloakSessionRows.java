package io.github.customerauth.linking.store;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/**
 * Keycloak's persistent user sessions ({@code OFFLINE_USER_SESSION}, the default since Keycloak 26), read beside the
 * open links so that the sweep looks only at sessions that can have ended: the one place this extension reads a
 * Keycloak session table. Queries name Keycloak's JPA entity ({@code PersistentUserSessionEntity}), so a release
 * that renames it fails at startup, not silently; what a row says is confirmed through Keycloak's session API before
 * a link ends.
 */
public final class KeycloakSessionRows {

    private static final String ONLINE = "0";
    /** Oracle takes at most 1,000 values in a list, SQL Server about 2,100 parameters per statement. */
    private static final int CHUNK = 512;
    /** Remember-me sessions have timeouts of their own: each kind is read apart, oldest first. */
    private static final String REMEMBER_ME = " and s.rememberMe = true";
    private static final String NOT_REMEMBER_ME = " and (s.rememberMe = false or s.rememberMe is null)";
    private static final String IDLE = "select l, s.lastSessionRefresh from LinkEntity l,"
            + " PersistentUserSessionEntity s where s.realmId = :realmId and s.offline = :online"
            + " and s.lastSessionRefresh < :refreshedBefore%s"
            + " and l.realmId = s.realmId and l.sessionId = s.userSessionId and l.endedAt is null"
            + " order by s.lastSessionRefresh";
    private static final String OLD = "select l, s.createdOn from LinkEntity l,"
            + " PersistentUserSessionEntity s where l.endedAt is null and l.firstSeen < :firstSeenBefore"
            + " and l.realmId = :realmId and s.realmId = l.realmId and s.userSessionId = l.sessionId"
            + " and s.offline = :online%s order by l.firstSeen";
    private static final String PRESENT = "select distinct s.userSessionId from PersistentUserSessionEntity s"
            + " where s.userSessionId in :ids";

    private final EntityManager em;

    private KeycloakSessionRows(EntityManager em) {
        this.em = em;
    }

    public static KeycloakSessionRows of(KeycloakSession session) {
        return new KeycloakSessionRows(session.getProvider(JpaConnectionProvider.class).getEntityManager());
    }

    /** An open link with a time of its session's row, in seconds (its last refresh, or its creation). */
    public record LinkedSession(LinkEntity link, int seconds) {
    }

    /**
     * Open links of the realm's online sessions of this kind (remember-me or not) last refreshed before the given
     * second, oldest first (Keycloak's index on realm, flag and last refresh serves it: the cost follows the sessions
     * that went idle, not all sessions).
     */
    public List<LinkedSession> idleBefore(String realmId, boolean rememberMe, int refreshedBeforeSeconds, int max) {
        return linked(em.createQuery(IDLE.formatted(rememberMe ? REMEMBER_ME : NOT_REMEMBER_ME), Object[].class)
                .setParameter("realmId", realmId).setParameter("online", ONLINE)
                .setParameter("refreshedBefore", refreshedBeforeSeconds).setMaxResults(max).getResultList());
    }

    /** Open links of the realm first seen before {@code firstSeenBefore}, oldest first, with their session's row. */
    public List<LinkedSession> openSince(String realmId, boolean rememberMe, long firstSeenBefore, int max) {
        return linked(em.createQuery(OLD.formatted(rememberMe ? REMEMBER_ME : NOT_REMEMBER_ME), Object[].class)
                .setParameter("realmId", realmId).setParameter("online", ONLINE)
                .setParameter("firstSeenBefore", firstSeenBefore).setMaxResults(max).getResultList());
    }

    /** Which of these session ids have a row (online or offline); asked in chunks that every database takes. */
    public Set<String> present(Collection<String> sessionIds) {
        List<String> all = List.copyOf(new HashSet<>(sessionIds));
        Set<String> present = new HashSet<>();
        for (int from = 0; from < all.size(); from += CHUNK) {
            Query query = em.createQuery(PRESENT, String.class);
            IdList.bind(query, "ids", all.subList(from, Math.min(all.size(), from + CHUNK)));
            for (Object id : query.getResultList()) {
                present.add((String) id);
            }
        }
        return present;
    }

    private static List<LinkedSession> linked(List<Object[]> rows) {
        return rows.stream().map(row -> new LinkedSession((LinkEntity) row[0], ((Number) row[1]).intValue())).toList();
    }
}
