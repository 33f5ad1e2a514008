package io.github.customerauth.linking.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of the Debezium outbox table, in the layout the Outbox Event Router reads by default. Mapped only so that
 * Hibernate knows the table (and its schema); rows are written and deleted by {@link KafkaOutbox} in plain SQL,
 * since {@code ID} and {@code PAYLOAD} are {@code uuid} and {@code jsonb} on PostgreSQL.
 */
@Entity
@Table(name = "CA_KAFKA_OUTBOX")
public class KafkaOutboxEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;
    @Column(name = "AGGREGATETYPE", length = 100, nullable = false)
    private String aggregateType;
    @Column(name = "AGGREGATEID", length = 80, nullable = false)
    private String aggregateId;
    @Column(name = "TYPE", length = 64, nullable = false)
    private String type;
    @Column(name = "PAYLOAD", nullable = false)
    private String payload;

    public String getId() { return id; }
    public String getAggregateType() { return aggregateType; }
    public String getAggregateId() { return aggregateId; }
    public String getType() { return type; }
    public String getPayload() { return payload; }
}
