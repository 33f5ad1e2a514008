package io.github.customerauth.linking.store;

/** Where a webhook message is in its life; stored as its name in {@code CA_OUTBOX.STATUS}. */
public enum OutboxStatus {
    /** Waiting to be sent, or being sent under a node's claim. */
    PENDING,
    /** A receiver answered 2xx; kept for {@code delivered-retention-ms}. */
    DELIVERED,
    /** Not delivered within {@code max-age-ms}; kept for {@code dead-letter-retention-ms}, an admin may replay it. */
    DEAD
}
