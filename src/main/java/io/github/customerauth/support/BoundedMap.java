package io.github.customerauth.support;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a node remembers between requests, never much more than {@code maxEntries} entries: when full, a tenth of the
 * entries go (whichever the map lists first), and are read again from where they came. Reads take no lock, since
 * every token request reads several of these maps. The one bounded cache of every feature; thread-safe; a null key
 * is never remembered.
 */
public final class BoundedMap<K, V> {

    private final int maxEntries;
    private final ConcurrentHashMap<K, V> entries = new ConcurrentHashMap<>();

    public BoundedMap(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        this.maxEntries = maxEntries;
    }

    public V get(K key) {
        return key == null ? null : entries.get(key);
    }

    public void put(K key, V value) {
        if (key != null && entries.put(key, value) == null) {
            trim(key);
        }
    }

    /** The value already there, or null when {@code value} was put. */
    public V putIfAbsent(K key, V value) {
        if (key == null) {
            return null;
        }
        V existing = entries.putIfAbsent(key, value);
        if (existing == null) {
            trim(key);
        }
        return existing;
    }

    public boolean containsKey(K key) {
        return key != null && entries.containsKey(key);
    }

    public V remove(K key) {
        return key == null ? null : entries.remove(key);
    }

    public void clear() {
        entries.clear();
    }

    public int size() {
        return entries.size();
    }

    /** Makes room, keeping the entry just put. */
    private void trim(K justPut) {
        if (entries.size() <= maxEntries) {
            return;
        }
        int excess = entries.size() - maxEntries + Math.max(1, maxEntries / 10);
        Iterator<K> keys = entries.keySet().iterator();
        while (excess > 0 && keys.hasNext()) {
            if (!keys.next().equals(justPut)) {
                keys.remove();
                excess--;
            }
        }
    }
}
