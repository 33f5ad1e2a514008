package io.github.customerauth.linking.store;

import io.github.customerauth.linking.message.LinkEvent;
import java.util.Comparator;

/** What makes a link one: its unique key in {@code CA_LINK}, a session seen on a channel as a customer. */
public record LinkKey(String realmId, String sessionId, String channel, String customerId) {

    /** The order rows are locked in, the same for every writer, so that two of them cannot deadlock. */
    static final Comparator<LinkKey> LOCK_ORDER = Comparator.comparing(LinkKey::realmId)
            .thenComparing(LinkKey::customerId).thenComparing(LinkKey::sessionId).thenComparing(LinkKey::channel);

    static LinkKey of(String realmId, LinkEvent event) {
        return new LinkKey(realmId, event.sessionId(), event.channel(), event.customerId());
    }
}
