package io.github.customerauth.linking.upkeep;

import io.github.customerauth.linking.store.KeycloakSessionRows;
import io.github.customerauth.linking.store.LinkEntity;
import io.github.customerauth.linking.store.LinkStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.SessionExpirationUtils;

/**
 * With persistent user sessions (Keycloak's default), the open links whose session can have ended, found from what
 * Keycloak records rather than by asking about every session: links of sessions idle past their timeout (Keycloak's
 * index on the last refresh serves it), links older than the session's maximum lifespan (each by Keycloak's own
 * rule, {@link SessionExpirationUtils}, remember-me sessions apart and oldest first, so that sessions still alive
 * never crowd out those that ended), and, as a backstop for
 * sessions removed without an event, a window of the open links whose session has no row any more. A pass costs
 * what ended plus one window, however many sessions are open. Keycloak's session API confirms each candidate.
 */
final class SweepCandidates {

    /** Links a pass checks for a missing session row: a window moving over all open links, pass after pass. */
    static final int WINDOW = 2_000;
    /** Each kind of candidate a pass takes at most; the rest comes next pass. */
    private static final int MAX_PER_KIND = 1_000;
    /** A session row is written shortly after the login that made the link: younger links are not missed yet. */
    private static final long ROW_WRITE_MARGIN_MILLIS = 10_000;

    private final OpenLinksCursor cursor = new OpenLinksCursor();

    /** The candidates of this pass, one link per session, in the order found. */
    List<LinkEntity> find(KeycloakSession session, long now) {
        Map<String, LinkEntity> bySession = new LinkedHashMap<>();
        KeycloakSessionRows rows = KeycloakSessionRows.of(session);
        session.realms().getRealmsStream().forEach(realm -> {
            idle(rows, realm, now).forEach(link -> bySession.putIfAbsent(link.getSessionId(), link));
            old(rows, realm, now).forEach(link -> bySession.putIfAbsent(link.getSessionId(), link));
        });
        withoutRow(session, rows, now).forEach(link -> bySession.putIfAbsent(link.getSessionId(), link));
        return new ArrayList<>(bySession.values());
    }

    /** Past the idle timeout by Keycloak's own rule (remember-me's when it applies), judged by the stored row. */
    private static List<LinkEntity> idle(KeycloakSessionRows rows, RealmModel realm, long now) {
        List<LinkEntity> idle = new ArrayList<>();
        for (boolean rememberMe : new boolean[] {false, true}) {
            // The timeout itself: the time a session refreshed at the epoch's start expires.
            long timeout = SessionExpirationUtils.calculateUserSessionIdleTimestamp(false, rememberMe, 0, realm);
            if (timeout <= 0) {
                continue;
            }
            int before = (int) ((now - timeout) / 1000);
            rows.idleBefore(realm.getId(), rememberMe, before, MAX_PER_KIND).stream()
                    .filter(row -> expired(SessionExpirationUtils.calculateUserSessionIdleTimestamp(false, rememberMe,
                            row.seconds() * 1000L, realm), now))
                    .forEach(row -> idle.add(row.link()));
        }
        return idle;
    }

    /** Past the maximum lifespan by Keycloak's own rule, judged first by the link and then by the row. */
    private static List<LinkEntity> old(KeycloakSessionRows rows, RealmModel realm, long now) {
        List<LinkEntity> old = new ArrayList<>();
        for (boolean rememberMe : new boolean[] {false, true}) {
            long lifespan = SessionExpirationUtils.calculateUserSessionMaxLifespanTimestamp(false, rememberMe, 0,
                    realm);
            if (lifespan <= 0) {
                continue;
            }
            rows.openSince(realm.getId(), rememberMe, now - lifespan, MAX_PER_KIND).stream()
                    .filter(row -> expired(SessionExpirationUtils.calculateUserSessionMaxLifespanTimestamp(false,
                            rememberMe, row.seconds() * 1000L, realm), now))
                    .forEach(row -> old.add(row.link()));
        }
        return old;
    }

    private static boolean expired(long expiresAt, long now) {
        return expiresAt > 0 && expiresAt < now;
    }

    /** The next window of open links, those whose session has no row (online or offline). */
    private List<LinkEntity> withoutRow(KeycloakSession session, KeycloakSessionRows rows, long now) {
        List<LinkEntity> window = cursor.page(LinkStore.of(session), now - ROW_WRITE_MARGIN_MILLIS, WINDOW);
        cursor.advance(window, window.size() == WINDOW);
        Set<String> present = rows.present(window.stream().map(LinkEntity::getSessionId).toList());
        return window.stream().filter(link -> !present.contains(link.getSessionId())).toList();
    }
}
