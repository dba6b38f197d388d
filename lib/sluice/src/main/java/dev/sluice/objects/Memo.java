package dev.sluice.objects;

import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * What the partials of one stream have bound already, so that asking every partial for the same
 * list or value costs what is new, not the whole again: a complete value is the same instance in
 * every later partial of an answer ({@code PartialJson} shares complete subtrees), so its binding
 * is kept by the identity of its node.
 *
 * <p>Threading: partials are read from any thread; a lock guards everything here.
 */
final class Memo {
    private record Key(List<String> steps, Type type) {}

    /** The bound elements of one array of one attempt: element i was bound from nodes[i]. */
    private static final class Elements {
        final int attempt;
        final PrefixList nodes = new PrefixList();
        final PrefixList bound = new PrefixList();
        boolean stuck; // the element after the last bound one cannot be bound: it never will be

        Elements(int attempt) {
            this.attempt = attempt;
        }
    }

    /** The binding of one complete value: what it was bound to, or why it cannot be. */
    private record Single(Object node, @Nullable Object bound, Binder.@Nullable Failure failure) {
        Object outcome() {
            if (failure != null) throw failure;
            return Objects.requireNonNull(bound, "bound, as it did not fail");
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Key, Object> entries = new HashMap<>();

    /**
     * {@return the first {@code complete} elements of {@code array} bound to {@code type}, up to the
     * first that cannot be}
     */
    <E> List<E> elements(List<String> steps, Type type, int attempt, List<?> array, int complete, String path) {
        lock.lock();
        try {
            Key key = new Key(steps, type);
            Elements e = entries.get(key) instanceof Elements known ? known : null;
            if (e == null || e.attempt < attempt) {
                e = new Elements(attempt);
                entries.put(key, e);
            } else if (e.attempt > attempt || !sameNodes(e, array, complete)) {
                e = new Elements(attempt); // a partial of an earlier answer: bound apart, not kept
            }
            while (e.bound.size() < complete && !e.stuck) {
                int i = e.bound.size();
                Object node = array.get(i);
                try {
                    Object bound = Binder.bind(node, type, Paths.child(path, i));
                    e.nodes.add(node);
                    e.bound.add(bound);
                } catch (Binder.Failure f) {
                    e.stuck = true;
                }
            }
            return e.bound.view(Math.min(complete, e.bound.size()));
        } finally {
            lock.unlock();
        }
    }

    /** Whether the elements bound so far came from this array's elements (the last of them, by identity, answers for all). */
    @SuppressWarnings("ReferenceEquality") // identity: the memo is keyed by the very schema nodes it saw
    private static boolean sameNodes(Elements e, List<?> array, int complete) {
        int n = Math.min(complete, e.nodes.size());
        return n == 0 || e.nodes.get(n - 1) == array.get(n - 1);
    }

    /** {@return a complete value bound to {@code type}} @throws Binder.Failure if it cannot be */
    @SuppressWarnings("ReferenceEquality") // identity: the memo is keyed by the very schema nodes it saw
    Object value(List<String> steps, Type type, Object node, String path) {
        lock.lock();
        try {
            Key key = new Key(steps, type);
            if (entries.get(key) instanceof Single s && s.node == node) return s.outcome();
            Single s;
            try {
                s = new Single(node, Binder.bindPresent(node, type, path), null);
            } catch (Binder.Failure f) {
                s = new Single(node, null, f);
            }
            entries.put(key, s);
            return s.outcome();
        } finally {
            lock.unlock();
        }
    }
}
