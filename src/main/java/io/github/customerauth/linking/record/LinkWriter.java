package io.github.customerauth.linking.record;

import io.github.customerauth.linking.store.Sighting;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Writes the links and outbox messages of tokens, refreshes and exchanges in groups, one database transaction per
 * group, on a thread of its own, as Keycloak writes persistent sessions. A request hands its event over once
 * Keycloak's transaction has committed and waits until the event's group has committed too, so the client gets
 * its token only once the platform's message is safe; a busy node pays for one transaction per group instead of
 * one per request (a refresh-token grant has no other database write). Between groups, the thread writes the
 * {@link SightingCounts} of sightings no receiver wants a message of; the request does not wait for those.
 */
public final class LinkWriter implements Runnable {

    private static final Logger LOG = Logger.getLogger(LinkWriter.class);
    static final int MAX_GROUP = 64;
    private static final int QUEUE = 10_000;
    private static final long WAIT_MILLIS = 10_000;

    private final KeycloakSessionFactory factory;
    private final SightingCounts counts;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(QUEUE);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean stopped;
    private volatile boolean started;

    public LinkWriter(KeycloakSessionFactory factory, long countFlushMillis) {
        this.factory = factory;
        this.counts = new SightingCounts(factory, countFlushMillis);
    }

    /** Writes the sighting and its message once the session's transaction has committed; nothing at a rollback. */
    void writeAfterCommit(KeycloakSession session, Sighting sighting, Message message) {
        afterCommit(session, () -> write(sighting, message));
    }

    /** Counts a sighting without a message once the session's transaction has committed; no waiting. */
    void countAfterCommit(KeycloakSession session, Sighting sighting) {
        afterCommit(session, () -> count(sighting));
    }

    private static void afterCommit(KeycloakSession session, Runnable action) {
        if (!session.getTransactionManager().isActive()) {
            action.run();
            return;
        }
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                action.run();
            }

            @Override
            protected void rollbackImpl() {
            }
        });
    }

    void count(Sighting sighting) {
        if (!running || !counts.add(sighting)) {
            // Before the writer starts, once it has stopped, or far behind: the caller writes its own (counts only,
            // no message: a failure is logged where it happened, and the request goes on).
            try {
                write(sighting, new Message(sighting.realmId(), sighting.event(), List.of(), List.of()));
            } catch (NotRecorded e) {
                LOG.debugf("Last sighting of a customer link in realm %s not recorded (counts only)",
                        sighting.realmId());
            }
            return;
        }
        if (!running) {
            // The writer stopped after this request looked: its last flush may have come before the count.
            counts.flushAll();
        }
    }

    /**
     * Writes the sighting and its message and returns once they are committed, at most ten seconds; otherwise throws
     * {@link NotRecorded}, so that the request fails rather than answer a client whose message is not safe.
     */
    void write(Sighting sighting, Message message) {
        Pending pending = new Pending(sighting, message);
        try {
            // A full queue holds the request back rather than letting it write ahead of older events of its customer.
            if (!running || !queue.offer(pending, WAIT_MILLIS, TimeUnit.MILLISECONDS)
                    || (!running && queue.remove(pending))) {
                // Before the writer starts, once it has stopped, or stuck for ten seconds: the caller writes.
                writeEach(List.of(pending));
            }
            pending.done.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("Customer link for a %s event in realm %s not written within %d ms; it stays queued and the"
                    + " request fails", sighting.event().type(), sighting.realmId(), WAIT_MILLIS);
            throw new NotRecorded(sighting, e);
        } catch (ExecutionException e) {
            // Logged where it failed.
            throw new NotRecorded(sighting, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotRecorded(sighting, e);
        }
    }

    /** The event's link and message could not be written: its request must fail. No personal data in the text. */
    static final class NotRecorded extends IllegalStateException {
        NotRecorded(Sighting sighting, Throwable cause) {
            super("customer link for a " + sighting.event().type() + " event in realm " + sighting.realmId()
                    + " not recorded", cause);
        }
    }

    @Override
    public void run() {
        running = true;
        boolean interrupted = false;
        List<Pending> group = new ArrayList<>(MAX_GROUP);
        try {
            while (!stopped || !queue.isEmpty()) {
                try {
                    counts.flushWhenDue(() -> !queue.isEmpty());
                    Pending first = stopped ? queue.poll() : queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    group.add(first);
                    queue.drainTo(group, MAX_GROUP - 1);
                    writeGroup(group);
                } catch (InterruptedException e) {
                    // Shutting down: what is queued is still written, without waiting for more.
                    interrupted = true;
                    stopped = true;
                } catch (Throwable t) {
                    LOG.errorf(t, "Customer link writer failed; %d events not recorded", group.size());
                    group.forEach(pending -> pending.done.completeExceptionally(t));
                } finally {
                    group.clear();
                }
            }
            // Before the last look: a request that queues after it sees this, takes its event back and writes it.
            running = false;
            List<Pending> left = new ArrayList<>();
            queue.drainTo(left);
            writeEach(left);
            counts.flushAll();
        } finally {
            running = false;
            finished.countDown();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops taking events and waits (up to ten seconds) until what was queued is written. */
    public void stop() {
        stopped = true;
        try {
            if (started && !finished.await(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warnf("Customer link writer still busy after %d ms at shutdown; %d events and the counts of %d"
                        + " links not recorded", WAIT_MILLIS, queue.size(), counts.waiting());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Marks the writer as handed to its executor, so that {@link #stop} waits for it. */
    public void starting() {
        started = true;
    }

    /** In arrival order; {@link LinkRecorder} and the store choose the order rows are locked in. */
    private void writeGroup(List<Pending> ordered) {
        try {
            KeycloakModelUtils.runJobInTransaction(factory, session -> new LinkRecorder(session).write(
                    ordered.stream().map(Pending::sighting).toList(), ordered.stream().map(Pending::message).toList()));
        } catch (RuntimeException e) {
            // Nothing of the group was committed: each event again in a transaction of its own, so that one bad
            // event costs only itself, and a link another node made meanwhile (a deadlock) is found this time.
            LOG.debugf(e, "A group of %d customer links failed; writing them one by one", ordered.size());
            writeEach(ordered);
            return;
        }
        ordered.forEach(pending -> pending.done.complete(null));
    }

    /** Each event in a transaction of its own, a second time if the first fails. */
    private void writeEach(List<Pending> events) {
        for (Pending pending : events) {
            RuntimeException failure = null;
            for (int attempt = 0; attempt < 2 && !pending.done.isDone(); attempt++) {
                try {
                    KeycloakModelUtils.runJobInTransaction(factory, session -> new LinkRecorder(session)
                            .write(List.of(pending.sighting), List.of(pending.message)));
                    pending.done.complete(null);
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            if (!pending.done.isDone()) {
                failed(pending, failure);
            }
        }
    }

    private static void failed(Pending pending, RuntimeException e) {
        LOG.errorf(e, "Customer link for a %s event in realm %s not recorded", pending.sighting.event().type(),
                pending.sighting.realmId());
        pending.done.completeExceptionally(e);
    }

    private record Pending(Sighting sighting, Message message, CompletableFuture<Void> done) {
        Pending(Sighting sighting, Message message) {
            this(sighting, message, new CompletableFuture<>());
        }
    }
}
