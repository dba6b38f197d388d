package dev.sluice.internal.low.value;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A value built on first {@link #get()}, once, from immutable captures: the supplier must read
 * only values that never change (views, immutable records), so that building it later, on any
 * thread, gives what building it now would have. If two threads build it at once, the first result
 * stored wins and both get it.
 *
 * @param <T> the value's type
 */
public final class Deferred<T> implements Supplier<T> {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(Deferred.class, "value", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Supplier<? extends T> maker;

    @SuppressWarnings("unused") // through VALUE
    private volatile @Nullable Object value;

    /** @param maker builds the value from immutable captures; it must not return null */
    public Deferred(Supplier<? extends T> maker) {
        this.maker = Objects.requireNonNull(maker, "maker");
    }

    /** {@return the value: built on the first call, the same instance afterwards} */
    @Override
    @SuppressWarnings("unchecked")
    public T get() {
        Object v = value;
        if (v != null) return (T) v;
        Object made = Objects.requireNonNull(maker.get(), "a deferred value must not be null");
        Object witness = VALUE.compareAndExchange(this, null, made);
        return (T) (witness == null ? made : witness);
    }

    /** {@return whether the value has been built} For tests. */
    public boolean isBuilt() {
        return value != null;
    }
}
