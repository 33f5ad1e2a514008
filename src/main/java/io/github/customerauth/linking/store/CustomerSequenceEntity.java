package io.github.customerauth.linking.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedNativeQueries;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** The next webhook sequence number of one customer of a realm (see {@link CustomerSequence}). */
@Entity
@Table(name = "CA_CUSTOMER_SEQ")
// Native SQL: Hibernate translates a bulk HQL update again on every call, half of the statement's cost.
@NamedNativeQueries({
        // The usual case, in one statement: the counter is behind the clock (in microseconds), so the numbers taken
        // start at the clock and the last of them is known without reading the row back. Whether the row was behind
        // is decided after its lock is held, so a concurrent increment is seen.
        @NamedNativeQuery(name = "CaSeqFromClock", query = "UPDATE {h-schema}CA_CUSTOMER_SEQ SET NEXT_SEQ = :now"
                + " + :count - 1 WHERE ID = :id AND NEXT_SEQ < :now"),
        // The counter is at or ahead of this node's clock (another node's clock is ahead, or a burst): counted on.
        @NamedNativeQuery(name = "CaSeqIncrement", query = "UPDATE {h-schema}CA_CUSTOMER_SEQ SET NEXT_SEQ = NEXT_SEQ"
                + " + :count WHERE ID = :id"),
})
@NamedQueries({
        @NamedQuery(name = "CaSeqValue", query = "select s.next from CustomerSequenceEntity s where s.id = :id"),
        @NamedQuery(name = "CaSeqDelete", query = "delete from CustomerSequenceEntity s where s.id = :id"),
        @NamedQuery(name = "CaSeqDeleteOfRealm", query = "delete from CustomerSequenceEntity s where s.realmId = :realmId"),
})
public class CustomerSequenceEntity {

    @Id
    @Column(name = "ID", length = 64)
    private String id;
    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;
    @Column(name = "NEXT_SEQ", nullable = false)
    private long next;

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String realmId) { this.realmId = realmId; }
    public long getNext() { return next; }
    public void setNext(long next) { this.next = next; }
}
