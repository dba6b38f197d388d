package dev.sluice.internal.low.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** A cancel switch like the engine's StreamController: listeners run once, at once when already cancelled. */
public final class TestCancellation {
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public void cancel() {
        if (cancelled.compareAndSet(false, true)) listeners.forEach(Runnable::run);
    }

    public void onCancel(Runnable listener) {
        listeners.add(listener);
        if (cancelled.get() && listeners.remove(listener)) listener.run();
    }

    public int listeners() {
        return listeners.size();
    }

    public Cancellation cancellation() {
        return Cancellation.of(cancelled::get, this::onCancel);
    }
}
