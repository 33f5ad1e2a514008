package io.github.customerauth.linking.store;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** A customer's links as the read APIs (partner and admin) answer them, a page at a time. */
public final class CustomerLinks {

    public static final int MAX_PAGE = 100;

    private CustomerLinks() {
    }

    /** Every link of the customer, for the realm's admins. */
    public static Map<String, Object> page(KeycloakSession session, RealmModel realm, String customerId, int first, int max) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        long total = em.createNamedQuery("CaCountLinksOfCustomer", Long.class).setParameter("realmId", realm.getId())
                .setParameter("customerId", customerId).getSingleResult();
        return body(customerId, total, first, em.createNamedQuery("CaLinksOfCustomer", LinkEntity.class)
                .setParameter("realmId", realm.getId()).setParameter("customerId", customerId)
                .setFirstResult(first).setMaxResults(max).getResultList());
    }

    /** The customer's links on the given channels only: what a partner allowed those channels may see. */
    public static Map<String, Object> pageOnChannels(KeycloakSession session, RealmModel realm, String customerId,
                                                     Set<String> channels, int first, int max) {
        if (channels.isEmpty()) {
            return body(customerId, 0, first, List.of());
        }
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        Query count = em.createNamedQuery("CaCountLinksOfCustomerOnChannels", Long.class)
                .setParameter("realmId", realm.getId()).setParameter("customerId", customerId);
        IdList.bind(count, "channels", List.copyOf(channels));
        Query page = em.createNamedQuery("CaLinksOfCustomerOnChannels", LinkEntity.class)
                .setParameter("realmId", realm.getId()).setParameter("customerId", customerId)
                .setFirstResult(first).setMaxResults(max);
        IdList.bind(page, "channels", List.copyOf(channels));
        @SuppressWarnings("unchecked")
        List<LinkEntity> links = page.getResultList();
        return body(customerId, (Long) count.getSingleResult(), first, links);
    }

    private static Map<String, Object> body(String customerId, long total, int first, List<LinkEntity> links) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customer_id", customerId);
        body.put("total", total);
        body.put("first", first);
        body.put("links", links.stream().map(CustomerLinks::toJson).toList());
        return body;
    }

    private static Map<String, Object> toJson(LinkEntity link) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("channel", link.getClientId());
        json.put("session_id", link.getSessionId());
        json.put("first_seen", Instant.ofEpochMilli(link.getFirstSeen()).toString());
        json.put("last_seen", Instant.ofEpochMilli(link.getLastSeen()).toString());
        json.put("events", link.getEventCount());
        if (link.getEndedAt() != null) {
            json.put("ended_at", Instant.ofEpochMilli(link.getEndedAt()).toString());
            json.put("end_reason", link.getEndReason());
        }
        return json;
    }
}
