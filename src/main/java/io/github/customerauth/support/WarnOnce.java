package io.github.customerauth.support;

/**
 * Remembers which misconfigurations this node has already reported, so that a bad setting gives one WARN instead of
 * one per request. Bounded: past a thousand distinct keys it forgets the least recent, which may be reported again.
 */
public final class WarnOnce {

    private static final int REMEMBERED = 1_000;

    private final BoundedMap<String, Boolean> reported = new BoundedMap<>(REMEMBERED);

    /** True the first time {@code key} is seen (then the caller logs). */
    public boolean first(String key) {
        return reported.putIfAbsent(key, Boolean.TRUE) == null;
    }
}
