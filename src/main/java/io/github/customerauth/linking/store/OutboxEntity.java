package io.github.customerauth.linking.store;

import io.github.customerauth.linking.message.LinkEvent;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedNativeQueries;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * One webhook message to send: written in the same transaction as the event it reports, sent later by the
 * dispatcher. {@code SEQ} orders a customer's messages (see {@link CustomerSequence}); only the oldest pending one
 * per receiver and customer is ever due, so a customer's messages arrive in order. Every query and state change
 * lives in {@link Outbox} (a claim in {@link OutboxClaim}).
 */
@Entity
@Table(name = "CA_OUTBOX")
// The updates of every delivery in native SQL: Hibernate translates a bulk HQL update again on every call, which
// cost more than the statement.
@NamedNativeQueries({
        @NamedNativeQuery(name = "CaClaim", query = "UPDATE {h-schema}CA_OUTBOX SET CLAIMED_BY = :claim,"
                + " CLAIMED_UNTIL = :until WHERE ID IN (:ids) AND STATUS = :pending AND CLAIMED_UNTIL < :now"
                + " AND NEXT_ATTEMPT_AT <= :now"),
        // PostgreSQL: the claim returns the rows it won (OutboxClaim).
        @NamedNativeQuery(name = "CaClaimReturning", query = "UPDATE {h-schema}CA_OUTBOX SET CLAIMED_BY = :claim,"
                + " CLAIMED_UNTIL = :until WHERE ID IN (:ids) AND STATUS = :pending AND CLAIMED_UNTIL < :now"
                + " AND NEXT_ATTEMPT_AT <= :now RETURNING *", resultClass = OutboxEntity.class),
        @NamedNativeQuery(name = "CaMarkDelivered", query = "UPDATE {h-schema}CA_OUTBOX SET STATUS = :delivered,"
                + " DELIVERED_AT = :now, CLAIMED_BY = NULL, CLAIMED_UNTIL = 0, LAST_ERROR = NULL"
                + " WHERE ID = :id AND CLAIMED_BY = :claim AND STATUS = :pending"),
        // The two reads of a claim with a list of ids: as HQL, Hibernate translated them again whenever the list's
        // length changed, a third of a delivery thread's time on H2.
        @NamedNativeQuery(name = "CaClaimed", query = "SELECT * FROM {h-schema}CA_OUTBOX WHERE ID IN (:ids)"
                + " AND CLAIMED_BY = :claim AND STATUS = :pending ORDER BY SEQ, ID", resultClass = OutboxEntity.class),
        // IDX_CA_OUTBOX_DUE (STATUS, WEBHOOK_ID, CUSTOMER_ID, SEQ): one short look per customer.
        @NamedNativeQuery(name = "CaCustomersPendingBefore", query = "SELECT DISTINCT CUSTOMER_ID FROM"
                + " {h-schema}CA_OUTBOX WHERE STATUS = :pending AND WEBHOOK_ID = :webhookId"
                + " AND CUSTOMER_ID IN (:customers) AND SEQ < :from"),
})
@NamedQueries({
        // Without the oldest-per-customer test of the claim: a receiver listed here may have nothing to claim, but
        // the look stays one pass over the pending rows (with the test, a backlog of 10,000 took 50 ms on H2).
        @NamedQuery(name = "CaDueReceivers", query = "select distinct o.webhookId from OutboxEntity o"
                + " where o.status = :pending and o.nextAttemptAt <= :now and o.claimedUntil < :now"),
        @NamedQuery(name = "CaDueOfOneReceiver", query = "select o.id from OutboxEntity o where o.webhookId = :webhookId"
                + " and o.status = :pending and o.nextAttemptAt <= :now and o.claimedUntil < :now"),
        @NamedQuery(name = "CaPendingOfReceiver", query = "select o.id, o.customerId, o.nextAttemptAt, o.claimedUntil,"
                + " o.seq from OutboxEntity o where o.webhookId = :webhookId and o.status = :pending and o.seq >= :from"
                + " order by o.seq, o.id"),
        @NamedQuery(name = "CaDueOfReceiver", query = "select o.id from OutboxEntity o where o.webhookId = :webhookId"
                + " and o.status = :pending and o.nextAttemptAt <= :now and o.claimedUntil < :now and o.seq = (select"
                + " min(p.seq) from OutboxEntity p where p.status = :pending and p.webhookId = o.webhookId"
                + " and p.customerId = o.customerId) order by o.seq"),
        @NamedQuery(name = "CaRetryLater", query = "update OutboxEntity o set o.attempts = o.attempts + 1,"
                + " o.lastError = :error, o.nextAttemptAt = :next, o.claimedBy = null, o.claimedUntil = 0"
                + " where o.id = :id and o.claimedBy = :claim and o.status = :pending"),
        @NamedQuery(name = "CaDeadLetter", query = "update OutboxEntity o set o.status = :dead, o.attempts = o.attempts + 1,"
                + " o.lastError = :error, o.claimedBy = null, o.claimedUntil = 0"
                + " where o.id = :id and o.claimedBy = :claim and o.status = :pending"),
        @NamedQuery(name = "CaRelease", query = "update OutboxEntity o set o.claimedBy = null, o.claimedUntil = 0"
                + " where o.id in :ids and o.claimedBy = :claim and o.status = :pending"),
        @NamedQuery(name = "CaReplay", query = "update OutboxEntity o set o.status = :pending, o.attempts = 0,"
                + " o.createdAt = :now, o.nextAttemptAt = :now, o.claimedBy = null, o.claimedUntil = 0"
                + " where o.id = :id and o.realmId = :realmId and o.status = :dead"),
        @NamedQuery(name = "CaMessagesByStatus", query = "select o from OutboxEntity o where o.realmId = :realmId"
                + " and o.status = :status order by o.seq"),
        @NamedQuery(name = "CaCountByStatus", query = "select count(o) from OutboxEntity o where o.status = :status"),
        @NamedQuery(name = "CaDeleteDeliveredBefore", query = "delete from OutboxEntity o where o.status = :delivered"
                + " and o.deliveredAt < :before"),
        @NamedQuery(name = "CaDeleteDeadBefore", query = "delete from OutboxEntity o where o.status = :dead"
                + " and o.createdAt < :before"),
        @NamedQuery(name = "CaDeleteOutboxOfRealm", query = "delete from OutboxEntity o where o.realmId = :realmId"),
})
public class OutboxEntity {


    @Id
    @Column(name = "ID", length = 36)
    private String id;
    @Column(name = "EVENT_ID", length = 64, nullable = false)
    private String eventId;
    @Column(name = "SEQ", nullable = false)
    private long seq;
    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;
    @Column(name = "WEBHOOK_ID", length = 36, nullable = false)
    private String webhookId;
    @Column(name = "CUSTOMER_ID", length = 80, nullable = false)
    private String customerId;
    @Column(name = "BODY", length = LinkEvent.MAX_JSON_LENGTH, nullable = false)
    private String payload;
    @Enumerated(EnumType.STRING)
    @Column(name = "STATUS", length = 16, nullable = false)
    private OutboxStatus status;
    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;
    @Column(name = "NEXT_ATTEMPT_AT", nullable = false)
    private long nextAttemptAt;
    @Column(name = "ATTEMPTS", nullable = false)
    private int attempts;
    @Column(name = "LAST_ERROR", length = 255)
    private String lastError;
    @Column(name = "CLAIMED_BY", length = 64)
    private String claimedBy;
    @Column(name = "CLAIMED_UNTIL", nullable = false)
    private long claimedUntil;
    @Column(name = "DELIVERED_AT")
    private Long deliveredAt;

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getEventId() { return eventId; }
    public void setEventId(String eventId) { this.eventId = eventId; }
    public long getSeq() { return seq; }
    public void setSeq(long seq) { this.seq = seq; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String realmId) { this.realmId = realmId; }
    public String getWebhookId() { return webhookId; }
    public void setWebhookId(String webhookId) { this.webhookId = webhookId; }
    public String getCustomerId() { return customerId; }
    public void setCustomerId(String customerId) { this.customerId = customerId; }
    public String getPayload() { return payload; }
    public void setPayload(String payload) { this.payload = payload; }
    public OutboxStatus getStatus() { return status; }
    public void setStatus(OutboxStatus status) { this.status = status; }
    public long getCreatedAt() { return createdAt; }
    public void setCreatedAt(long createdAt) { this.createdAt = createdAt; }
    public long getNextAttemptAt() { return nextAttemptAt; }
    public void setNextAttemptAt(long nextAttemptAt) { this.nextAttemptAt = nextAttemptAt; }
    public int getAttempts() { return attempts; }
    public void setAttempts(int attempts) { this.attempts = attempts; }
    public String getLastError() { return lastError; }
    public void setLastError(String lastError) { this.lastError = lastError; }
    public String getClaimedBy() { return claimedBy; }
    public void setClaimedBy(String claimedBy) { this.claimedBy = claimedBy; }
    public long getClaimedUntil() { return claimedUntil; }
    public void setClaimedUntil(long claimedUntil) { this.claimedUntil = claimedUntil; }
    public Long getDeliveredAt() { return deliveredAt; }
    public void setDeliveredAt(Long deliveredAt) { this.deliveredAt = deliveredAt; }
}
