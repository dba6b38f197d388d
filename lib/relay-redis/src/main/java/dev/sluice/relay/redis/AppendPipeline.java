package dev.sluice.relay.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.PipelineBase;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.Pool;

/**
 * This node's one writer of stream events: every stream's appends go to Redis through one
 * connection, one pipeline per round. A caller queues its write and, when no round is running,
 * runs one itself: it takes everything queued (its own write and the other streams' that came
 * meanwhile), sends it in one pipeline and hands each caller its outcome. While a round runs,
 * writes queue up and the next round takes them all, so batches grow with the load; there is no
 * linger, and an idle node's write costs no hand-off to another thread.
 *
 * <p>Threading: any thread writes; the queue is concurrent; {@code connection} and the rounds
 * belong to the holder of {@code writing}. A queued write's outcome is set by the round that sent
 * it before its {@code done} (volatile) is.
 */
final class AppendPipeline {
    /** What one write puts in a round's pipeline, and how it reads its answers once the round is sent. */
    interface Write {
        /** Queues the write's commands. */
        void queue(PipelineBase pipeline);

        /** Reads the answers, after the round was sent; throws what Redis refused. */
        void check();
    }

    private static final int MAX_PER_ROUND = 1024;
    /** A bound on a queued writer's park, though a round's end always wakes the next one: a safety net, not a timing. */
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final class Queued {
        final Write write;
        final Thread caller = Thread.currentThread();
        RuntimeException failure; // written before done
        volatile boolean done;

        Queued(Write write) {
            this.write = write;
        }
    }

    private final Pool<Connection> pool;
    private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock();
    private Connection connection; // the holder of writing's
    private volatile boolean closed;

    AppendPipeline(Pool<Connection> pool) {
        this.pool = pool;
    }

    /**
     * Sends a write with whatever else is queued, waiting for its answers.
     *
     * @throws redis.clients.jedis.exceptions.JedisException if Redis could not be reached or
     *     refused one of the write's commands
     */
    void write(Write write) {
        Queued q = new Queued(write);
        queue.add(q);
        boolean interrupted = false;
        while (!q.done) {
            if (writing.tryLock()) {
                try {
                    while (!q.done) round();
                } finally {
                    writing.unlock();
                }
                Queued next = queue.peek(); // queued while this round ran: its caller runs the next
                if (next != null) LockSupport.unpark(next.caller);
            } else {
                LockSupport.parkNanos(this, PARK_NANOS);
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (q.failure != null) throw q.failure;
    }

    /** Sends what is queued in one pipeline and hands out the answers. Holding writing. */
    private void round() {
        List<Queued> taken = new ArrayList<>();
        for (Queued q; taken.size() < MAX_PER_ROUND && (q = queue.poll()) != null; ) taken.add(q);
        if (taken.isEmpty()) return;
        RuntimeException failed = null;
        try {
            if (closed) throw new JedisConnectionException("the store is closed");
            if (connection == null) connection = pool.getResource();
            Pipeline p = new Pipeline(connection);
            for (Queued q : taken) q.write.queue(p);
            p.sync();
        } catch (RuntimeException e) {
            failed = e;
            dropConnection();
        }
        if (closed) dropConnection();
        Thread self = Thread.currentThread();
        for (Queued q : taken) {
            RuntimeException outcome = failed;
            if (outcome == null) {
                try {
                    q.write.check();
                } catch (RuntimeException e) {
                    outcome = e;
                }
            }
            q.failure = outcome;
            q.done = true;
            if (q.caller != self) LockSupport.unpark(q.caller);
        }
    }

    private void dropConnection() {
        Connection c = connection;
        connection = null;
        if (c == null) return;
        try {
            c.close(); // back to the pool, or destroyed when broken
        } catch (RuntimeException e) {
            // already gone
        }
    }

    /** Closes the connection, now or when the running round ends; later writes fail. */
    void close() {
        closed = true;
        if (writing.tryLock()) {
            try {
                dropConnection();
            } finally {
                writing.unlock();
            }
        }
    }
}
