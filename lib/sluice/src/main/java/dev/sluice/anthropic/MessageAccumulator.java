package dev.sluice.anthropic;

import dev.sluice.ProtocolException;
import dev.sluice.chat.PartialJson;
import dev.sluice.client.Accumulator;
import dev.sluice.internal.low.json.Json;
import dev.sluice.internal.low.value.Deferred;
import dev.sluice.internal.low.value.LazyList;
import dev.sluice.internal.low.value.StringParts;
import dev.sluice.internal.low.value.TextView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Builds Anthropic's {@link Message} from the events of a stream, exactly as the API would have
 * returned it without streaming:
 *
 * <ul>
 *   <li>content blocks in index order; text, thinking and signatures are the concatenation of
 *       their deltas; citations from {@code citations_delta} are appended to the text block's;
 *   <li>a tool-use input is the JSON parsed from all {@code input_json_delta} pieces joined (an
 *       empty join keeps the input the block started with, {@code {}}); while it streams the
 *       snapshot shows the best-effort partial value; at {@code content_block_stop} (or
 *       {@code message_stop}) an input that is not a valid JSON object is reported on the block
 *       ({@link ToolUseBlock#inputError()}) and its text kept ({@link ToolUseBlock#inputJson()}):
 *       an input only cut off ({@link PartialJson#isTruncated()}, a reply that hit
 *       {@code max_tokens}) keeps the best-effort value of what was written, a malformed one (or one
 *       nested deeper than {@link PartialJson#MAX_DEPTH}) is left empty rather than guessed. A
 *       complete input is parsed when its {@code input()} or {@code inputError()} is first read,
 *       once: a consumer that keeps only the text pays for no parse; from the first snapshot
 *       taken while the block streams, the partial value is parsed as the pieces come;
 *   <li>usage starts from {@code message_start}; each field present in a {@code message_delta}'s
 *       usage replaces it; stop reason and stop sequence come from {@code message_delta};
 *       stop details, container and context management from {@code message_start}, each replaced
 *       by a {@code message_delta} that carries one;
 *   <li>a {@code compaction} block takes each field its {@code compaction_delta}s carry (the last
 *       one that carries a field wins), {@code encrypted_content} exactly as it came; a
 *       {@code fallback} block makes the message's model its {@code to.model}, as the official
 *       SDKs relabel the message;
 *   <li>result blocks and unknown block types are kept as they came; pings, errors, unknown
 *       events and unknown deltas change nothing.
 * </ul>
 *
 * <p>Example, accumulating while printing the text:
 * <pre>{@code
 * MessageAccumulator acc = new MessageAccumulator();
 * for (StreamEvent e : events) {
 *     acc.accept(e);
 *     if (e instanceof ContentBlockDelta(int i, TextDelta(String text))) System.out.print(text);
 * }
 * Message message = acc.result();
 * }</pre>
 *
 * <p>Threading: one thread at a time calls {@link #accept}; {@link #snapshot()},
 * {@link #isComplete()} and {@link #result()} may be called from any thread at any time.
 * All mutable state is guarded by {@code lock}; a snapshot is immutable, consistent (taken between
 * two events) and never smaller than an earlier one.
 *
 * <p>Cost: taking a snapshot costs O(blocks changed since the last one), not O(what arrived): a
 * block's text (and a tool input's text and its string being read) is held as an immutable view of
 * append-only storage, and a changed block is built only when the snapshot's
 * {@code content().get(i)} (or iteration, {@code equals}, {@code toString}) first reads it, then
 * kept. Reading a block costs its strings' length once; so a snapshot after every delta is linear in
 * the stream's length, and so is reading every snapshot's tool {@code input()} map, whose closed
 * values are shared and whose open string is built only if read. Reading every snapshot's whole
 * text is, by its nature, quadratic: to follow the text as it grows, use the deltas (or a
 * {@link dev.sluice.client.StreamListener}'s {@code textSoFar} view).
 */
public final class MessageAccumulator implements Accumulator<StreamEvent, Message> {
    private static final Message EMPTY =
            new Message("", "message", "assistant", "", List.of(), null, null, MessageUsage.empty());

    private final ReentrantLock lock = new ReentrantLock();
    // --- guarded by lock
    private @Nullable Message start; // from message_start, content ignored
    private String model = ""; // start's, or the last fallback block's target
    private final TreeMap<Integer, BlockState> blocks = new TreeMap<>();
    private @Nullable String stopReason;
    private @Nullable String stopSequence;
    private MessageUsage usage = MessageUsage.empty(); // start's from message_start on
    private @Nullable StopDetails stopDetails;
    private @Nullable Container container;
    private @Nullable ContextManagement contextManagement;
    private @Nullable Message cached; // the last snapshot, null when stale
    // --- written under lock, read from any thread
    private volatile boolean complete;

    /** Creates an accumulator that has seen no event. */
    public MessageAccumulator() {}

    /**
     * Applies one event.
     *
     * @throws ProtocolException if the event cannot follow the events before it (a block event
     *     before {@code message_start} or for a block that has not started, a second start of a
     *     block or of the message, any event but a ping after {@code message_stop})
     * @throws NullPointerException if {@code event} is null
     */
    @Override
    public void accept(StreamEvent event) {
        Objects.requireNonNull(event, "event");
        lock.lock();
        try {
            if (complete && !(event instanceof Ping)) {
                throw order("'" + event.type() + "' event after message_stop");
            }
            // the most frequent event first: this runs for every event
            if (event instanceof ContentBlockDelta d) {
                block(event, d.index()).apply(d.delta());
            } else if (event instanceof ContentBlockStop s) {
                block(event, s.index()).stop();
            } else if (event instanceof MessageStart s) {
                Message m = s.message();
                if (start != null) throw order("a second message_start");
                start = m;
                model = m.model();
                usage = m.usage();
                stopReason = m.stopReason();
                stopSequence = m.stopSequence();
                stopDetails = m.stopDetails();
                container = m.container();
                contextManagement = m.contextManagement();
                for (int i = 0; i < m.content().size(); i++) {
                    blocks.put(i, BlockState.of(m.content().get(i)));
                    if (m.content().get(i) instanceof FallbackBlock f
                            && !f.toModel().isEmpty()) model = f.toModel();
                }
            } else if (event instanceof ContentBlockStart s) {
                int index = s.index();
                requireStarted(event);
                if (blocks.containsKey(index)) throw order("a second content_block_start for index " + index);
                blocks.put(index, BlockState.of(s.contentBlock()));
                if (s.contentBlock() instanceof FallbackBlock f && !f.toModel().isEmpty()) model = f.toModel();
            } else if (event instanceof MessageDelta d) {
                requireStarted(event);
                if (d.stopReason() != null) stopReason = d.stopReason();
                if (d.stopSequence() != null) stopSequence = d.stopSequence();
                if (d.stopDetails() != null) stopDetails = d.stopDetails();
                if (d.container() != null) container = d.container();
                if (d.contextManagement() != null) contextManagement = d.contextManagement();
                usage = usage.withUpdates(d.usage());
            } else if (event instanceof MessageStop) {
                requireStarted(event);
                for (BlockState b : blocks.values()) b.stop();
                complete = true;
            } else if (event instanceof Ping || event instanceof ErrorEvent || event instanceof UnknownEvent) {
                return; // nothing changes; the stream's owner turns an error event into an ApiException
            } else {
                throw new AssertionError(
                        "unexpected event class: " + event.getClass().getName());
            }
            cached = null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@return the message accumulated so far; before {@code message_start}, an empty message (no
     * id, no model, no content)} The message is immutable; calling this often is cheap (only blocks
     * changed since the last call are rebuilt).
     */
    @Override
    public Message snapshot() {
        lock.lock();
        try {
            if (start == null) return EMPTY;
            if (cached == null) {
                Object[] content = new Object[blocks.size()];
                int i = 0;
                for (BlockState b : blocks.values()) content[i++] = b.snapshot();
                cached = new Message(
                        start.id(),
                        start.type(),
                        start.role(),
                        model,
                        LazyList.wrap(content),
                        stopReason,
                        stopSequence,
                        usage,
                        stopDetails,
                        container,
                        contextManagement);
            }
            return cached;
        } finally {
            lock.unlock();
        }
    }

    /** {@return the message so far for a failure's partial result, or null before {@code message_start}} */
    @Nullable
    Message partial() {
        lock.lock();
        try {
            return start == null ? null : snapshot();
        } finally {
            lock.unlock();
        }
    }

    /** {@return whether {@code message_stop} has been accepted} */
    @Override
    public boolean isComplete() {
        return complete;
    }

    /**
     * {@return the complete message}
     *
     * @throws IllegalStateException if {@code message_stop} has not been accepted yet; use
     *     {@link #snapshot()} for the partial message
     */
    @Override
    public Message result() {
        if (!complete) {
            throw new IllegalStateException(
                    "the message is not complete: message_stop has not arrived; use snapshot() for the partial message");
        }
        return snapshot();
    }

    /** {@return the text so far of the text block at {@code index}, or null if it is not a started text block} */
    @Nullable
    CharSequence textSoFar(int index) {
        lock.lock();
        try {
            return blocks.get(index) instanceof TextState t ? t.text.view() : null;
        } finally {
            lock.unlock();
        }
    }

    /** {@return the thinking so far of the thinking block at {@code index}, or null if it is not one} */
    @Nullable
    CharSequence thinkingSoFar(int index) {
        lock.lock();
        try {
            return blocks.get(index) instanceof ThinkingState t ? t.thinking.view() : null;
        } finally {
            lock.unlock();
        }
    }

    /** {@return the input so far of the tool-use block at {@code index} (any kind), or null if it is not one} */
    @Nullable
    Map<String, Object> inputSoFar(int index) {
        lock.lock();
        try {
            return blocks.get(index) instanceof ToolState t ? t.input() : null;
        } finally {
            lock.unlock();
        }
    }

    private void requireStarted(StreamEvent event) {
        if (start == null) throw order("'" + event.type() + "' event before message_start");
    }

    private BlockState block(StreamEvent event, int index) {
        requireStarted(event);
        BlockState b = blocks.get(index);
        if (b == null)
            throw order("'" + event.type() + "' event for index " + index + " before its content_block_start");
        return b;
    }

    private static ProtocolException order(String what) {
        return new ProtocolException("Anthropic events in an impossible order: " + what, null);
    }

    // ---------------------------------------------------------------- block states (guarded by lock)

    /**
     * The mutable state of one block, with its last snapshot: a {@code ContentBlock}, or a
     * {@code Deferred} one built from immutable views on first read.
     */
    private abstract static sealed class BlockState {
        private @Nullable Object cached;

        static BlockState of(ContentBlock block) {
            if (block instanceof TextBlock t) return new TextState(t);
            if (block instanceof ToolUseBlock t)
                return new ToolState(true, t.id(), t.name(), null, t.input()).caller(t.caller());
            if (block instanceof ServerToolUseBlock t) return new ToolState(false, t.id(), t.name(), null, t.input());
            if (block instanceof McpToolUseBlock t)
                return new ToolState(false, t.id(), t.name(), t.serverName(), t.input());
            if (block instanceof ThinkingBlock t) return new ThinkingState(t);
            if (block instanceof CompactionBlock c) return new CompactionState(c);
            if (block instanceof RedactedThinkingBlock
                    || block instanceof OtherBlock
                    || block instanceof ServerToolResultBlock
                    || block instanceof McpToolResultBlock
                    || block instanceof ContainerUploadBlock
                    || block instanceof FallbackBlock) {
                return new FixedState(block); // complete when it starts
            }
            throw new AssertionError(
                    "unexpected block class: " + block.getClass().getName());
        }

        final Object snapshot() {
            Object c = cached;
            if (c == null) cached = c = build();
            return c;
        }

        final void apply(Delta delta) {
            if (update(delta)) cached = null;
        }

        final void stop() {
            if (finish()) cached = null;
        }

        /** {@return whether the delta changed the block} Deltas of another block's kind are ignored. */
        abstract boolean update(Delta delta);

        /** {@return whether stopping changed the block} */
        boolean finish() {
            return false;
        }

        /** {@return the block, or a {@code Deferred} block that captures only immutable values} */
        abstract Object build();
    }

    private static final class TextState extends BlockState {
        private final StringParts text;
        private final List<Citation> citations;

        TextState(TextBlock start) {
            text = new StringParts(start.text());
            citations = new ArrayList<>(start.citations());
        }

        @Override
        boolean update(Delta delta) {
            if (delta instanceof TextDelta t) {
                text.append(t.text());
            } else if (delta instanceof CitationsDelta c) {
                citations.add(c.citation());
            } else {
                return false;
            }
            return true;
        }

        @Override
        Object build() {
            TextView now = text.view();
            List<Citation> cited = List.copyOf(citations);
            return new Deferred<ContentBlock>(() -> new TextBlock(now.toString(), cited));
        }
    }

    private static final class ThinkingState extends BlockState {
        private final StringParts thinking;
        private @Nullable StringParts signature;

        ThinkingState(ThinkingBlock start) {
            thinking = new StringParts(start.thinking());
            signature = start.signature() == null ? null : new StringParts(start.signature());
        }

        @Override
        boolean update(Delta delta) {
            if (delta instanceof ThinkingDelta t) {
                thinking.append(t.thinking());
            } else if (delta instanceof SignatureDelta s) {
                if (signature == null) signature = new StringParts();
                signature.append(s.signature());
            } else {
                return false;
            }
            return true;
        }

        @Override
        Object build() {
            TextView now = thinking.view();
            TextView signed = signature == null ? null : signature.view();
            return new Deferred<ContentBlock>(
                    () -> new ThinkingBlock(now.toString(), signed == null ? null : signed.toString()));
        }
    }

    private static final class ToolState extends BlockState {
        private final boolean client;
        private final String id;
        private final String name;
        private final @Nullable String serverName; // an MCP tool's server; null for the others
        private final Map<String, Object> startInput;
        private final StringParts text = new StringParts(); // the input_json_delta pieces, as they came
        private @Nullable PartialJson partial; // made when the partial input is first asked for while
        // streaming, then fed every piece
        private boolean stopped;
        private @Nullable ToolInput finalInput; // set at stop when some input arrived; parsed when first read
        private @Nullable Map<String, Object> caller; // a client tool's caller, as its start sent it; null: none

        ToolState(boolean client, String id, String name, @Nullable String serverName, Map<String, Object> startInput) {
            this.client = client;
            this.id = id;
            this.name = name;
            this.serverName = serverName;
            this.startInput = startInput;
        }

        ToolState caller(@Nullable Map<String, Object> caller) {
            this.caller = caller;
            return this;
        }

        @Override
        boolean update(Delta delta) {
            if (!(delta instanceof InputJsonDelta(String piece)) || stopped) return false;
            if (piece.isEmpty()) return false;
            text.append(piece);
            if (partial != null) partial.append(piece);
            return true;
        }

        @Override
        boolean finish() {
            if (stopped) return false;
            stopped = true;
            // nobody asked for the partial input: the whole text is parsed once, when first read, if ever
            if (!text.isEmpty()) {
                finalInput = partial == null
                        ? ToolInput.parsedOnDemand(text.view())
                        : ToolInput.finished(text.view(), partial);
            }
            return true;
        }

        /** The best-effort value while the input streams: a partial, shown as a partial. */
        @SuppressWarnings("unchecked")
        private Map<String, Object> bestEffort() {
            if (partial == null) {
                partial = new PartialJson();
                partial.append(text.view()); // once; every later piece is fed as it comes
            }
            return partial.snapshot() instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        }

        Map<String, Object> input() {
            if (finalInput != null) return finalInput.input();
            return text.isEmpty() ? startInput : bestEffort();
        }

        @Override
        Object build() {
            ToolInput input;
            if (finalInput != null) {
                input = finalInput;
            } else if (text.isEmpty()) {
                input = null; // the start's own input, written as JSON when the block is built
            } else {
                // streaming: O(open members), closed values shared, the open string a view
                input = ToolInput.streaming(bestEffort(), text.view());
            }
            Map<String, Object> start = startInput;
            boolean clientTool = client;
            String id = this.id;
            String name = this.name;
            String server = serverName;
            Map<String, Object> by = caller;
            return new Deferred<ContentBlock>(() -> {
                ToolInput in = input != null ? input : ToolInput.of(start, Json.write(start), Optional.empty());
                if (clientTool) return new ToolUseBlock(id, name, in, by);
                return server == null
                        ? new ServerToolUseBlock(id, name, in)
                        : new McpToolUseBlock(id, name, server, in);
            });
        }
    }

    /** A compaction block: each field a {@code compaction_delta} carries replaces the block's. */
    private static final class CompactionState extends BlockState {
        private @Nullable String content;
        private @Nullable String encryptedContent;

        CompactionState(CompactionBlock start) {
            content = start.content();
            encryptedContent = start.encryptedContent();
        }

        @Override
        boolean update(Delta delta) {
            if (!(delta instanceof CompactionDelta d)) return false;
            if (d.content() != null) content = d.content();
            if (d.encryptedContent() != null) encryptedContent = d.encryptedContent();
            return true;
        }

        @Override
        Object build() {
            return new CompactionBlock(content, encryptedContent);
        }
    }

    private static final class FixedState extends BlockState {
        private final ContentBlock block;

        FixedState(ContentBlock block) {
            this.block = block;
        }

        @Override
        boolean update(Delta delta) {
            return false;
        }

        @Override
        Object build() {
            return block;
        }
    }
}
