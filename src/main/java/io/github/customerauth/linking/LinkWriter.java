package io.github.customerauth.linking;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 * one per request (a refresh-token grant has no other database write).
 * <p>
 * A sighting no receiver wants a message of (a refresh, unless a receiver lists {@code REFRESH_TOKEN}) only moves
 * its link's last sighting and count: it is added up on the node and written once per flush interval (server option
 * {@code sighting-flush-interval-ms}), and the request does not wait. A session refreshed several times in an
 * interval costs one update. A node that dies loses the counts not written yet, never a message.
 */
final class LinkWriter implements Runnable {

    private static final Logger LOG = Logger.getLogger(LinkWriter.class);
    static final int MAX_GROUP = 64;
    private static final int QUEUE = 10_000;
    private static final long WAIT_MILLIS = 10_000;
    private static final int TOUCH_CHUNK = 256;
    /** Links with sightings waiting; beyond this many, a request writes its own at once. */
    private static final int MAX_TOUCHED = 50_000;

    private final KeycloakSessionFactory factory;
    private final long touchFlushNanos;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(QUEUE);
    private final ConcurrentHashMap<TouchKey, LinkStore.Sighting> touched = new ConcurrentHashMap<>();
    private long lastTouchFlush = System.nanoTime();
    /** Chunks of the flush under way still to write; 0 when none is under way. */
    private int touchChunksLeft;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean stopped;
    private volatile boolean started;

    LinkWriter(KeycloakSessionFactory factory, long touchFlushMillis) {
        this.factory = factory;
        this.touchFlushNanos = TimeUnit.MILLISECONDS.toNanos(touchFlushMillis);
    }

    /** Writes the event once the session's transaction has committed; nothing when it rolls back. */
    void writeAfterCommit(KeycloakSession session, LinkRecorder.Seen seen) {
        afterCommit(session, () -> write(seen));
    }

    /** Adds a sighting without a message to its link once the session's transaction has committed; no waiting. */
    void touchAfterCommit(KeycloakSession session, LinkRecorder.Seen seen) {
        afterCommit(session, () -> touch(seen));
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

    void touch(LinkRecorder.Seen seen) {
        LinkEvent event = seen.event();
        if (!running || touched.size() >= MAX_TOUCHED) {
            // Before the writer starts, once it has stopped, or far behind: the caller writes its own (counts only,
            // no message: a failure is logged where it happened, and the request goes on).
            try {
                write(seen);
            } catch (NotRecorded e) {
                LOG.debugf("Last sighting of a customer link in realm %s not recorded (counts only)", seen.realmId());
            }
            return;
        }
        touched.merge(new TouchKey(seen.realmId(), event.sessionId(), event.channel(), event.customerId()),
                new LinkStore.Sighting(seen.realmId(), seen.userId(), event, 1),
                (before, now) -> new LinkStore.Sighting(now.realmId(), now.userId(),
                        now.event().timeMillis() >= before.event().timeMillis() ? now.event() : before.event(),
                        before.count() + now.count()));
        if (!running) {
            // The writer stopped after this request looked: its last flush may have come before the merge.
            flushAllTouches();
        }
    }

    /**
     * Writes the event and returns once it is committed, at most ten seconds; otherwise throws
     * {@link NotRecorded}, so that the request fails rather than answer a client whose message is not safe.
     */
    void write(LinkRecorder.Seen seen) {
        Pending pending = new Pending(seen);
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
                    + " request fails", seen.event().type(), seen.realmId(), WAIT_MILLIS);
            throw new NotRecorded(seen, e);
        } catch (ExecutionException e) {
            // Logged where it failed.
            throw new NotRecorded(seen, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotRecorded(seen, e);
        }
    }

    /** The event's link and message could not be written: its request must fail. No personal data in the text. */
    static final class NotRecorded extends IllegalStateException {
        NotRecorded(LinkRecorder.Seen seen, Throwable cause) {
            super("customer link for a " + seen.event().type() + " event in realm " + seen.realmId()
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
                    flushTouchesWhenDue();
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
            flushAllTouches();
        } finally {
            running = false;
            finished.countDown();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops taking events and waits (up to ten seconds) until what was queued is written. */
    void stop() {
        stopped = true;
        try {
            if (started && !finished.await(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warnf("Customer link writer still busy after %d ms at shutdown; %d events and the counts of %d"
                        + " links not recorded", WAIT_MILLIS, queue.size(), touched.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Marks the writer as handed to its executor, so that {@link #stop} waits for it. */
    void starting() {
        started = true;
    }

    /**
     * Once per flush interval, the waiting sightings, a chunk at a time: chunk after chunk while no event waits for
     * its write, and one chunk between the groups of events otherwise, so that a node with many sessions neither
     * holds logins back behind one long transaction nor falls behind its sightings. What arrives during the flush
     * waits for the next one.
     */
    private void flushTouchesWhenDue() {
        if (System.nanoTime() - lastTouchFlush < touchFlushNanos) {
            return;
        }
        if (touchChunksLeft == 0) {
            touchChunksLeft = touched.size() / TOUCH_CHUNK + 1;
        }
        // At least one chunk per turn, so that a steady stream of events does not starve the flush.
        do {
            touchChunksLeft--;
            if (!flushTouches(TOUCH_CHUNK)) {
                touchChunksLeft = 0;
            }
        } while (touchChunksLeft > 0 && queue.isEmpty());
        if (touchChunksLeft == 0) {
            lastTouchFlush = System.nanoTime();
        }
    }

    /**
     * Writes up to {@code max} links' waiting sightings in one transaction; a sighting added meanwhile waits for the
     * next flush. A failed chunk is lost (counts and last sightings only, never a message) and logged.
     *
     * @return whether more are waiting
     */
    private boolean flushTouches(int max) {
        List<LinkStore.Sighting> sightings = new ArrayList<>();
        for (TouchKey key : touched.keySet()) {
            LinkStore.Sighting sighting = touched.remove(key);
            if (sighting != null) {
                sightings.add(sighting);
                if (sightings.size() == max) {
                    break;
                }
            }
        }
        if (sightings.isEmpty()) {
            return false;
        }
        try {
            KeycloakModelUtils.runJobInTransaction(factory, session -> new LinkRecorder(session).touched(sightings));
        } catch (RuntimeException first) {
            try {
                // Once more: a link another node made meanwhile is found this time.
                KeycloakModelUtils.runJobInTransaction(factory,
                        session -> new LinkRecorder(session).touched(sightings));
            } catch (RuntimeException e) {
                LOG.errorf(e, "Last sightings of %d customer links not recorded (counts only, no messages)",
                        sightings.size());
            }
        }
        return !touched.isEmpty();
    }

    private void flushAllTouches() {
        while (flushTouches(TOUCH_CHUNK)) {
            // next chunk
        }
    }

    /** In arrival order; {@link LinkRecorder} and {@link LinkStore} choose the order rows are locked in. */
    private void writeGroup(List<Pending> ordered) {
        try {
            KeycloakModelUtils.runJobInTransaction(factory, session -> {
                new LinkRecorder(session).write(ordered.stream().map(Pending::seen).toList());
            });
        } catch (RuntimeException e) {
            // Nothing of the group was committed: each event again in a transaction of its own, so that one bad
            // event costs only itself, and a link another node made meanwhile (a unique-key violation, a deadlock)
            // is found this time.
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
                    KeycloakModelUtils.runJobInTransaction(factory,
                            session -> new LinkRecorder(session).write(List.of(pending.seen)));
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
        LOG.errorf(e, "Customer link for a %s event in realm %s not recorded", pending.seen.event().type(),
                pending.seen.realmId());
        pending.done.completeExceptionally(e);
    }

    private record TouchKey(String realmId, String sessionId, String channel, String customerId) {
    }

    private record Pending(LinkRecorder.Seen seen, CompletableFuture<Void> done) {
        Pending(LinkRecorder.Seen seen) {
            this(seen, new CompletableFuture<>());
        }
    }
}
