package io.github.customerauth.linking.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** A pending outbox message whose number may lie before its receiver's {@link PendingFront} ({@link LateMessages}). */
@Entity
@Table(name = "CA_OUTBOX_LATE")
@NamedQueries({
        @NamedQuery(name = "CaLateOfReceiver", query = "select l.id from LateMessageEntity l"
                + " where l.webhookId = :webhookId"),
        @NamedQuery(name = "CaLateDelete", query = "delete from LateMessageEntity l where l.id = :id"),
        @NamedQuery(name = "CaLateNoLongerPending", query = "delete from LateMessageEntity l where not exists"
                + " (select o.id from OutboxEntity o where o.id = l.id and o.status = :pending)"),
})
public class LateMessageEntity {

    /** The outbox message's id. */
    @Id
    @Column(name = "ID", length = 36)
    private String id;
    @Column(name = "WEBHOOK_ID", length = 36, nullable = false)
    private String webhookId;
    @Column(name = "MARKED_AT", nullable = false)
    private long markedAt;

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getWebhookId() { return webhookId; }
    public void setWebhookId(String webhookId) { this.webhookId = webhookId; }
    public long getMarkedAt() { return markedAt; }
    public void setMarkedAt(long markedAt) { this.markedAt = markedAt; }
}
