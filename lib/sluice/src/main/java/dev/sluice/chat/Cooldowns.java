package dev.sluice.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * A {@link FallbackChain}'s cooldowns ({@link FallbackChain.Builder#cooldown}): per target, until
 * when it is asked last because its stream failed mid-answer. Lock-free: any thread starts one, any
 * thread reads the order; a race between the two at worst asks the target in its old place once.
 */
final class Cooldowns {
    private final AtomicLongArray until; // per target: the clock's nanos its cooldown ends at; 0 for none
    private final long nanos; // the cooldown's length; 0: none
    private final LongSupplier clock;

    Cooldowns(int targets, Duration cooldown, LongSupplier clock) {
        this.until = new AtomicLongArray(targets);
        this.nanos = cooldown.toNanos();
        this.clock = clock;
    }

    /** The target at {@code index} failed mid-answer: it is asked last from now for the cooldown. */
    void start(int index) {
        if (nanos == 0 || index < 0) return;
        long end = clock.getAsLong() + nanos;
        until.set(index, end == 0 ? 1 : end);
    }

    /** {@return {@code targets} (the chain's, in its order) with those cooling down moved to the end, in their order} */
    <T> List<T> order(List<T> targets) {
        if (nanos == 0) return targets;
        long now = clock.getAsLong();
        List<T> ready = new ArrayList<>(targets.size());
        List<T> cooling = new ArrayList<>(0);
        for (int i = 0; i < targets.size(); i++) {
            long end = until.get(i);
            if (end != 0 && end - now > 0) cooling.add(targets.get(i));
            else ready.add(targets.get(i));
        }
        if (cooling.isEmpty()) return targets;
        ready.addAll(cooling);
        return List.copyOf(ready);
    }
}
