package io.github.customerauth.linking.admin;

import io.github.customerauth.linking.record.LinkingEventListener;
import io.github.customerauth.support.PlannedChange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.keycloak.events.EventType;
import org.keycloak.models.RealmModel;

/**
 * The events part of the recommended realm configuration: the {@value LinkingEventListener#PROVIDER_ID}
 * listener on, Keycloak's {@code jboss-logging} listener off (it writes usernames into the server log), the user
 * events the partner audit and the linking need stored (kept for a week unless the realm keeps them otherwise), and
 * admin events stored, since identifier lookups and exports are audited as admin events.
 */
public final class LinkingSetup {

    static final String STEP = "events";
    static final String LOGGING_LISTENER = "jboss-logging";
    static final long WEEK_SECONDS = TimeUnit.DAYS.toSeconds(7);
    static final Set<String> STORED = Set.of("LOGIN", "LOGIN_ERROR", "CODE_TO_TOKEN", "CODE_TO_TOKEN_ERROR",
            "REFRESH_TOKEN", "REFRESH_TOKEN_ERROR", "TOKEN_EXCHANGE", "TOKEN_EXCHANGE_ERROR", "LOGOUT", "LOGOUT_ERROR",
            "INTROSPECT_TOKEN", "INTROSPECT_TOKEN_ERROR", "USER_INFO_REQUEST", "USER_INFO_REQUEST_ERROR");

    private LinkingSetup() {
    }

    public static List<PlannedChange> plan(RealmModel realm) {
        List<PlannedChange> changes = new ArrayList<>();
        Set<String> listeners = realm.getEventsListenersStream().collect(Collectors.toSet());
        if (!listeners.contains(LinkingEventListener.PROVIDER_ID)) {
            changes.add(new PlannedChange(STEP, "turn on the event listener " + LinkingEventListener.PROVIDER_ID,
                    () -> listeners(realm, LinkingEventListener.PROVIDER_ID, true)));
        }
        if (listeners.contains(LOGGING_LISTENER)) {
            changes.add(new PlannedChange(STEP, "turn off the event listener " + LOGGING_LISTENER
                    + " (it writes usernames into the server log)", () -> listeners(realm, LOGGING_LISTENER, false)));
        }
        if (!realm.isEventsEnabled()) {
            changes.add(new PlannedChange(STEP, "store user events (the partner answers' audit)",
                    () -> realm.setEventsEnabled(true)));
        }
        Set<String> stored = storedTypes(realm);
        if (!stored.containsAll(STORED)) {
            Set<String> all = new TreeSet<>(stored);
            all.addAll(STORED);
            Set<String> missing = new TreeSet<>(STORED);
            missing.removeAll(stored);
            changes.add(new PlannedChange(STEP, "also store the user events " + String.join(", ", missing),
                    () -> realm.setEnabledEventTypes(all)));
        }
        if (realm.getEventsExpiration() <= 0) {
            changes.add(new PlannedChange(STEP, "delete stored user events after 7 days (they hold IP addresses)",
                    () -> realm.setEventsExpiration(WEEK_SECONDS)));
        }
        if (!realm.isAdminEventsEnabled()) {
            changes.add(new PlannedChange(STEP, "store admin events (identifier lookups and exports are audited there)",
                    () -> realm.setAdminEventsEnabled(true)));
        }
        return changes;
    }

    /** The types the realm stores: its own list, or Keycloak's default types when it has none. */
    private static Set<String> storedTypes(RealmModel realm) {
        Set<String> listed = realm.getEnabledEventTypesStream().collect(Collectors.toSet());
        if (!listed.isEmpty()) {
            return listed;
        }
        return Arrays.stream(EventType.values()).filter(EventType::isSaveByDefault).map(Enum::name)
                .collect(Collectors.toSet());
    }

    private static void listeners(RealmModel realm, String listener, boolean on) {
        Set<String> listeners = realm.getEventsListenersStream().collect(Collectors.toCollection(TreeSet::new));
        if (on) {
            listeners.add(listener);
        } else {
            listeners.remove(listener);
        }
        realm.setEventsListeners(listeners);
    }
}
