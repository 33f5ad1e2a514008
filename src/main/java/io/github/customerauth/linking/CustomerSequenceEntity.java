package io.github.customerauth.linking;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** The next webhook sequence number of one customer of a realm (see {@link CustomerSequence}). */
@Entity
@Table(name = "CA_CUSTOMER_SEQ")
// The first of :count numbers is the next one, or the clock in microseconds if that is ahead. Native SQL: Hibernate
// translates a bulk HQL update again on every call, half of the statement's cost.
@NamedNativeQuery(name = "CaSeqIncrement", query = "UPDATE {h-schema}CA_CUSTOMER_SEQ SET NEXT_SEQ = CASE WHEN"
        + " NEXT_SEQ + 1 > :now THEN NEXT_SEQ + :count ELSE :now + :count - 1 END WHERE ID = :id")
@NamedQueries({
        @NamedQuery(name = "CaSeqValue", query = "select s.next from CustomerSequenceEntity s where s.id = :id"),
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
