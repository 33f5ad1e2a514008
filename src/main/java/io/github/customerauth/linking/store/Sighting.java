package io.github.customerauth.linking.store;

import io.github.customerauth.linking.message.LinkEvent;

/**
 * A customer's session seen on a channel {@code count} times (a login, token, refresh or exchange), the last of
 * them by {@code event}: what a link records.
 */
public record Sighting(String realmId, String userId, LinkEvent event, int count) {

    public Sighting(String realmId, String userId, LinkEvent event) {
        this(realmId, userId, event, 1);
    }

    public LinkKey key() {
        return LinkKey.of(realmId, event);
    }

    /** Both sightings of one link as one: the later event, the counts added. */
    public Sighting plus(Sighting other) {
        LinkEvent last = other.event.timeMillis() >= event.timeMillis() ? other.event : event;
        return new Sighting(other.realmId, other.userId, last, count + other.count);
    }
}
