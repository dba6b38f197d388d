package dev.sluice.relay.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.PipelineBase;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.Pool;

/**
 * This node's one writer of stream events: every stream's appends go to Redis through one
 * connection, in rounds, several in flight at once. A caller queues its write; when no one is
 * sending, it sends a round itself (its own write and every other one queued meanwhile, without
 * waiting for earlier rounds' answers), and when no one is reading answers, it reads them itself,
 * in the order the rounds were sent, handing each caller its outcome, until its own has come.
 * Redis thus always has the next round while this node reads the last one's answers, batches grow
 * with the load, there is no linger, and an idle node's write costs no hand-off to another thread.
 *
 * <p>When the connection fails (a write, a read, or Redis closing it), every round sent on it and
 * not yet answered fails with that error, and the next round takes another connection from the pool.
 *
 * <p>Threading: any thread writes; the queues are concurrent. The holder of {@code sending} owns
 * {@code line} and the connection's output, the holder of {@code reading} its input; Jedis's
 * {@link Connection} keeps the two streams apart, and this class never flushes while reading. A
 * queued write's outcome is set by the reader of its round before its {@code done} (volatile) is.
 */
final class AppendPipeline {
    /** What one write puts in a round, and how it reads its answers once they have come. */
    @SuppressWarnings("deprecation") // Jedis's PipelineBase: the base of its pipelines, which a round is
    interface Write {
        /** Queues the write's commands. */
        void queue(PipelineBase pipeline);

        /** Reads the answers, after they have come; throws what Redis refused. */
        void check();
    }

    private static final int MAX_PER_ROUND = 1024;
    /** A bound on a waiting writer's park, though whoever lets go of a role wakes the next one: a safety net, not a timing. */
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final class Queued {
        final Write write;
        final Thread caller = Thread.currentThread();
        volatile boolean sent;

        @Nullable
        RuntimeException failure; // written before done

        volatile boolean done;

        Queued(Write write) {
            this.write = write;
        }
    }

    /** One connection, as long as it works; closed once, by whoever sees it fail, or by {@link #close}. */
    private static final class Line {
        final Connection connection;
        final CommandObjects commands = new CommandObjects();
        volatile @Nullable JedisException broken;
        private final AtomicBoolean closed = new AtomicBoolean();

        Line(Connection connection) {
            this.connection = connection;
            RedisProtocol protocol = connection.getRedisProtocol();
            if (protocol != null) commands.setProtocol(protocol);
        }

        void fail(JedisException e) {
            if (broken == null) broken = e;
            connection.setBroken();
            close();
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                try {
                    connection.close(); // back to the pool, or destroyed when broken
                } catch (RuntimeException e) {
                    // already gone
                }
            }
        }
    }

    /** The writes sent together, and the answers they wait for, in order. */
    @SuppressWarnings("deprecation") // as Write
    private static final class Round extends PipelineBase {
        /** The commands of a round that never had a connection: none is sent. */
        private static final CommandObjects UNSENT = new CommandObjects();

        final @Nullable Line line; // null when there was no connection to send on
        final List<Queued> writes;
        final List<Response<?>> answers = new ArrayList<>();

        @Nullable
        JedisException failure; // when it could not be sent

        Round(@Nullable Line line, List<Queued> writes) {
            super(line == null ? UNSENT : line.commands);
            this.line = line;
            this.writes = writes;
        }

        @Override
        protected <T> Response<T> appendCommand(CommandObject<T> command) {
            // only a round with a connection is queued on
            Objects.requireNonNull(line, "a round queued on has its line")
                    .connection
                    .sendCommand(command.getArguments()); // buffered; flushed once the round is queued
            Response<T> answer = new Response<>(command.getBuilder());
            answers.add(answer);
            return answer;
        }

        @Override
        public void sync() {
            throw new UnsupportedOperationException("a round's answers are read by its pipeline");
        }

        @Override
        public void close() {}
    }

    private final Pool<Connection> pool;
    private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Round> inFlight = new ConcurrentLinkedQueue<>(); // sent, in order
    private final ReentrantLock sending = new ReentrantLock();
    private final ReentrantLock reading = new ReentrantLock();
    private @Nullable Line line; // the holder of sending's
    private volatile boolean closed;

    AppendPipeline(Pool<Connection> pool) {
        this.pool = pool;
    }

    /**
     * Sends a write with whatever else is queued, waiting for its answers.
     *
     * @throws JedisException if Redis could not be reached or refused one of the write's commands
     */
    void write(Write write) {
        Queued q = new Queued(write);
        queue.add(q);
        boolean interrupted = false;
        while (!q.done) {
            boolean acted = false; // else it waits, without spinning, to be woken by whoever holds the role it needs
            if (!q.sent && sending.tryLock()) {
                try {
                    acted = send();
                } finally {
                    sending.unlock();
                }
                Queued next = queue.peek(); // queued while this round was sent: its caller sends the next
                if (next != null) LockSupport.unpark(next.caller);
            }
            if (!q.done && reading.tryLock()) {
                try {
                    for (Round r; !q.done && (r = inFlight.peek()) != null; inFlight.poll()) {
                        read(r);
                        acted = true;
                    }
                } finally {
                    reading.unlock();
                }
                Round next = inFlight.peek(); // sent after this caller's round: one of its callers reads on
                if (next != null) LockSupport.unpark(next.writes.getFirst().caller);
            }
            if (!q.done && !acted) {
                LockSupport.parkNanos(this, PARK_NANOS);
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (q.failure != null) throw q.failure;
    }

    /** Sends what is queued as one round and puts it in flight; {@return whether there was any} Holding sending. */
    private boolean send() {
        List<Queued> taken = new ArrayList<>();
        for (Queued q; taken.size() < MAX_PER_ROUND && (q = queue.poll()) != null; ) {
            q.sent = true;
            taken.add(q);
        }
        if (taken.isEmpty()) return false;
        Round round = null;
        try {
            if (closed) throw new JedisConnectionException("the store is closed");
            if (line != null && line.broken != null) line = null;
            Line open = line;
            if (open == null) line = open = new Line(pool.getResource());
            round = new Round(open, taken);
            for (Queued q : taken) q.write.queue(round);
            open.connection.getMany(0); // flushes, and reads nothing: the reader reads the answers
        } catch (RuntimeException e) {
            JedisException failure = asJedis(e);
            if (line != null) line.fail(failure);
            if (round == null) round = new Round(null, taken); // no connection: nothing to read
            round.failure = failure;
        }
        inFlight.add(round);
        return true;
    }

    /** Reads a round's answers and hands its writers their outcomes. Holding reading. */
    private void read(Round round) {
        JedisException failed = round.failure;
        if (failed == null) {
            // a round without a connection has its failure: this one was sent on its line
            Line line = Objects.requireNonNull(round.line, "a sent round has its line");
            try {
                JedisException broken = line.broken;
                if (broken != null) throw broken; // an earlier round's reader saw it fail
                for (Response<?> answer : round.answers) {
                    Object reply;
                    try {
                        reply = line.connection.getUnflushedObject();
                    } catch (JedisDataException e) { // Redis refused this command: its answer
                        reply = e;
                    }
                    answer.set(reply);
                }
            } catch (RuntimeException e) {
                failed = asJedis(e);
                line.fail(failed);
            }
        }
        Thread self = Thread.currentThread();
        for (Queued q : round.writes) {
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

    private static JedisException asJedis(RuntimeException e) {
        return e instanceof JedisException j ? j : new JedisConnectionException(e);
    }

    /** Closes the connection; rounds in flight fail, and so do later writes. */
    void close() {
        closed = true;
        sending.lock();
        try {
            if (line != null) line.fail(new JedisConnectionException("the store is closed"));
        } finally {
            sending.unlock();
        }
    }
}
