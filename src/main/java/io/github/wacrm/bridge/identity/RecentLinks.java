package io.github.wacrm.bridge.identity;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A replica's memory of the identity links it read or wrote lately: at most {@code size} keys, the least recently used
 * dropped first, each remembered for {@code millis} (a link another replica moved is followed within that time). An
 * absent link can be remembered too ({@code Optional.empty()}), so a key without one is not asked for again and again.
 */
final class RecentLinks {

    private record Entry(Optional<String> target, long until) {
    }

    private final long millis;
    private final Map<String, Entry> entries;

    RecentLinks(int size, long millis) {
        this.millis = millis;
        this.entries = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > size;
            }
        });
    }

    /** What is remembered of {@code key}: null when nothing (or it is too old), else the link or its absence. */
    Optional<String> get(String key) {
        Entry entry = entries.get(key);
        return entry == null || entry.until() < System.currentTimeMillis() ? null : entry.target();
    }

    void put(String key, Optional<String> target) {
        entries.put(key, new Entry(target, System.currentTimeMillis() + millis));
    }

    void forget(String key) {
        entries.remove(key);
    }
}
