package dev.sluice.chat;

import dev.sluice.client.Accumulator;
import dev.sluice.client.Failover;
import dev.sluice.client.Hedge;
import dev.sluice.internal.low.json.IncrementalJsonParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Turns the {@link MessageChunk}s of one response into a {@link ChatResponse}: a partial one at any
 * moment, the final one at the end. Text and thinking are concatenated; tool-call deltas are grouped
 * by index, the first id and name of each call kept and its arguments parsed incrementally with
 * {@link PartialJson}; the id and the model are the first non-empty ones seen; the finish reason and
 * the usage are the latest ones reported, and so is the {@link ProviderState}.
 *
 * <p>A chunk with a {@link MessageChunk#failover() failover} (a {@link FallbackChain}'s switch) is
 * recorded in the metadata's {@link ResponseMetadata#failovers()}; the id, the model and the
 * finish reason are taken again from the chunks after it, and when it is a
 * {@linkplain Failover#reset() reset}, the text, thinking and tool calls received so far are
 * dropped: the response is the finishing target's answer alone. The provider state is dropped at
 * every switch, a continuation's too: it is the failed target's, stamped for it (see
 * {@link ProviderState}), and the response is no longer the answer it belongs to; only a state
 * the finishing target reports is kept. The chain's usage is already summed over its targets.
 *
 * <p>One made with a bound ({@link #ChunkAggregator(long)}) holds at most that many characters of
 * the answer's text, thinking and tool calls' arguments together: the first ones, in the order they
 * came; the rest is read past, not held, so a response from it is cut there (a stream keeps such a
 * bounded one for the partial response its failure carries, whatever the answer's length).
 *
 * <p>Threading: one thread calls {@link #accept} and {@link #result()} (the consumer of the
 * stream); any thread may call {@link #snapshot()} at the same time and gets a consistent response:
 * every part reflects the same set of chunks. A lock guards all state; a partial response costs a
 * copy of the text so far, taken under it.
 */
public final class ChunkAggregator implements Accumulator<MessageChunk, ChatResponse> {
    // Guarded by lock: everything below.
    private final ReentrantLock lock = new ReentrantLock();
    private String id = "";
    private String model = "";
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder thinking = new StringBuilder();
    private final TreeMap<Integer, CallState> calls = new TreeMap<>();
    private @Nullable FinishReason finishReason;
    private @Nullable Usage usage;
    private @Nullable ProviderState providerState;
    private final List<Failover> failovers = new ArrayList<>(0);
    private @Nullable Hedge hedge;
    private long chunks;
    private @Nullable Duration firstChunk;
    private @Nullable Duration latest;
    private @Nullable ChatResponse finished;
    private final long maxChars; // the most characters of text, thinking and arguments held
    private long heldChars;

    private static final class CallState {
        final int index;
        String id = "";
        String name = "";
        final PartialJson arguments = new PartialJson();

        CallState(int index) {
            this.index = index;
        }
    }

    /** Creates an aggregator with nothing received, holding the whole answer. */
    public ChunkAggregator() {
        this(Long.MAX_VALUE);
    }

    /**
     * Creates an aggregator with nothing received that holds at most the first {@code maxChars}
     * characters of the answer's text, thinking and tool calls' arguments together; what comes after
     * them is left out of its responses (a surrogate pair is not split).
     *
     * @param maxChars the most characters held; positive
     * @throws IllegalArgumentException if maxChars is not positive
     */
    public ChunkAggregator(long maxChars) {
        if (maxChars <= 0) throw new IllegalArgumentException("maxChars must be positive: " + maxChars);
        this.maxChars = maxChars;
    }

    /** {@return what of {@code piece} fits under the bound, counted as held} Under the lock. */
    private String held(String piece) {
        long room = maxChars - heldChars;
        if (piece.length() <= room) {
            heldChars += piece.length();
            return piece;
        }
        int end = (int) Math.max(0, room);
        if (end > 0 && Character.isHighSurrogate(piece.charAt(end - 1))) end--;
        heldChars += end;
        return piece.substring(0, end);
    }

    /**
     * Adds the next chunk.
     *
     * @param chunk the chunk
     * @throws NullPointerException if chunk is null
     * @throws IllegalStateException if {@link #result()} was called
     */
    @Override
    public void accept(MessageChunk chunk) {
        Objects.requireNonNull(chunk, "chunk");
        lock.lock();
        try {
            if (finished != null) throw new IllegalStateException("result() was called: no more chunks are accepted");
            if (chunk.failover() != null) switched(chunk.failover());
            if (chunk.hedge() != null) hedge = chunk.hedge();
            if (id.isEmpty()) id = chunk.id();
            if (model.isEmpty()) model = chunk.metadata().model();
            text.append(held(chunk.text()));
            thinking.append(held(chunk.thinking()));
            for (ToolCallDelta delta : chunk.toolCalls()) {
                CallState call = calls.computeIfAbsent(delta.index(), CallState::new);
                if (call.id.isEmpty() && delta.id() != null) call.id = delta.id();
                if (call.name.isEmpty() && delta.name() != null) call.name = delta.name();
                String arguments = held(delta.arguments());
                if (!arguments.isEmpty()) call.arguments.append(arguments);
            }
            if (chunk.finishReason() != null) finishReason = chunk.finishReason();
            if (chunk.usage() != null) usage = chunk.usage();
            if (chunk.providerState() != null) providerState = chunk.providerState();
            chunks++;
            if (firstChunk == null) firstChunk = chunk.metadata().sinceRequest();
            latest = chunk.metadata().sinceRequest();
        } finally {
            lock.unlock();
        }
    }

    private void switched(Failover f) {
        failovers.add(f);
        model = "";
        finishReason = null;
        providerState = null; // the failed attempt's: it belongs to another target and to an answer that is no more
        if (f.reset()) {
            id = "";
            text.setLength(0);
            thinking.setLength(0);
            calls.clear();
            heldChars = 0;
        }
    }

    /**
     * {@return the response as far as it has arrived: tool-call arguments as their best-effort
     * value, without an arguments error; after {@link #result()}, the final response} Safe to call
     * from any thread, at any time.
     */
    @Override
    public ChatResponse snapshot() {
        lock.lock();
        try {
            if (finished != null) return finished;
            List<ToolCall> toolCalls = new ArrayList<>(calls.size());
            for (CallState call : calls.values()) {
                String arguments = call.arguments.text();
                Object snapshot = arguments.isBlank() ? null : call.arguments.snapshot();
                // nothing usable yet: the empty object of empty arguments, which the value then grows from
                Object parsed = snapshot == null ? IncrementalJsonParser.emptyObject() : snapshot;
                toolCalls.add(new ToolCall(call.index, call.id, call.name, arguments, parsed, null));
            }
            return response(toolCalls, false);
        } finally {
            lock.unlock();
        }
    }

    /** {@return whether a chunk said why the model stopped: a provider's answer ends with its finish reason} */
    @Override
    public boolean isComplete() {
        lock.lock();
        try {
            return finishReason != null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the response: tool-call arguments are parsed to the end, and a call whose arguments are
     * not valid JSON says why in {@link ToolCall#argumentsError()}: a cut-off text keeps the
     * best-effort value of what was written, a malformed one gets no parsed value (nothing is
     * guessed; the text is kept). Calling it again returns the same response; no more chunks are
     * accepted afterwards.
     *
     * @return the final response
     * @throws IllegalStateException if no finish reason arrived ({@link #isComplete()} is false);
     *     {@link #snapshot()} has the response so far
     */
    @Override
    public ChatResponse result() {
        lock.lock();
        try {
            if (finishReason == null) {
                throw new IllegalStateException("the response is not complete: no chunk said why the model stopped; "
                        + "use snapshot() for the response so far");
            }
            if (finished == null) {
                List<ToolCall> toolCalls = new ArrayList<>(calls.size());
                for (CallState call : calls.values()) {
                    String arguments = call.arguments.text();
                    PartialJson.Result result =
                            arguments.isBlank() ? ToolCall.parseArguments(arguments) : call.arguments.finish();
                    toolCalls.add(ToolCall.parsed(
                            call.index, call.id, call.name, arguments, result, call.arguments.isTruncated()));
                }
                finished = response(toolCalls, true);
            }
            return finished;
        } finally {
            lock.unlock();
        }
    }

    private ChatResponse response(List<ToolCall> toolCalls, boolean complete) {
        return new ChatResponse(
                id,
                text.toString(),
                toolCalls,
                thinking.toString(),
                finishReason,
                usage,
                new ResponseMetadata(model, chunks, firstChunk, latest, failovers, hedge),
                complete,
                providerState);
    }
}
