package io.github.customerauth.identifier;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** One identifier ever issued in a realm and the user it belongs to: the company's way back from a value. */
@Entity
@Table(name = "CA_CUSTOMER_IDENTIFIER")
@NamedQueries({
        @NamedQuery(name = "CaIdentifierByValue",
                query = "select i from IdentifierIndexEntity i where i.realmId = :realmId and i.identifier = :identifier"),
        @NamedQuery(name = "CaIdentifierOwner", query = "select i.userId from IdentifierIndexEntity i"
                + " where i.realmId = :realmId and i.identifier = :identifier"),
        @NamedQuery(name = "CaTakeOverIdentifier", query = "update IdentifierIndexEntity i set i.userId = :userId,"
                + " i.keyId = :keyId where i.realmId = :realmId and i.identifier = :identifier"
                + " and i.userId = :previousOwner"),
        @NamedQuery(name = "CaIdentifiersOfUser",
                query = "select i.identifier from IdentifierIndexEntity i where i.realmId = :realmId and i.userId = :userId"),
        @NamedQuery(name = "CaDeleteIdentifiersOfUser",
                query = "delete from IdentifierIndexEntity i where i.realmId = :realmId and i.userId = :userId"),
        @NamedQuery(name = "CaDeleteIdentifierRow", query = "delete from IdentifierIndexEntity i where i.id = :id"),
        @NamedQuery(name = "CaDeleteIdentifiersOfRealm",
                query = "delete from IdentifierIndexEntity i where i.realmId = :realmId"),
})
public class IdentifierIndexEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "IDENTIFIER", length = 80, nullable = false)
    private String identifier;

    @Column(name = "KEY_ID", length = 32, nullable = false)
    private String keyId;

    @Column(name = "USER_ID", length = 36, nullable = false)
    private String userId;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getRealmId() {
        return realmId;
    }

    public void setRealmId(String realmId) {
        this.realmId = realmId;
    }

    public String getIdentifier() {
        return identifier;
    }

    public void setIdentifier(String identifier) {
        this.identifier = identifier;
    }

    public String getKeyId() {
        return keyId;
    }

    public void setKeyId(String keyId) {
        this.keyId = keyId;
    }

    public String getUserId() {
        return userId;
    }

    public void setUserId(String userId) {
        this.userId = userId;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(long createdAt) {
        this.createdAt = createdAt;
    }
}
