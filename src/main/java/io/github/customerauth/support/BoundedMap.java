package io.github.customerauth.support;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a node remembers between requests, never more than {@code maxEntries} entries: the least recently used entry
 * goes first. The one bounded cache of every feature; thread-safe.
 */
public final class BoundedMap<K, V> {

    private final Map<K, V> entries;

    public BoundedMap(int maxEntries) {
        this.entries = new LinkedHashMap<>(Math.min(maxEntries, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > maxEntries;
            }
        };
    }

    public synchronized V get(K key) {
        return entries.get(key);
    }

    public synchronized void put(K key, V value) {
        entries.put(key, value);
    }

    /** The value already there, or null when {@code value} was put. */
    public synchronized V putIfAbsent(K key, V value) {
        return entries.putIfAbsent(key, value);
    }

    public synchronized boolean containsKey(K key) {
        return entries.containsKey(key);
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
