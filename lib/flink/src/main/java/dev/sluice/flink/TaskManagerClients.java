package dev.sluice.flink;

import dev.sluice.chat.ProviderClient;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One client, and one concurrency limit, per {@link ClientSpec} (or the SQL provider's client settings) per task manager: every subtask of
 * the job running in this JVM leases the same ones, and the last to let go closes the client.
 * Static state is per class loader, and Flink loads a job's code in a class loader of its own on
 * each task manager: so "per task manager" means per job per task manager.
 *
 * <p>Threading: the table is guarded by LOCK; a lease is used from any thread.
 */
final class TaskManagerClients {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Map<Object, Shared<?>> SHARED = new HashMap<>();

    private TaskManagerClients() {}

    /** The shared client and limit of one spec. */
    static final class Shared<C extends AutoCloseable> {
        final C client;
        final Semaphore streams;
        int leases;

        Shared(C client, int permits) {
            this.client = client;
            this.streams = new Semaphore(permits, true);
        }
    }

    /** {@return the spec's shared client and limit, building the client at the first lease} */
    static Shared<ProviderClient> lease(ClientSpec spec) {
        return lease(spec, () -> spec.buildClient(System.getenv()), spec.maxConcurrentStreams());
    }

    /**
     * {@return the shared client of this key (equal keys share one), built by {@code build} at the
     * first lease, with this many permits}
     */
    @SuppressWarnings("unchecked") // a key's client is what its kind of key builds: a ClientSpec's, a ClientKey's Chain
    static <C extends AutoCloseable> Shared<C> lease(Object key, Supplier<C> build, int permits) {
        LOCK.lock();
        try {
            Shared<C> s = (Shared<C>) SHARED.get(key);
            if (s == null) {
                s = new Shared<>(build.get(), permits);
                SHARED.put(key, s);
            }
            s.leases++;
            return s;
        } finally {
            LOCK.unlock();
        }
    }

    /** Ends a lease; the last one closes the client (cancelling what is still open). */
    static void release(Object spec, Shared<?> shared) {
        LOCK.lock();
        try {
            if (--shared.leases > 0) return;
            SHARED.remove(spec, shared);
        } finally {
            LOCK.unlock();
        }
        try {
            shared.client.close();
        } catch (Exception e) {
            System.getLogger(TaskManagerClients.class.getName())
                    .log(System.Logger.Level.WARNING, "closing the shared Sluice client failed", e);
        }
    }

    /** {@return the spec's shared client and limit if leased now, without leasing} For tests. */
    static @Nullable Shared<?> leasedForTest(Object spec) {
        LOCK.lock();
        try {
            return SHARED.get(spec);
        } finally {
            LOCK.unlock();
        }
    }

    /** {@return how many leases the key's shared client has now, 0 if none} For tests. */
    static int leasesForTest(Object key) {
        LOCK.lock();
        try {
            Shared<?> s = SHARED.get(key);
            return s == null ? 0 : s.leases;
        } finally {
            LOCK.unlock();
        }
    }

    /** {@return how many specs have a client in this JVM now} For tests. */
    static int clients() {
        LOCK.lock();
        try {
            return SHARED.size();
        } finally {
            LOCK.unlock();
        }
    }
}
