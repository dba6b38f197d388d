package dev.sluice.relay;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Where a {@link Relay} keeps what other relays must see: its streams' events, who runs each
 * stream, the commands sent to it, and the counts its limits are checked against. The default,
 * {@link #inMemory()}, keeps everything in this JVM: one relay, today's behaviour and speed (each
 * stream's replay buffer in the heap, limits counted locally). A shared store (Redis, in
 * {@code sluice-relay-redis}) lets relays on many nodes serve one another's streams: a client
 * that resumes on another node with {@code Last-Event-ID} continues there, a cancel on any node
 * stops the upstream where it runs, and the limits are counted for the whole cluster.
 *
 * <p>A relay with a shared store still pulls each stream it runs into its own replay buffer and
 * serves its own clients from there; a writer per stream copies the buffer's events to the store
 * in batches (the buffer keeps an event until it is stored). Another relay that is asked for the
 * stream reads the stored events into a buffer of its own and follows them; it tells the running
 * relay that it has clients (so the resume window waits for them) and sends cancels to it.
 *
 * <p>A store sees events as opaque text, encoded and decoded by the relay (any {@link RelayEvent}
 * goes through), and ids 1, 2, 3, ... per stream. Every method but {@link #shared()},
 * {@link #node()} and {@link #close()} may block on the network and throws
 * {@link dev.sluice.RelayException} of kind {@link dev.sluice.RelayException.Kind#UNAVAILABLE
 * UNAVAILABLE} when the store cannot be reached; a shared store's methods other than the counters
 * are called only when {@link #shared()} is true.
 *
 * <p>A shared store may also keep a server's chats ({@link #putChat}, {@link #chat},
 * {@link #removeChat}: which stream a chat of the Vercel AI SDK's transport runs, and the hash of
 * its owner's secret; and, under keys of their own, which stream an AG-UI thread runs), so that the
 * chat resumes, and the thread's run waiting for an approval is resumed, on any node. Their default
 * implementations keep nothing: a store without them still works, and a chat or thread is then
 * found only on the node that started its stream.
 *
 * <p>Threading: every method is called from many threads at once (streams' threads, request
 * threads, the relay's timer) and must be safe for that.
 */
public interface RelayStore extends AutoCloseable {

    /** {@return the store of a single relay: nothing shared, limits counted in this JVM} */
    static RelayStore inMemory() {
        return new InMemoryRelayStore();
    }

    /** {@return whether other relays see this store's streams; false for {@link #inMemory()}} */
    boolean shared();

    /** {@return this relay's name among the nodes sharing the store: unique, no spaces} */
    String node();

    /**
     * Checks that the store answers, as a server's health check does. A store in this JVM always
     * does: the default does nothing.
     *
     * @throws dev.sluice.RelayException {@link dev.sluice.RelayException.Kind#UNAVAILABLE UNAVAILABLE}
     *     if it cannot be reached
     */
    default void ping() {}

    /**
     * Takes one of a counter's places when fewer than {@code limit} are taken, counting every node.
     * The counters a relay uses are {@code streams} (running streams, against
     * {@link RelayLimits#maxStreams()}) and whatever its server adds (such as streams per client
     * address). A node that stops without releasing its places loses them when it is known dead.
     *
     * @param counter the counter's name
     * @param limit the most places taken at once
     * @return true if a place was taken, false at the limit
     */
    boolean acquire(String counter, int limit);

    /**
     * Gives back a place taken with {@link #acquire}.
     *
     * @param counter the counter's name
     */
    void release(String counter);

    /**
     * Counts one use of a rate, such as a client address's stream creations, when fewer than
     * {@code limit} were counted in its current window, counting every node; refused uses do not
     * count. Where windows begin is the store's: the in-memory store's follow one another from the
     * counter's first use, a shared store's may open with the first use after the last one closed.
     * The counters are its server's (such as {@code creations:} and a client address); the
     * in-memory store remembers the 10,000 used last, forgetting the least recent first.
     *
     * @param counter the counter's name
     * @param limit the most uses per window; positive
     * @param window how long a window lasts; positive
     * @return zero when the use was counted; else how long until the window closes (at least a
     *     millisecond)
     */
    Duration takeRate(String counter, int limit, Duration window);

    /**
     * Records that this node runs a stream, so that other nodes find it, send it commands and can
     * tell when this node stops.
     *
     * @param streamId the stream's id
     * @param ttl how long the record lasts unless {@link #append} extends it
     */
    void register(String streamId, Duration ttl);

    /**
     * {@return the id to give a new stream, made from a fresh random one} A store may rewrite the
     * id's first characters to place the stream: the Redis store on a Redis Cluster puts there a tag
     * of the master that is to hold it, so that the streams on one master share a slot and a node
     * follows them all with one read. The default returns the id unchanged. Called only when
     * {@link #shared()}, once per stream, before {@link #register}.
     *
     * @param randomId 22 URL-safe characters, 128 bits from {@link java.security.SecureRandom}; what
     *     a store returns is 22 URL-safe characters too, the last 19 of them as they were (110
     *     random bits)
     */
    default String place(String randomId) {
        return randomId;
    }

    /**
     * Stores the next events of a stream this node runs (possibly none, to extend its life), unless
     * the store lacks events before them that it must keep. A store that lost writes it had
     * acknowledged (a Redis primary that failed over to a replica that had not got them yet, a
     * Redis that restarted empty) says so instead of storing the events after a hole; the writer
     * then writes again from the event after the last one it holds. Writing events the store has
     * already (a batch whose answer was lost) stores them once.
     *
     * @param streamId the stream's id
     * @param firstId the id of the first event given; the others follow it, one apart
     * @param events the encoded events
     * @param keepFrom the oldest id the store must keep (older ones may go: the replay limits)
     * @param ttl how long the stream and its record last from now (the retention once it ended)
     * @return the id of the last event of the stream that the store holds: at least
     *     {@code firstId + events.size() - 1} when the events are stored; less when it lacks an
     *     event from {@code keepFrom} to {@code firstId - 1}, and then it stored nothing
     */
    long append(String streamId, long firstId, List<String> events, long keepFrom, Duration ttl);

    /**
     * Reads a stream's stored events after an id, waiting up to {@code block} when there are none.
     *
     * @param streamId the stream's id
     * @param after the id of the last event the reader has, 0 for none
     * @param max the most events returned
     * @param block how long to wait for one; zero not to wait
     * @return the encoded events, oldest first; empty when none came within {@code block}. The
     *     first may come after {@code after + 1} when older events were trimmed.
     */
    List<String> read(String streamId, long after, int max, Duration block);

    /**
     * Follows a stream another node runs: hands {@code handler} the events stored after
     * {@code after}, oldest first, in batches as they are stored, until the handler declines a
     * batch or the follow is {@linkplain Follow#close closed}. While the store cannot be reached it
     * tries again by itself and hands on nothing. Called only when {@link #shared()}.
     *
     * <p>The default reads with {@link #read} on a virtual thread of its own per followed stream. A
     * store may instead read every stream that its node follows at once, on one thread and one
     * connection, and hand each batch to its handler from there (the Redis store does).
     *
     * @param streamId the stream's id
     * @param after the id of the last event the follower has, 0 for none
     * @param handler takes the batches, one at a time, on a thread of the store's
     * @return the follow, to {@linkplain Follow#resume resume} after the handler declined a batch,
     *     and to close
     */
    default Follow follow(String streamId, long after, FollowHandler handler) {
        return ReadingFollow.start(this, streamId, after, handler);
    }

    /** Takes the events of a stream followed with {@link #follow}. */
    @FunctionalInterface
    interface FollowHandler {
        /**
         * Takes a batch of a followed stream's stored events, on the store's thread, which may be the
         * one that hands every followed stream its events: it must not block.
         *
         * @param events the encoded events, oldest first; the first may come after the one expected
         *     when older events were trimmed, and may repeat events handed on before a
         *     {@linkplain Follow#resume resume}
         * @return true to go on; false to be handed nothing more until {@link Follow#resume} (the
         *     follower has no room for the events from some point of the batch on, or has ended)
         */
        boolean stored(List<String> events);
    }

    /** A stream followed with {@link RelayStore#follow}. Safe from any thread. */
    interface Follow extends AutoCloseable {
        /**
         * Hands on the events after {@code after} again, after the handler declined a batch.
         *
         * @param after the id of the last event the follower has
         */
        void resume(long after);

        /** Stops handing on the stream's events. Idempotent; throws nothing. */
        @Override
        void close();
    }

    /**
     * {@return whether a stream is known: a node registered it and its record has not lapsed}
     *
     * @param streamId the stream's id
     */
    boolean exists(String streamId);

    /**
     * {@return whether the node that runs a stream is alive} False once that node has stopped
     * refreshing its liveness, or when the stream is unknown.
     *
     * @param streamId the stream's id
     */
    boolean running(String streamId);

    /**
     * Sends a command to the node that runs a stream (its {@link #listen listener} receives it).
     *
     * @param streamId the stream's id
     * @param command the command: {@code cancel}, {@code attach NODE}, {@code detach NODE} or
     *     {@code approve JSON} (a tool call's approval decided on another node)
     * @return false if the stream is unknown
     */
    boolean send(String streamId, String command);

    /**
     * A chat's record: the stream it runs and the hash of the secret of the client that started
     * that stream (never the secret itself).
     *
     * @param ownerHash the hash of the owner's secret, as the server computes it
     * @param streamId the id of the stream the chat runs
     */
    record ChatRecord(String ownerHash, String streamId) {
        /** @throws NullPointerException if an argument is null */
        public ChatRecord {
            Objects.requireNonNull(ownerHash, "ownerHash");
            Objects.requireNonNull(streamId, "streamId");
        }
    }

    /**
     * Records that a chat runs a stream this node {@linkplain #register registered}, for the owner
     * whose secret hashes to {@code ownerHash}, so that every node finds it; unless the chat runs a
     * stream of another owner. The record lasts as long as the stream's own record (extended with
     * it by {@link #append}) or until {@link #removeChat}. Called only when {@link #shared()}.
     *
     * @param chatId the chat's id, or another conversation's key that the server gives it (an
     *     AG-UI thread's is {@code ag-ui:} and a hash of the thread's id; a chat's id has no
     *     {@code :}), at most 128 characters
     * @param ownerHash the hash of the owner's secret
     * @param streamId the stream's id
     * @return false, and nothing recorded, when the chat is recorded for another owner; true when
     *     recorded (replacing the same owner's record). The default records nothing and answers true.
     */
    default boolean putChat(String chatId, String ownerHash, String streamId) {
        return true;
    }

    /**
     * {@return a chat's record, when a node recorded it with {@link #putChat} and it has not lapsed
     * or been removed} Called only when {@link #shared()}. The default knows no chat.
     *
     * @param chatId the chat's id
     */
    default Optional<ChatRecord> chat(String chatId) {
        return Optional.empty();
    }

    /**
     * Removes a chat's record if it still names this stream (a newer stream of the chat keeps its
     * own). Called only when {@link #shared()}. The default does nothing.
     *
     * @param chatId the chat's id
     * @param streamId the stream that ended
     */
    default void removeChat(String chatId, String streamId) {}

    /**
     * Keeps the handle of a task that a tool call of a stream this node runs started on its server
     * (MCP Tasks), with the stream, so that another node can follow the task to its end when this
     * one stops ({@link #takeOver}). The handle lasts as long as the stream's record. Called only
     * when {@link #shared()}. The default keeps nothing: the stream then ends with
     * {@code node_lost} when its node stops, as any other. Under the key {@code ""} (no call's id is
     * empty) the relay keeps the same way the checkpoint of the run's turn that started a task (its
     * conversation up to the model's tool calls), so that the other node goes on with the run.
     *
     * @param streamId the stream's id, one this node {@linkplain #register registered}
     * @param callId the tool call's id, or {@code ""} for the run's checkpoint
     * @param handle the handle as the relay encodes it (the tool and the task's id), or the
     *     checkpoint: a secret of the stream's, never shown to a client
     */
    default void putTask(String streamId, String callId, String handle) {}

    /**
     * {@return the task handles kept with a stream ({@link #putTask}), by call id; empty when none}
     * Called only when {@link #shared()}. The default knows none.
     *
     * @param streamId the stream's id
     */
    default Map<String, String> tasks(String streamId) {
        return Map.of();
    }

    /**
     * Makes this node the one that runs a stream whose node is no longer {@linkplain #running
     * alive}, so that it can finish the stream's tasks: from then on the stream is
     * {@linkplain #running running} on this node, its commands come to this node's
     * {@linkplain #listen listener}, and this node {@linkplain #append appends} its next events.
     * Of several nodes that try at once, one succeeds. Called only when {@link #shared()}. The
     * default takes over nothing.
     *
     * @param streamId the stream's id
     * @param ttl how long the record lasts unless {@link #append} extends it
     * @return true when this node now runs the stream; false when its node is alive, another node
     *     took it over first, or the stream is unknown
     */
    default boolean takeOver(String streamId, Duration ttl) {
        return false;
    }

    /**
     * Starts delivering the commands sent to this node's streams, on a thread of the store's.
     * Called once, when the relay is built.
     *
     * @param commands receives the stream's id and the command
     */
    void listen(BiConsumer<String, String> commands);

    /** Stops the store's threads and connections. Idempotent; throws nothing. */
    @Override
    void close();
}
