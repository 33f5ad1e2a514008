package io.github.customerauth.support;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a node remembers between requests, never more than {@code maxEntries} entries: the least recently used entry
 * goes first. The one bounded cache of every feature; thread-safe; a null key is never remembered. (A lock-free map
 * evicting in its own listing order was tried: it evicted from the same few buckets, so most entries never left and
 * new ones left at once; logins did not get measurably faster.)
 */
public final class BoundedMap<K, V> {

    private final Map<K, V> entries;

    public BoundedMap(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        this.entries = new LinkedHashMap<>(Math.min(maxEntries, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > maxEntries;
            }
        };
    }

    public synchronized V get(K key) {
        return key == null ? null : entries.get(key);
    }

    public synchronized void put(K key, V value) {
        if (key != null) {
            entries.put(key, value);
        }
    }

    /** The value already there, or null when {@code value} was put. */
    public synchronized V putIfAbsent(K key, V value) {
        return key == null ? null : entries.putIfAbsent(key, value);
    }

    public synchronized boolean containsKey(K key) {
        return key != null && entries.containsKey(key);
    }

    public synchronized V remove(K key) {
        return entries.remove(key);
    }

    public synchronized void clear() {
        entries.clear();
    }

    public synchronized int size() {
        return entries.size();
    }
}
