package io.github.customerauth.linking.delivery;

import io.github.customerauth.linking.receiver.WebhookSender;
import io.github.customerauth.linking.receiver.WebhookTarget;
import io.github.customerauth.linking.store.Outbox;
import io.github.customerauth.linking.store.OutboxEntity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Delivers one receiver's due messages, a claimed batch at a time, for up to a second; runs of other receivers go
 * on beside it. Outcomes are recorded under the run's claim a few per short transaction, once 50 ms have passed
 * since the first of them was sent (checked after each send; a failure at once): only a crash between sending and
 * recording makes a message go out twice.
 */
final class DeliveryRun implements Runnable {

    private static final Logger LOG = Logger.getLogger(DeliveryRun.class);
    private static final long BUDGET_MILLIS = 1_000;
    /** Covers recording an outcome and clocks of different nodes up to this far apart. */
    private static final long LEASE_MARGIN_MILLIS = 30_000;
    /**
     * Outcomes are recorded a few at a time, at most this many or this long after the first was sent (a failure at
     * once): one transaction per message cost more than sending it. A crash loses at most these records, whose
     * messages then go out again.
     */
    private static final int RECORD_GROUP = 16;
    private static final long RECORD_DELAY_MILLIS = 50;

    private final KeycloakSessionFactory factory;
    private final LinkingSettings settings;
    private final LinkingMetrics metrics;
    private final WebhookSender sender;
    private final ReceiverState receiver;
    private final String webhookId;
    private final int batchSize;
    private final Runnable onEnd;
    /** The run's time ran out with claimed messages left unsent. */
    private boolean outOfTime;

    DeliveryRun(KeycloakSessionFactory factory, LinkingSettings settings, LinkingMetrics metrics, WebhookSender sender,
                ReceiverState receiver, String webhookId, int batchSize, Runnable onEnd) {
        this.factory = factory;
        this.settings = settings;
        this.metrics = metrics;
        this.sender = sender;
        this.receiver = receiver;
        this.webhookId = webhookId;
        this.batchSize = batchSize;
        this.onEnd = onEnd;
    }

    @Override
    public void run() {
        try {
            long end = System.currentTimeMillis() + BUDGET_MILLIS;
            boolean more = true;
            while (more && receiver.maySend() && System.currentTimeMillis() < end) {
                more = deliverBatch(end);
            }
            receiver.moreWaiting(more || outOfTime);
        } catch (Throwable t) {
            receiver.moreWaiting(false);
            LOG.errorf(t, "Customer webhook delivery run failed; its claimed messages are sent again when the claim ends");
        } finally {
            receiver.runEnded();
            onEnd.run();
        }
    }

    /**
     * @param end when the run's time is up: the rest of the batch is then given back unsent
     * @return whether the batch was full and everything in it went out (then more may be waiting)
     */
    private boolean deliverBatch(long end) {
        String claimId = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        // The deadline of each request is enforced by a watchdog that looks every tick: allow for that too.
        long perMessage = sender.timeoutMillis() + settings.get(LinkingSettings.DISPATCH_INTERVAL);
        // No message is started after the run's end, so the last one is done (or aborted) one deadline later.
        long leaseUntil = Math.max(end, now) + perMessage + LEASE_MARGIN_MILLIS;
        Claimed claimed;
        // One claim at a time per receiver on this node: a run then never looks at the messages another run of the
        // same receiver is about to claim, and each look finds work (a look costs a pass over the receiver's backlog).
        receiver.claims().lock();
        try {
            claimed = KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
                List<OutboxEntity> messages = Outbox.of(session).claim(webhookId, claimId, now, leaseUntil, batchSize,
                        receiver.pendingFront());
                return new Claimed(messages, messages.isEmpty() ? null
                        : WebhookTarget.resolve(session, messages.get(0).getRealmId(), webhookId));
            });
        } finally {
            receiver.claims().unlock();
        }
        List<OutboxEntity> messages = claimed.messages();
        List<Sent> unrecorded = new ArrayList<>();
        // A customer whose message failed: its later messages of the batch go back unsent, after it in order.
        Set<String> heldBack = new HashSet<>();
        List<String> unsent = new ArrayList<>();
        int delivered = 0;
        for (int i = 0; i < messages.size(); i++) {
            long at = System.currentTimeMillis();
            boolean leaseHolds = at + perMessage + LEASE_MARGIN_MILLIS / 2 < leaseUntil;
            if (!receiver.maySend() || !leaseHolds || (i > 0 && at >= end)) {
                messages.subList(i, messages.size()).forEach(rest -> unsent.add(rest.getId()));
                record(unrecorded, claimId, unsent);
                outOfTime = at >= end;
                return false;
            }
            OutboxEntity message = messages.get(i);
            if (heldBack.contains(message.getCustomerId())) {
                unsent.add(message.getId());
                continue;
            }
            String error = claimed.target().problem();
            if (error == null) {
                long started = System.currentTimeMillis();
                error = sender.send(message, claimed.target());
                if (error == null) {
                    receiver.succeeded(System.currentTimeMillis() - started > sender.timeoutMillis() / 2);
                } else {
                    receiver.failed(System.currentTimeMillis());
                }
            }
            unrecorded.add(new Sent(message, error));
            if (error == null) {
                delivered++;
            } else {
                heldBack.add(message.getCustomerId());
            }
            if (unrecorded.size() >= RECORD_GROUP || error != null
                    || System.currentTimeMillis() - unrecorded.get(0).sentAt() >= RECORD_DELAY_MILLIS) {
                record(unrecorded, claimId, List.of());
            }
        }
        record(unrecorded, claimId, unsent);
        return messages.size() == batchSize && delivered == batchSize;
    }

    /**
     * Records the outcomes of what was sent, and gives back {@code unsent}, in one transaction, under the claim;
     * then empties {@code sent}. A message given back keeps its place in its customer's order and counts no attempt.
     */
    private void record(List<Sent> sent, String claimId, List<String> unsent) {
        if (sent.isEmpty() && unsent.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        List<Outcome> outcomes;
        try {
            outcomes = KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
                Outbox outbox = Outbox.of(session);
                List<Outcome> recorded = new ArrayList<>();
                for (Sent one : sent) {
                    recorded.add(record(outbox, one, claimId, now));
                }
                outbox.release(unsent, claimId);
                return recorded;
            });
        } catch (RuntimeException e) {
            // A deadlock victim or a dropped connection must not make the whole group go out again.
            LOG.warnf("Recording %d webhook outcomes together failed (%s); recording them one by one", sent.size(),
                    e.getClass().getSimpleName());
            LOG.debug("Why the outcomes could not be recorded together", e);
            outcomes = new ArrayList<>();
            for (Sent one : sent) {
                outcomes.add(KeycloakModelUtils.runJobInTransactionWithResult(factory,
                        session -> record(Outbox.of(session), one, claimId, now)));
            }
            KeycloakModelUtils.runJobInTransaction(factory, session -> Outbox.of(session).release(unsent, claimId));
        }
        for (int i = 0; i < sent.size(); i++) {
            report(sent.get(i), outcomes.get(i), now);
        }
        sent.clear();
    }

    private Outcome record(Outbox outbox, Sent sent, String claimId, long now) {
        OutboxEntity message = sent.message();
        if (sent.error() == null) {
            return outbox.markDelivered(message.getId(), claimId, now) ? Outcome.DELIVERED : Outcome.LOST;
        }
        if (now - message.getCreatedAt() >= settings.get(LinkingSettings.MAX_AGE)) {
            return outbox.deadLetter(message.getId(), claimId, sent.error()) ? Outcome.DEAD : Outcome.LOST;
        }
        long next = now + settings.backoff().delayMillis(message.getAttempts() + 1, ThreadLocalRandom.current()::nextDouble);
        return outbox.retryLater(message.getId(), claimId, sent.error(), next) ? Outcome.RETRY : Outcome.LOST;
    }

    private void report(Sent sent, Outcome outcome, long now) {
        OutboxEntity message = sent.message();
        switch (outcome) {
            case DELIVERED -> metrics.delivered(now - message.getCreatedAt());
            case RETRY -> {
                metrics.retried();
                LOG.debugf("Customer webhook delivery failed (%s), attempt %d", sent.error(), message.getAttempts() + 1);
            }
            case DEAD -> {
                metrics.deadLettered();
                LOG.warnf("Customer webhook message dead-lettered in realm %s after %d attempts (%s)",
                        message.getRealmId(), message.getAttempts() + 1, sent.error());
            }
            case LOST -> LOG.warnf("Customer webhook message of realm %s: its claim ran out before the outcome was "
                    + "recorded, so another node may send it again", message.getRealmId());
        }
    }

    private record Sent(OutboxEntity message, String error, long sentAt) {
        Sent(OutboxEntity message, String error) {
            this(message, error, System.currentTimeMillis());
        }
    }

    private enum Outcome { DELIVERED, RETRY, DEAD, LOST }

    private record Claimed(List<OutboxEntity> messages, WebhookTarget target) {
    }
}
