package io.github.customerauth.linking;

import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Orders a customer's webhook messages by a counter in the database ({@code CA_CUSTOMER_SEQ}), incremented in the
 * transaction that records the event. The increment locks the customer's row until that transaction ends, so a
 * later event of the same customer gets a higher number only once the earlier one has committed or rolled back:
 * the order holds whatever the nodes' clocks say and however late a transaction commits.
 */
final class CustomerSequence {

    private static final Logger LOG = Logger.getLogger(CustomerSequence.class);

    private CustomerSequence() {
    }

    static long next(KeycloakSession session, String realmId, String customerId) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        String id = realmId + ':' + customerId;
        if (increment(em, id) == 0) {
            create(session, realmId, id);
            if (increment(em, id) == 0) {
                throw new IllegalStateException("no sequence row for a customer of realm " + realmId);
            }
        }
        return em.createNamedQuery("CaSeqValue", Long.class).setParameter("id", id).getSingleResult();
    }

    static void deleteRealm(KeycloakSession session, String realmId) {
        session.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createNamedQuery("CaSeqDeleteOfRealm").setParameter("realmId", realmId).executeUpdate();
    }

    private static int increment(EntityManager em, String id) {
        return em.createNamedQuery("CaSeqIncrement").setParameter("id", id).executeUpdate();
    }

    /**
     * The customer's row, in a transaction of its own so that two first events racing cannot fail the login that
     * records them. It starts at the current time in microseconds, above the clock-based numbers that messages
     * recorded before this counter existed carry.
     */
    private static void create(KeycloakSession session, String realmId, String id) {
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), own -> {
                EntityManager em = own.getProvider(JpaConnectionProvider.class).getEntityManager();
                if (em.find(CustomerSequenceEntity.class, id) == null) {
                    CustomerSequenceEntity row = new CustomerSequenceEntity();
                    row.setId(id);
                    row.setRealmId(realmId);
                    row.setNext(System.currentTimeMillis() * 1000);
                    em.persist(row);
                }
            });
        } catch (RuntimeException raced) {
            LOG.debugf("Sequence row of a customer of realm %s created concurrently", realmId);
        }
    }
}
