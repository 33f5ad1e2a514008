package io.github.customerauth.identifier;

import io.github.customerauth.support.BoundedMap;
import java.util.function.Supplier;

/**
 * Derivations read from the vault, kept on the node for a minute, so that issuing a token reads no vault entry.
 * Only successful reads are kept; at most a few entries per realm (one per key version in use).
 */
final class KeyCache {

    static final long KEEP_MILLIS = 60_000;
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(IdentifierDerivation derivation, long until) {
    }

    private final BoundedMap<String, Entry> entries = new BoundedMap<>(MAX_ENTRIES);

    IdentifierDerivation get(String key, long now, Supplier<IdentifierDerivation> read) {
        Entry entry = entries.get(key);
        if (entry != null && entry.until() > now) {
            return entry.derivation();
        }
        IdentifierDerivation derivation = read.get();
        entries.put(key, new Entry(derivation, now + KEEP_MILLIS));
        return derivation;
    }
}
