package dev.sluice.internal.low.value;

import java.util.AbstractList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable list whose elements may be {@link Deferred}: such an element is built on first read
 * (by {@link #get}, iteration, {@code equals}, {@code hashCode} or {@code toString}), once. Equal
 * to any list with equal elements, as lists are. No null elements.
 *
 * @param <E> the element type
 */
public final class LazyList<E> extends AbstractList<E> implements RandomAccess {
    private static final LazyList<?> EMPTY = new LazyList<>(new Object[0]);

    private final Object[] items; // E, or Deferred<E>

    private LazyList(Object[] items) {
        this.items = items;
    }

    /**
     * {@return a list of {@code items}, each an element or a {@code Deferred} element} The array is
     * taken as it is: the caller must not change it afterwards.
     *
     * @throws NullPointerException if an item is null
     */
    public static <E> LazyList<E> wrap(Object[] items) {
        for (Object o : items) Objects.requireNonNull(o, "element");
        @SuppressWarnings("unchecked")
        LazyList<E> empty = (LazyList<E>) EMPTY;
        return items.length == 0 ? empty : new LazyList<>(items);
    }

    /**
     * {@return {@code list} as an immutable list: a {@code LazyList} as it is (its deferred elements
     * unbuilt), anything else through {@link List#copyOf}} For the compact constructors of records.
     *
     * @throws NullPointerException if the list or an element is null
     */
    @SuppressWarnings("unchecked")
    public static <E> List<E> copyOf(Collection<? extends E> list) {
        if (list instanceof LazyList<?> l) return (List<E>) l;
        return List.copyOf(list);
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        Object o = items[Objects.checkIndex(index, items.length)];
        return o instanceof Deferred<?> d ? (E) d.get() : (E) o;
    }

    /** {@return whether element {@code index} has been built (or was never deferred)} For tests. */
    public boolean isBuilt(int index) {
        return !(items[index] instanceof Deferred<?> d) || d.isBuilt();
    }

    @Override
    public int size() {
        return items.length;
    }
}
