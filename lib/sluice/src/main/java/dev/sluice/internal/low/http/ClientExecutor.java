package dev.sluice.internal.low.http;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the tasks of an {@code HttpClient} that {@link HttpTransport} creates: the client's own
 * short, non-blocking tasks (each step of an exchange, each read of a response body, completing
 * futures), on virtual threads while few exchanges are open and on a few platform threads beyond.
 *
 * <p>Why both (issue #7, benchmarks/README.md): with a few streams, a new virtual thread per task
 * is the cheaper hand-off (in paired runs one fast stream read 0.76-0.86 of the raw
 * {@code HttpClient}'s events per second this way, 0.66-0.73 with the tasks on platform threads). With thousands of streams, the streams' own virtual threads fill the
 * carriers' queues and the client's tasks, submitted from its selector thread, wait behind them:
 * at 5,000 concurrent streams the response headers reached the streams ~0.8 s after the server
 * sent them and the burst took 1.19x the raw client's time, against 0.85-0.92x with the tasks on
 * {@link #THREADS} daemon platform threads (named {@code sluice-http-N}). So while more than
 * {@link #VIRTUAL_LIMIT} exchanges are open, new tasks go to those threads.
 *
 * <p>The platform threads are started as tasks need them and end after {@link #KEEP_ALIVE} without
 * one (as in the JDK's default cached pool), so a client that had a burst of streams once does not
 * keep them for the rest of its life.
 *
 * <p>An exchange is open from {@link #opened(Runnable)} until the action it returns runs (the transport
 * runs it when the exchange fails or its response body ends: completed, failed or closed).
 *
 * <p>Threading: every method may be called from any thread; {@link #shutdown} once, by the
 * transport's close, after the client's.
 */
final class ClientExecutor implements Executor {
    /** The platform threads: one per core, 2 to 8. */
    static final int THREADS = Math.clamp(Runtime.getRuntime().availableProcessors(), 2, 8);
    /** The most open exchanges whose client tasks still run on virtual threads. */
    static final int VIRTUAL_LIMIT = 4 * THREADS;

    /** How long an idle platform thread lives: a minute, as the JDK's default cached pool's threads. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(60);

    private final ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor();
    private final ThreadPoolExecutor platform;
    private final AtomicInteger open = new AtomicInteger();

    ClientExecutor() {
        this(KEEP_ALIVE);
    }

    /** @param keepAlive how long an idle platform thread lives */
    ClientExecutor(Duration keepAlive) {
        platform = new ThreadPoolExecutor(
                THREADS,
                THREADS,
                keepAlive.toNanos(),
                TimeUnit.NANOSECONDS,
                new LinkedBlockingQueue<>(),
                Thread.ofPlatform().name("sluice-http-", 1).daemon().factory());
        platform.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs the task on a new virtual thread, or on one of the platform threads while more than
     * {@link #VIRTUAL_LIMIT} exchanges are open.
     *
     * @throws RejectedExecutionException after {@link #shutdown()} (the HttpClient then runs the
     *     task on its fallback pool)
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        (open.get() > VIRTUAL_LIMIT ? platform : virtual).execute(task);
    }

    /**
     * {@return the action that ends the exchange just opened and runs {@code alsoOnEnd}; it acts
     * once, however often it runs}
     */
    Runnable opened(Runnable alsoOnEnd) {
        open.incrementAndGet();
        AtomicBoolean ended = new AtomicBoolean();
        return () -> {
            if (ended.compareAndSet(false, true)) {
                alsoOnEnd.run();
                open.decrementAndGet();
            }
        };
    }

    /** {@return how many exchanges are open} For tests. */
    int open() {
        return open.get();
    }

    /** Stops taking tasks; those already submitted still run. Idempotent. */
    void shutdown() {
        virtual.shutdown();
        platform.shutdown();
    }

    /** {@return how many platform threads are alive} For tests. */
    int platformThreads() {
        return platform.getPoolSize();
    }

    /** {@return whether {@link #shutdown()} was called} */
    boolean isShutdown() {
        return virtual.isShutdown() && platform.isShutdown();
    }
}
