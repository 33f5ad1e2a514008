package io.github.customerauth.linking.upkeep;

import io.github.customerauth.linking.delivery.LinkingMetrics;
import io.github.customerauth.linking.record.LinkRecorder;
import io.github.customerauth.linking.record.LinkingEventListener;
import io.github.customerauth.linking.store.LinkEntity;
import io.github.customerauth.linking.store.LinkStore;
import io.github.customerauth.support.BoundedMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * The backstop for session ends without an event. An admin's revocation of a session or of a user's sessions ends
 * the links in the admin's request ({@link LinkingEventListener}); Keycloak without persistent user sessions reports
 * an expiry with {@code USER_SESSION_DELETED}. The sweep ends the links of a session that is gone before it could
 * have timed out at once ({@code end_reason: session_gone}), and those of a session that has timed out by Keycloak's
 * own rule, or is gone after it could have, once it has been so for the grace ({@code end_reason: expired} or
 * {@code session_gone}; no grace with persistent user sessions, where Keycloak sends no event).
 * <p>
 * With persistent user sessions (Keycloak's default) a pass checks only the links whose session can have ended,
 * found from Keycloak's session rows ({@link SweepCandidates}). Without them, sessions live only in Keycloak's caches:
 * a pass works through the open links a page at a time, oldest first, for at most a quarter of a second of
 * look-ups, continuing where the previous pass stopped and starting over after the newest. Positions and the grace
 * are per node; two nodes ending the same link do it under one event id.
 */
public final class SessionSweep implements Runnable {

    public static final String GONE = "session_gone";
    public static final String EXPIRED = "expired";
    private static final Logger LOG = Logger.getLogger(SessionSweep.class);
    private static final int PAGE = 500;
    private static final long GRACE_MILLIS = 1_000;
    private static final int REMEMBERED = 100_000;
    private static final long CLOCK_MARGIN_MILLIS = 10_000;
    /** A pass's session look-ups stop after this long; the backstop may be slow, the node's other work not. */
    private static final long BUDGET_NANOS = 250_000_000L;

    private final KeycloakSessionFactory factory;
    private final long expiryEventGraceMillis;
    /** Sessions seen timed out but still present, and since when; the least recent are forgotten past the bound. */
    private final BoundedMap<String, Long> timedOutSince = new BoundedMap<>(REMEMBERED);
    private final SweepCandidates candidates;
    private final OpenLinksCursor cursor = new OpenLinksCursor();
    private final LinkingMetrics metrics;

    /**
     * @param persistentSessions Keycloak keeps user sessions in its database (its default): candidates are then found
     *                           from its session rows ({@link SweepCandidates}), otherwise every open link is asked
     *                           about, a page per pass
     */
    public SessionSweep(KeycloakSessionFactory factory, long expiryEventGraceMillis, boolean persistentSessions,
                        LinkingMetrics metrics) {
        this.factory = factory;
        this.metrics = metrics;
        this.expiryEventGraceMillis = expiryEventGraceMillis;
        this.candidates = persistentSessions ? new SweepCandidates() : null;
    }

    @Override
    public void run() {
        long now = System.currentTimeMillis();
        long started = System.nanoTime();
        Map<String, Ended> dead = KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
            Map<String, Ended> ended = new LinkedHashMap<>();
            if (candidates != null) {
                // Few by construction (what ended, and one window): all are checked.
                List<LinkEntity> found = candidates.find(session, now);
                check(session, found, now, ended, Long.MAX_VALUE);
                LOG.debugf("Session sweep: %d candidate sessions found and checked in %.1f ms, %d ended",
                        (Object) found.size(), (System.nanoTime() - started) / 1e6, ended.size());
                return ended;
            }
            List<LinkEntity> open = cursor.page(LinkStore.of(session), now - GRACE_MILLIS, PAGE);
            int checked = check(session, open, now, ended, System.nanoTime() + BUDGET_NANOS);
            if (checked < open.size()) {
                // Sessions not in Keycloak's cache (after a restart) are each read from the database: the rest
                // of the page waits for the next pass.
                cursor.advance(open.subList(0, checked), true);
            } else {
                cursor.advance(open, open.size() == PAGE);
            }
            return ended;
        });
        // One short transaction per ended session: the customer's sequence row is locked only that long.
        dead.forEach((sessionId, end) -> KeycloakModelUtils.runJobInTransaction(factory, session -> {
            RealmModel realm = session.realms().getRealm(end.realmId());
            if (realm != null) {
                session.getContext().setRealm(realm);
                if (new LinkRecorder(session).sessionEnded(realm, sessionId, now, end.reason()) > 0) {
                    LOG.debugf("Links of a session of realm %s ended by the sweep (%s)", realm.getName(), end.reason());
                }
            }
        }));
    }

    /**
     * Asks Keycloak about each link's session, until {@code stopAt} (nanos); returns how many links were looked at.
     * The sessions whose links end now go into {@code ended}.
     */
    private int check(KeycloakSession session, List<LinkEntity> links, long now, Map<String, Ended> ended,
                      long stopAt) {
        for (int i = 0; i < links.size(); i++) {
            if (System.nanoTime() > stopAt) {
                return i;
            }
            LinkEntity link = links.get(i);
            if (ended.containsKey(link.getSessionId())) {
                continue;
            }
            RealmModel realm = session.realms().getRealm(link.getRealmId());
            if (realm == null) {
                continue;
            }
            session.getContext().setRealm(realm);
            try {
                String reason = endReason(session, realm, link, now);
                if (reason != null) {
                    ended.put(link.getSessionId(), new Ended(link.getRealmId(), reason));
                }
            } catch (RuntimeException e) {
                // One session that cannot be read (its user's federation down, say) must not stop the pass
                // at the same link every time: it is counted as checked and looked at again next round.
                metrics.sessionCheckFailed();
                LOG.warnf("Session of a customer link in realm %s could not be checked (%s); checking the next",
                        realm.getName(), e.getClass().getSimpleName());
                LOG.debug("Why the session could not be checked", e);
            }
        }
        return links.size();
    }

    /**
     * Why the session's links end now, or null while it lives. A session that is gone although it cannot have timed
     * out yet (its link was seen within the realm's shortest idle timeout and lifespan) was removed, by an admin for
     * instance: no event comes, so it ends at once. A session that has timed out by Keycloak's own rule (idle
     * timeout, maximum lifespan), or is gone after it could have, ends only once it has been so for the grace:
     * Keycloak removes it about two minutes after the timeout and its event comes first.
     */
    private String endReason(KeycloakSession session, RealmModel realm, LinkEntity link, long now) {
        String sessionId = link.getSessionId();
        UserSessionModel online = session.sessions().getUserSession(realm, sessionId);
        String reason;
        if (online != null) {
            reason = AuthenticationManager.isSessionValid(realm, online) ? null : EXPIRED;
        } else {
            reason = session.sessions().getOfflineUserSession(realm, sessionId) != null ? null : GONE;
        }
        if (reason == null) {
            timedOutSince.remove(sessionId);
            return null;
        }
        if (reason.equals(GONE) && !couldHaveTimedOut(realm, link, now)) {
            timedOutSince.remove(sessionId);
            return GONE;
        }
        Long seenBefore = timedOutSince.putIfAbsent(sessionId, now);
        long since = seenBefore == null ? now : seenBefore;
        if (now - since < expiryEventGraceMillis) {
            return null;
        }
        timedOutSince.remove(sessionId);
        return reason;
    }

    /** Whether the session may have timed out by now, judged from its link's times and the realm's shortest limits. */
    static boolean couldHaveTimedOut(RealmModel realm, LinkEntity link, long now) {
        long idle = shortest(realm.getSsoSessionIdleTimeout(), realm.getSsoSessionIdleTimeoutRememberMe());
        long lifespan = shortest(realm.getSsoSessionMaxLifespan(), realm.getSsoSessionMaxLifespanRememberMe());
        // The session's own clock starts a little before the event that made the link (the login's own work).
        return now - link.getLastSeen() >= idle * 1000 - CLOCK_MARGIN_MILLIS
                || now - link.getFirstSeen() >= lifespan * 1000 - CLOCK_MARGIN_MILLIS;
    }

    /** The shorter of two timeouts in seconds, where 0 means "not set". */
    private static long shortest(int seconds, int rememberMeSeconds) {
        if (seconds <= 0) {
            return Math.max(0, rememberMeSeconds);
        }
        return rememberMeSeconds <= 0 ? seconds : Math.min(seconds, rememberMeSeconds);
    }

    private record Ended(String realmId, String reason) {
    }
}
