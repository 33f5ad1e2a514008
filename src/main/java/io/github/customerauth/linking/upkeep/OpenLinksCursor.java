package io.github.customerauth.linking.upkeep;

import io.github.customerauth.linking.store.LinkEntity;
import io.github.customerauth.linking.store.LinkStore;
import java.util.List;

/**
 * A position among the open links in (last seen, id) order, moved on pass after pass and started over from the
 * oldest once the newest was reached: a page of long-lived sessions cannot hide the links behind it.
 */
final class OpenLinksCursor {

    private long afterSeen = Long.MIN_VALUE;
    private String afterId = "";

    /** Up to {@code max} open links last seen before {@code before}, from the position on. */
    List<LinkEntity> page(LinkStore store, long before, int max) {
        return store.openLinksSeenBefore(before, afterSeen, afterId, max);
    }

    /** The next page starts after the last link checked, or from the oldest again once there are no more. */
    void advance(List<LinkEntity> checked, boolean more) {
        if (!more) {
            afterSeen = Long.MIN_VALUE;
            afterId = "";
        } else if (!checked.isEmpty()) {
            LinkEntity last = checked.get(checked.size() - 1);
            afterSeen = last.getLastSeen();
            afterId = last.getId();
        }
    }
}
