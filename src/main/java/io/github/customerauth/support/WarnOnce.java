package io.github.customerauth.support;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which misconfigurations this node has already reported, so that a bad setting gives one WARN instead of
 * one per request. Bounded: past a thousand distinct keys it forgets and may report again.
 */
public final class WarnOnce {

    private static final int REMEMBERED = 1_000;

    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    /** True the first time {@code key} is seen (then the caller logs). */
    public boolean first(String key) {
        if (reported.size() > REMEMBERED) {
            reported.clear();
        }
        return reported.add(key);
    }
}
