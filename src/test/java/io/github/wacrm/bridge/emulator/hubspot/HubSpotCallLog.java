package io.github.wacrm.bridge.emulator.hubspot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotEmulator.Call;

/**
 * Every API call the emulated portal answered, with its arrival time, and the count of answers by status: what tests
 * read to check the bridge never went over its budget.
 */
final class HubSpotCallLog {

    private final List<Call> calls = new ArrayList<>();
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();

    synchronized void record(Call call) {
        calls.add(call);
        answers.computeIfAbsent(String.valueOf(call.status()), k -> new AtomicLong()).incrementAndGet();
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The most API calls that arrived within any {@code windowMs} (rolling). */
    synchronized int maxCallsInAnyWindow(long windowMs) {
        List<Call> calls = new ArrayList<>(this.calls);
        calls.sort(Comparator.comparingLong(Call::atMillis));
        int max = 0;
        int from = 0;
        for (int to = 0; to < calls.size(); to++) {
            while (calls.get(to).atMillis() - calls.get(from).atMillis() >= windowMs) {
                from++;
            }
            max = Math.max(max, to - from + 1);
        }
        return max;
    }

    /** Answers by status, e.g. {@code 429}, {@code 207}. */
    Map<String, Long> answers() {
        Map<String, Long> copy = new LinkedHashMap<>();
        answers.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    long answers(int status) {
        AtomicLong count = answers.get(String.valueOf(status));
        return count == null ? 0 : count.get();
    }

    synchronized void clear() {
        calls.clear();
        answers.clear();
    }
}
