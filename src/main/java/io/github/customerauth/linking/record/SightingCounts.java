package io.github.customerauth.linking.record;

import io.github.customerauth.linking.store.LinkKey;
import io.github.customerauth.linking.store.Sighting;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Sightings no receiver wants a message of (a refresh, unless a receiver lists {@code REFRESH_TOKEN}), added up per
 * link on the node and written once per flush interval (server option {@code sighting-flush-interval-ms}): a session
 * refreshed several times in an interval costs one update. A node that dies loses the counts not written yet,
 * never a message. Flushed by the writer's thread, between its groups.
 */
final class SightingCounts {

    private static final Logger LOG = Logger.getLogger(SightingCounts.class);
    private static final int CHUNK = 256;
    /** Links with sightings waiting; beyond this many, a request writes its own at once. */
    private static final int MAX_LINKS = 50_000;

    private final KeycloakSessionFactory factory;
    private final long flushNanos;
    private final ConcurrentHashMap<LinkKey, Sighting> waiting = new ConcurrentHashMap<>();
    private long lastFlush = System.nanoTime();
    /** Chunks of the flush under way still to write; 0 when none is under way. */
    private int chunksLeft;

    SightingCounts(KeycloakSessionFactory factory, long flushMillis) {
        this.factory = factory;
        this.flushNanos = TimeUnit.MILLISECONDS.toNanos(flushMillis);
    }

    /** False when too many links wait already: the caller then writes its own. */
    boolean add(Sighting sighting) {
        if (waiting.size() >= MAX_LINKS) {
            return false;
        }
        waiting.merge(sighting.key(), sighting, Sighting::plus);
        return true;
    }

    int waiting() {
        return waiting.size();
    }

    /**
     * Once per flush interval, a chunk at a time: chunk after chunk while no event waits for its write, and one
     * chunk between the groups of events otherwise, so that a node with many sessions neither holds logins back
     * behind one long transaction nor falls behind its sightings. What arrives during the flush waits for the next.
     */
    void flushWhenDue(BooleanSupplier eventsWaiting) {
        if (System.nanoTime() - lastFlush < flushNanos) {
            return;
        }
        if (chunksLeft == 0) {
            chunksLeft = waiting.size() / CHUNK + 1;
        }
        // At least one chunk per turn, so that a steady stream of events does not starve the flush.
        do {
            chunksLeft--;
            if (!flush(CHUNK)) {
                chunksLeft = 0;
            }
        } while (chunksLeft > 0 && !eventsWaiting.getAsBoolean());
        if (chunksLeft == 0) {
            lastFlush = System.nanoTime();
        }
    }

    void flushAll() {
        while (flush(CHUNK)) {
            // next chunk
        }
    }

    /**
     * Writes up to {@code max} links' waiting sightings in one transaction; a sighting added meanwhile waits for the
     * next flush. A chunk that fails twice is lost (counts and last sightings only, never a message) and logged.
     *
     * @return whether more are waiting
     */
    private boolean flush(int max) {
        List<Sighting> sightings = new ArrayList<>();
        for (LinkKey key : waiting.keySet()) {
            Sighting sighting = waiting.remove(key);
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
            KeycloakModelUtils.runJobInTransaction(factory, session -> new LinkRecorder(session).counted(sightings));
        } catch (RuntimeException first) {
            try {
                // Once more: a deadlock or a failover costs the counts only when it happens twice.
                KeycloakModelUtils.runJobInTransaction(factory,
                        session -> new LinkRecorder(session).counted(sightings));
            } catch (RuntimeException e) {
                LOG.errorf(e, "Last sightings of %d customer links not recorded (counts only, no messages)",
                        sightings.size());
            }
        }
        return !waiting.isEmpty();
    }
}
