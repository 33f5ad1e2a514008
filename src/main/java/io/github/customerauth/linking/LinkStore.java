package io.github.customerauth.linking;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/** Every query and state change of {@code CA_LINK}, in the session's transaction. */
final class LinkStore {

    private final EntityManager em;

    private LinkStore(EntityManager em) {
        this.em = em;
    }

    static LinkStore of(KeycloakSession session) {
        return new LinkStore(session.getProvider(JpaConnectionProvider.class).getEntityManager());
    }

    void recordSeen(String realmId, String customerId, String userId, String clientId, String sessionId, long now) {
        LinkEntity existing = em.createNamedQuery("CaLinksOfSessionChannel", LinkEntity.class)
                .setParameter("realmId", realmId).setParameter("sessionId", sessionId)
                .setParameter("clientId", clientId).getResultList().stream()
                .filter(link -> link.getCustomerId().equals(customerId)).findFirst().orElse(null);
        if (existing != null) {
            existing.setLastSeen(now);
            existing.setEventCount(existing.getEventCount() + 1);
            return;
        }
        LinkEntity link = new LinkEntity();
        link.setId(UUID.randomUUID().toString());
        link.setRealmId(realmId);
        link.setCustomerId(customerId);
        link.setUserId(userId);
        link.setClientId(clientId);
        link.setSessionId(sessionId);
        link.setFirstSeen(now);
        link.setLastSeen(now);
        link.setEventCount(1);
        em.persist(link);
    }

    /** Ends every open link of a session; returns them. */
    List<LinkEntity> endSession(String realmId, String sessionId, String reason, long now) {
        List<LinkEntity> open = em.createNamedQuery("CaOpenLinksOfSession", LinkEntity.class)
                .setParameter("realmId", realmId).setParameter("sessionId", sessionId).getResultList();
        for (LinkEntity link : open) {
            link.setEndedAt(now);
            link.setEndReason(reason);
            link.setLastSeen(Math.max(link.getLastSeen(), now));
        }
        return open;
    }

    List<LinkEntity> linksOf(String realmId, String customerId, int first, int max) {
        return em.createNamedQuery("CaLinksOfCustomer", LinkEntity.class)
                .setParameter("realmId", realmId).setParameter("customerId", customerId)
                .setFirstResult(first).setMaxResults(max).getResultList();
    }

    long countLinksOf(String realmId, String customerId) {
        return em.createNamedQuery("CaCountLinksOfCustomer", Long.class)
                .setParameter("realmId", realmId).setParameter("customerId", customerId).getSingleResult();
    }

    List<LinkEntity> linksOnChannels(String realmId, String customerId, Collection<String> channels, int first, int max) {
        Query query = em.createNamedQuery("CaLinksOfCustomerOnChannels", LinkEntity.class)
                .setParameter("realmId", realmId).setParameter("customerId", customerId)
                .setFirstResult(first).setMaxResults(max);
        IdList.bind(query, "channels", List.copyOf(channels));
        @SuppressWarnings("unchecked")
        List<LinkEntity> links = query.getResultList();
        return links;
    }

    long countLinksOnChannels(String realmId, String customerId, Collection<String> channels) {
        Query query = em.createNamedQuery("CaCountLinksOfCustomerOnChannels", Long.class)
                .setParameter("realmId", realmId).setParameter("customerId", customerId);
        IdList.bind(query, "channels", List.copyOf(channels));
        return (Long) query.getSingleResult();
    }

    List<String> customersOfUser(String realmId, String userId) {
        return em.createNamedQuery("CaCustomersOfUser", String.class)
                .setParameter("realmId", realmId).setParameter("userId", userId).getResultList();
    }

    String latestCustomerOfUser(String realmId, String userId) {
        return em.createNamedQuery("CaLatestLinkOfUser", LinkEntity.class)
                .setParameter("realmId", realmId).setParameter("userId", userId)
                .setMaxResults(1).getResultStream().map(LinkEntity::getCustomerId).findFirst().orElse(null);
    }

    void deleteLinksOfUser(String realmId, String userId) {
        em.createNamedQuery("CaDeleteLinksOfUser").setParameter("realmId", realmId).setParameter("userId", userId)
                .executeUpdate();
    }

    void deleteRealm(String realmId) {
        em.createNamedQuery("CaDeleteLinksOfRealm").setParameter("realmId", realmId).executeUpdate();
    }

    /** Open links last seen before {@code before}, in (last seen, id) order, after the given position. */
    List<LinkEntity> openLinksSeenBefore(long before, long afterSeen, String afterId, int max) {
        return em.createNamedQuery("CaOpenLinksSeenBefore", LinkEntity.class).setParameter("before", before)
                .setParameter("afterSeen", afterSeen).setParameter("afterId", afterId)
                .setMaxResults(max).getResultList();
    }

    int purgeEndedBefore(long before) {
        return em.createNamedQuery("CaDeleteEndedLinksBefore").setParameter("before", before).executeUpdate();
    }

}
