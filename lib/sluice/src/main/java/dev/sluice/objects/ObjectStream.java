package dev.sluice.objects;

import dev.sluice.IncompleteStreamException;
import dev.sluice.LimitExceededException;
import dev.sluice.ObjectException;
import dev.sluice.SluiceException;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamMetrics;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A model's structured answer as a typed object that fills in as it streams: from any
 * {@link ChatProvider} (a client, or a {@link dev.sluice.chat.FallbackChain}), the partial objects as
 * they grow, the latest at any moment, and the final, validated value.
 *
 * <pre>{@code
 * record Recipe(String title, @Description("minutes") int minutes, List<Ingredient> ingredients,
 *               List<String> steps, Difficulty difficulty, Optional<String> tip) {}
 *
 * try (ObjectStream<Recipe> s = ObjectStream.of(provider, request, Recipe.class)) {
 *     for (Partial<Recipe> p : s) render(p);      // as it grows
 *     Recipe recipe = s.result();                  // validated
 * }
 * }</pre>
 *
 * <p>The request goes out with the schema as its {@link ChatRequest#responseFormat() response
 * format} (strict): each client sends it in its provider's native form, or as a forced call of a
 * tool named after the schema where the provider or model has none. The JSON is read from the
 * answer's text, or from that tool call's arguments, whichever comes first.
 *
 * <p>The items are {@link Partial}s: one each time what the object shows changes (a string grew, a
 * value completed, a member began), never one that shows nothing new. What a partial shows, a
 * later one shows too (see {@link Partial}), within one answer: when a fallback chain restarts the
 * answer on another target, a partial that {@link Partial#isReset() is a reset} starts it again
 * (its {@link Partial#attempt() attempt} one more); a chain that continues the answer keeps it.
 *
 * <p>The end: once the model's stream completes, the JSON is parsed to its end, validated against
 * the schema and, for a record, bound to it; then iteration ends and {@link #result()} returns the
 * value. A failure is thrown from the iterator (and again from {@code result()}): an
 * {@link ObjectException} when the answer was cut off by the token limit or a token budget
 * ({@code TRUNCATED}; a complete, valid object that happens to end at the limit passes), refused or
 * filtered ({@code REFUSED}), not JSON ({@code INVALID_JSON}), or not matching
 * ({@code SCHEMA_MISMATCH}, naming the path and the rule), carrying the last partial as its
 * {@code partial()}, the JSON text and the request id; any failure of the model's stream (a
 * timeout, an API error, a lost connection …) as it is, its {@code partial()} the chat response so
 * far (or, from a provider that attached none, the last partial), and {@link #latest()} the last
 * partial object. A stream closed, cancelled, or stopped by its
 * chunk limit ends iteration without an exception, as every {@link EventStream} does;
 * {@code result()} then throws ({@link IncompleteStreamException}, {@link LimitExceededException}).
 *
 * <p>Cost: the JSON is parsed once, in one pass, however it is split; each partial costs what
 * changed (a view of the value so far, O(depth)), never a parse of the text so far.
 *
 * <p>Threading: the iterator, {@link #elements} and {@link #result()} belong to one consumer
 * thread at a time (they share one reading of the stream; no extra thread is started);
 * {@link #latest()}, {@link #close()} and the controller's methods may be called from any thread.
 * Must be closed: closing it closes the model's stream.
 *
 * @param <T> the object's type: a record, or {@code Map<String, Object>} for a schema given as JSON
 */
public final class ObjectStream<T> implements EventStream<Partial<T>> {
    private final ObjectSchema<T> schema;
    private final EventStream<MessageChunk> chunks;
    private final PartialReader<T> reader;
    private final ObjectCursor<T> cursor;
    private final AtomicBoolean iteratorTaken = new AtomicBoolean();

    private ObjectStream(ObjectSchema<T> schema, EventStream<MessageChunk> chunks) {
        this.schema = schema;
        this.chunks = chunks;
        this.reader = new PartialReader<>(schema);
        this.cursor = new ObjectCursor<>(chunks, reader);
    }

    /**
     * Streams a record: see {@link #of(ChatProvider, ChatRequest, ObjectSchema, StreamController)}.
     *
     * @param provider the model's provider
     * @param request the model, prompt and settings, without a response format
     * @param type the record class; its schema is {@link ObjectSchema#of(Class)}
     * @param <T> the record type
     * @return the stream of partials; must be closed
     * @throws IllegalArgumentException if the type cannot be expressed as a schema (naming the
     *     record and the component), or the request already has a response format
     * @throws SluiceException if the request fails before streaming starts
     */
    public static <T extends Record> ObjectStream<T> of(ChatProvider provider, ChatRequest request, Class<T> type) {
        return of(provider, request, ObjectSchema.of(type), StreamController.create());
    }

    /**
     * Streams an object of a schema: see {@link #of(ChatProvider, ChatRequest, ObjectSchema, StreamController)}.
     *
     * @param provider the model's provider
     * @param request the model, prompt and settings, without a response format
     * @param schema the object's schema
     * @param <T> the object's type
     * @return the stream of partials; must be closed
     * @throws IllegalArgumentException if the request already has a response format
     * @throws SluiceException if the request fails before streaming starts
     */
    public static <T> ObjectStream<T> of(ChatProvider provider, ChatRequest request, ObjectSchema<T> schema) {
        return of(provider, request, schema, StreamController.create());
    }

    /**
     * Sends the request with the schema as its response format, and streams the object.
     *
     * @param provider the model's provider
     * @param request the model, prompt and settings, without a response format (this sets it)
     * @param schema the object's schema
     * @param controller the stream's cancel switch, made beforehand (with options of its own
     *     through {@link StreamController#of}), not used by another stream
     * @param <T> the object's type
     * @return the stream of partials; must be closed
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the request already has a response format
     * @throws IllegalStateException if the controller belongs to another stream
     * @throws SluiceException if the request fails before streaming starts
     */
    public static <T> ObjectStream<T> of(
            ChatProvider provider, ChatRequest request, ObjectSchema<T> schema, StreamController controller) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(controller, "controller");
        if (request.responseFormat() != null) {
            throw new IllegalArgumentException("the request already has a response format ("
                    + request.responseFormat().name() + "): an object stream sets it from its schema");
        }
        ChatRequest withFormat = new ChatRequest(
                request.model(),
                request.system(),
                request.messages(),
                request.tools(),
                request.maxTokens(),
                request.temperature(),
                request.stopSequences(),
                request.thinkingBudget(),
                schema.responseFormat(),
                request.toolChoice(),
                request.effort(),
                request.promptCache(),
                request.showThinking());
        return new ObjectStream<>(schema, provider.stream(withFormat, controller));
    }

    /** {@return the object's schema} */
    public ObjectSchema<T> schema() {
        return schema;
    }

    /**
     * {@return the latest partial the stream has read: before anything arrived, one showing nothing}
     * Any thread; it advances as the stream is read (iterated, or drained by {@link #result()}).
     */
    public Partial<T> latest() {
        return reader.latest();
    }

    /**
     * Reads the stream to its end, if the iterator has not, and returns the object.
     *
     * @return the final value: validated against the schema, and for a record, bound to it
     * @throws ObjectException if the answer was cut off, refused, is not JSON or does not match
     * @throws IncompleteStreamException if the stream was closed or cancelled, or ended without
     *     saying why the model stopped, before the object was complete
     * @throws LimitExceededException naming {@code maxChunks} if the stream reached its chunk limit
     * @throws SluiceException any failure of the model's stream, as it is
     */
    public T result() {
        iteratorTaken.set(true);
        return cursor.result();
    }

    /**
     * {@return the elements of the array at the path, each handed out once it is complete, as the
     * type} An alternative to iterating the partials (it takes this stream's one iterator): for
     * handling the items of a list as they come. After the last, the stream is at its end;
     * {@link #result()} returns the whole object. A fallback chain's restart starts the array again:
     * its elements come again from index 0, with the new {@link Element#attempt() attempt}.
     * Failures are thrown as from the iterator.
     *
     * @param path a JSON Pointer to an array, such as {@code "steps"}
     * @param type the elements' type (see {@link Partial#list})
     * @param <E> the element type
     * @throws IllegalArgumentException if the path is malformed, or for a record, not an array it has
     * @throws IllegalStateException if the iterator was already taken
     */
    public <E> Iterable<Element<E>> elements(String path, Class<E> type) {
        reader.latest().list(path, type); // checks the path and the type now
        takeIterator();
        Iterator<Element<E>> elements = cursor.elements(path, type);
        AtomicBoolean taken = new AtomicBoolean();
        return () -> {
            if (!taken.compareAndSet(false, true)) throw new IllegalStateException("elements() gives one iterator");
            return elements;
        };
    }

    @Override
    public Iterator<Partial<T>> iterator() {
        takeIterator();
        return cursor;
    }

    private void takeIterator() {
        if (!iteratorTaken.compareAndSet(false, true)) {
            throw new IllegalStateException("an ObjectStream has one iterator, and it was already taken "
                    + "(by iterator(), stream(), elements(), result() or a for loop)");
        }
    }

    @Override
    public Stream<Partial<T>> stream() {
        Iterator<Partial<T>> it = iterator();
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(this::close);
    }

    @Override
    public StreamController controller() {
        return chunks.controller();
    }

    @Override
    public StreamMetrics metrics() {
        return chunks.metrics();
    }

    /**
     * {@return why the stream ended, as its consumer saw it} {@code FAILED} also when the model's
     * stream completed but the object failed at its end; {@code CANCELLED} also when it completed but
     * a cancel dropped its end before the consumer took it.
     */
    @Override
    public Optional<EndReason> endReason() {
        SluiceException f = cursor.failure;
        if (f != null && chunks.failure().orElse(null) != f) return Optional.of(EndReason.FAILED);
        return chunks.endReason().map(end -> cursor.seenEnd());
    }

    @Override
    public Optional<SluiceException> failure() {
        SluiceException f = cursor.failure;
        return f != null ? Optional.of(f) : chunks.failure();
    }

    @Override
    public Optional<String> requestId() {
        return chunks.requestId();
    }

    /** Closes the model's stream (a cancel, unless it had ended). Idempotent, any thread. */
    @Override
    public void close() {
        cursor.closed = true;
        chunks.close();
    }

    @Override
    public String toString() {
        return "ObjectStream[" + schema.name() + ", "
                + endReason().map(r -> "ended " + r).orElse("running") + "]";
    }
}
