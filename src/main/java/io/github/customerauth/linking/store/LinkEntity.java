package io.github.customerauth.linking.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;

/** One channel session of one customer: no account number, username, email or IP address. */
// Only changed columns: ending a link must not write back counts a native "seen again" changed meanwhile.
@Entity
@DynamicUpdate
@Table(name = "CA_LINK")
// Native SQL: Hibernate translates a bulk HQL update again on every call.
@NamedNativeQuery(name = "CaLinkSeenAgain", query = "UPDATE {h-schema}CA_LINK SET LAST_SEEN = CASE WHEN"
        + " LAST_SEEN < :now THEN :now ELSE LAST_SEEN END, EVENT_COUNT = EVENT_COUNT + :count WHERE ID = :id")
@NamedQueries({
        // By session and channel only: the session index answers it, whatever the planner knows of the data (H2
        // without statistics would otherwise pick the customer index and read every link of the customer).
        @NamedQuery(name = "CaLinkIdsOfSessionChannel", query = "select l.id, l.customerId from LinkEntity l"
                + " where l.realmId = :realmId and l.sessionId = :sessionId and l.clientId = :clientId"),
        @NamedQuery(name = "CaOpenLinksOfSession", query = "select l from LinkEntity l where l.realmId = :realmId"
                // In the order the writer locks links in (customer, then channel), so that the two cannot deadlock.
                + " and l.sessionId = :sessionId and l.endedAt is null order by l.customerId, l.clientId"),
        @NamedQuery(name = "CaLinksOfCustomer", query = "select l from LinkEntity l where l.realmId = :realmId"
                + " and l.customerId = :customerId order by l.firstSeen, l.id"),
        @NamedQuery(name = "CaCountLinksOfCustomer", query = "select count(l) from LinkEntity l"
                + " where l.realmId = :realmId and l.customerId = :customerId"),
        @NamedQuery(name = "CaLinksOfCustomerOnChannels", query = "select l from LinkEntity l where l.realmId = :realmId"
                + " and l.customerId = :customerId and l.clientId in :channels order by l.firstSeen, l.id"),
        @NamedQuery(name = "CaCountLinksOfCustomerOnChannels", query = "select count(l) from LinkEntity l"
                + " where l.realmId = :realmId and l.customerId = :customerId and l.clientId in :channels"),
        @NamedQuery(name = "CaCustomersOfUser", query = "select distinct l.customerId from LinkEntity l"
                + " where l.realmId = :realmId and l.userId = :userId"),
        @NamedQuery(name = "CaOpenLinksOfUser", query = "select l from LinkEntity l where l.realmId = :realmId"
                + " and l.userId = :userId and l.endedAt is null order by l.customerId, l.sessionId, l.clientId"),
        @NamedQuery(name = "CaChannelsOfUser", query = "select distinct l.clientId from LinkEntity l"
                + " where l.realmId = :realmId and l.userId = :userId"),
        @NamedQuery(name = "CaLatestLinkOfUser", query = "select l from LinkEntity l where l.realmId = :realmId"
                + " and l.userId = :userId order by l.lastSeen desc"),
        @NamedQuery(name = "CaDeleteLinksOfUser", query = "delete from LinkEntity l where l.realmId = :realmId"
                + " and l.userId = :userId"),
        @NamedQuery(name = "CaDeleteLinksOfRealm", query = "delete from LinkEntity l where l.realmId = :realmId"),
        @NamedQuery(name = "CaDeleteEndedLinksBefore", query = "delete from LinkEntity l where l.endedAt is not null"
                + " and l.endedAt < :before"),
        // "lastSeen >= :afterSeen" repeats what the OR says, so that the index on (ENDED_AT, LAST_SEEN) starts at the
        // position instead of reading every open link before it (a pass then costs a page, not a walk from the start).
        @NamedQuery(name = "CaOpenLinksSeenBefore", query = "select l from LinkEntity l where l.endedAt is null"
                + " and l.lastSeen < :before and l.lastSeen >= :afterSeen"
                + " and (l.lastSeen > :afterSeen or (l.lastSeen = :afterSeen and l.id > :afterId))"
                + " order by l.lastSeen, l.id"),
})
public class LinkEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;
    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;
    @Column(name = "CUSTOMER_ID", length = 80, nullable = false)
    private String customerId;
    @Column(name = "USER_ID", length = 36, nullable = false)
    private String userId;
    @Column(name = "CLIENT_ID", length = 255, nullable = false)
    private String clientId;
    @Column(name = "SESSION_ID", length = 64, nullable = false)
    private String sessionId;
    @Column(name = "FIRST_SEEN", nullable = false)
    private long firstSeen;
    @Column(name = "LAST_SEEN", nullable = false)
    private long lastSeen;
    @Column(name = "EVENT_COUNT", nullable = false)
    private int eventCount;
    @Column(name = "ENDED_AT")
    private Long endedAt;
    @Column(name = "END_REASON", length = 32)
    private String endReason;

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String realmId) { this.realmId = realmId; }
    public String getCustomerId() { return customerId; }
    public void setCustomerId(String customerId) { this.customerId = customerId; }
    public String getUserId() { return userId; }
    public void setUserId(String userId) { this.userId = userId; }
    public String getClientId() { return clientId; }
    public void setClientId(String clientId) { this.clientId = clientId; }
    public String getSessionId() { return sessionId; }
    public void setSessionId(String sessionId) { this.sessionId = sessionId; }
    public long getFirstSeen() { return firstSeen; }
    public void setFirstSeen(long firstSeen) { this.firstSeen = firstSeen; }
    public long getLastSeen() { return lastSeen; }
    public void setLastSeen(long lastSeen) { this.lastSeen = lastSeen; }
    public int getEventCount() { return eventCount; }
    public void setEventCount(int eventCount) { this.eventCount = eventCount; }
    public Long getEndedAt() { return endedAt; }
    public void setEndedAt(Long endedAt) { this.endedAt = endedAt; }
    public String getEndReason() { return endReason; }
    public void setEndReason(String endReason) { this.endReason = endReason; }
}
