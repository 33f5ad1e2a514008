package io.github.customerauth.linking.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** The identifier the platform last heard for one user of a realm (see {@link AnnouncedIdentifiers}). */
@Entity
@Table(name = "CA_ANNOUNCED_IDENTIFIER")
@NamedQueries({
        @NamedQuery(name = "CaAnnouncedOfUser",
                query = "select a.customerId from AnnouncedIdentifierEntity a"
                        + " where a.realmId = :realmId and a.userId = :userId"),
        @NamedQuery(name = "CaAnnouncedDeleteOfUser",
                query = "delete from AnnouncedIdentifierEntity a where a.realmId = :realmId and a.userId = :userId"),
        @NamedQuery(name = "CaAnnouncedDeleteOfRealm",
                query = "delete from AnnouncedIdentifierEntity a where a.realmId = :realmId"),
})
public class AnnouncedIdentifierEntity {

    @Id
    @Column(name = "ID", length = 64)
    private String id;
    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;
    @Column(name = "USER_ID", length = 36, nullable = false)
    private String userId;
    /** Null once the user's identifier was removed (no account number). */
    @Column(name = "CUSTOMER_ID", length = 80)
    private String customerId;
    @Column(name = "CHANGES", nullable = false)
    private long changes;

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String realmId) { this.realmId = realmId; }
    public String getUserId() { return userId; }
    public void setUserId(String userId) { this.userId = userId; }
    public String getCustomerId() { return customerId; }
    public void setCustomerId(String customerId) { this.customerId = customerId; }
    public long getChanges() { return changes; }
    public void setChanges(long changes) { this.changes = changes; }
}
