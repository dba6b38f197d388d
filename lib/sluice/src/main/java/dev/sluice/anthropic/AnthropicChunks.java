package dev.sluice.anthropic;

import dev.sluice.ProtocolException;
import dev.sluice.chat.ChunkMetadata;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.PartialJson;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.ToolCallDelta;
import dev.sluice.chat.Usage;
import dev.sluice.internal.low.json.Json;
import dev.sluice.internal.low.json.JsonOut;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Maps the events of one Anthropic stream, in order, to provider-neutral {@link MessageChunk}s:
 * zero or one chunk per event. Stateful: it remembers the message's id and model, which block
 * index is which kind of block, the tool-call ordinal of each {@code tool_use} block, and the
 * running usage.
 *
 * <ul>
 *   <li>{@code message_start}: a chunk with the id, and the usage so far; every later chunk also
 *       carries the id, and the model in its metadata;
 *   <li>{@code content_block_start} of a {@code tool_use} block: a {@link ToolCallDelta#start}
 *       with the call's id and name; its index is the ordinal of the block among this message's
 *       {@code tool_use} blocks (0, 1, ...), not the content-block index. A text or thinking block
 *       that starts with text (the API starts them empty) gives a chunk with that text;
 *   <li>{@code text_delta}, {@code thinking_delta}: a text or thinking chunk;
 *       {@code input_json_delta} of a {@code tool_use} block: a {@link ToolCallDelta#arguments}
 *       chunk for its call. Empty pieces give no chunk. A delta of a kind its block does not take
 *       gives no chunk (the {@link MessageAccumulator} ignores it too);
 *   <li>{@code content_block_stop} of a {@code tool_use} block that started with a non-empty
 *       input and received no input piece: that input as the arguments (so the aggregated call
 *       has the same input as the accumulated block);
 *   <li>{@code message_delta}: a chunk with the finish reason ({@link FinishReason#fromAnthropic},
 *       with {@code stop_details.explanation} as its message: a refusal's) when it carries a stop
 *       reason, and the usage as running totals: the {@code message_start}
 *       usage, each field present in a {@code message_delta}'s usage replacing it;
 *   <li>opaque state: once a message has a {@code thinking}, {@code redacted_thinking},
 *       {@code compaction}, {@code fallback}, server-tool or MCP block, the {@code message_delta} chunk also carries
 *       a {@link ProviderState} (named as the route names its provider: {@value #PROVIDER} on
 *       Anthropic's API, {@code bedrock-anthropic}, {@code vertex-anthropic}, {@code foundry-anthropic}) that
 *       the {@link AnthropicRequests} turns back into the same blocks, signatures intact, when the
 *       response is repeated in a tool loop's next request: a JSON array of the message's blocks
 *       in index order, thinking ones whole ({@code {"type":"thinking","thinking":..,"signature":..}},
 *       {@code {"type":"redacted_thinking","data":..}}), compaction blocks with their {@code content}
 *       and {@code encrypted_content} as they came, fallback blocks whole, server-tool and MCP calls (their
 *       input as streamed) and results and container uploads whole (so a {@code pause_turn}
 *       continuation sends them back, and they too set off the state); text and tool-use blocks as placeholders
 *       ({@code {"type":"text"}}, {@code {"type":"tool_use","id":..}}) that keep their positions;
 *   <li>a {@code fallback} block: the chunks after it carry its {@code to.model} as their model
 *       (the model that answers from there on, as the official SDKs relabel the message);
 *   <li>no chunk: {@code server_tool_use} blocks and their input (the API runs server tools
 *       itself and answers with a result block; they are not calls for the caller to make, and
 *       they do not take a tool-call ordinal), result and other kept-whole blocks, redacted
 *       thinking, {@code signature_delta}, {@code citations_delta}, unknown deltas,
 *       {@code message_stop}, {@code ping}, {@code error} (the stream's owner turns it into an
 *       exception before it gets here) and unknown events.
 * </ul>
 *
 * <p>Usage: {@code input_tokens}, {@code output_tokens}, {@code cache_read_input_tokens} and
 * {@code cache_creation_input_tokens} become {@link dev.sluice.chat.Usage}'s input, output, cache
 * read and cache write counts (0 when absent).
 *
 * <p>Metadata: the model from {@code message_start}, the {@link Clock}'s instant when the event
 * was mapped, and the time since the request was sent, from the given nano clock.
 *
 * <p>Threading: confined to the thread that reads the stream (the producer thread); not
 * thread-safe. The chunks are immutable.
 */
final class AnthropicChunks {
    private enum Kind {
        TEXT,
        THINKING,
        TOOL,
        COMPACTION,
        SERVER_TOOL,
        OTHER
    }

    /** The {@link ProviderState#provider()} of the state Anthropic's own API's mapper writes. */
    static final String PROVIDER = "anthropic";

    private final String provider;

    private final Clock clock;
    private final LongSupplier nanoTime;
    private final long requestStartNanos;
    // --- confined to the stream's reading thread
    private boolean started;
    private String id = "";
    private String model = "";
    private MessageUsage usage = MessageUsage.empty();
    private final Map<Integer, Kind> kinds = new HashMap<>();
    private final Map<Integer, ToolBlock> tools = new HashMap<>(); // by content-block index
    private int nextToolOrdinal;
    private final TreeMap<Integer, ReplayBlock> replay = new TreeMap<>(); // by content-block index
    private boolean opaqueSeen;

    /** A block as the provider state records it; thinking text and signature grow with their deltas. */
    private static final class ReplayBlock {
        final String type;
        final @Nullable String idOrData;
        final StringBuilder thinking = new StringBuilder();
        final StringBuilder signature = new StringBuilder();

        @Nullable
        String content; // compaction

        @Nullable
        String encryptedContent; // compaction

        @Nullable
        Map<String, Object> whole; // fallback, server and MCP blocks: the block as it came (a call's input apart)

        final StringBuilder input = new StringBuilder(); // a server or MCP call's input_json_delta pieces

        ReplayBlock(String type, @Nullable String idOrData) {
            this.type = type;
            this.idOrData = idOrData;
        }

        Map<String, @Nullable Object> json() {
            Map<String, @Nullable Object> o = new LinkedHashMap<>();
            o.put("type", type);
            switch (type) {
                case "thinking" -> {
                    o.put("thinking", thinking.toString());
                    o.put("signature", signature.toString());
                }
                case "redacted_thinking" -> o.put("data", idOrData);
                case "tool_use" -> {
                    o.put("id", idOrData);
                    if (whole != null) o.put("caller", whole);
                }
                case "compaction" -> {
                    o.put("content", content);
                    o.put("encrypted_content", encryptedContent);
                }
                case "text" -> {}
                default -> {
                    o.clear();
                    o.putAll(Objects.requireNonNull(whole, "kept for every block of another type"));
                    if (!input.isEmpty()) {
                        PartialJson.Result parsed = PartialJson.parse(input.toString());
                        if (parsed.isValid() && parsed.value() instanceof Map<?, ?>) o.put("input", parsed.value());
                    }
                }
            }
            return o;
        }
    }

    /** A {@code tool_use} block: its call's ordinal, and whether its input came in pieces. */
    private static final class ToolBlock {
        final int ordinal;
        final Map<String, Object> startInput;
        boolean received;

        ToolBlock(int ordinal, Map<String, Object> startInput) {
            this.ordinal = ordinal;
            this.startInput = startInput;
        }
    }

    /**
     * @param clock the wall clock for {@link ChunkMetadata#timestamp()}
     * @param nanoTime the monotonic clock the request start was read from
     * @param requestStartNanos {@code nanoTime} when the request was sent
     */
    AnthropicChunks(Clock clock, LongSupplier nanoTime, long requestStartNanos) {
        this(PROVIDER, clock, nanoTime, requestStartNanos);
    }

    /**
     * @param provider the {@link ProviderState#provider()} of the state it writes: the route's
     *     {@link AnthropicRoute#provider()}
     * @param clock the wall clock for {@link ChunkMetadata#timestamp()}
     * @param nanoTime the monotonic clock the request start was read from
     * @param requestStartNanos {@code nanoTime} when the request was sent
     */
    AnthropicChunks(String provider, Clock clock, LongSupplier nanoTime, long requestStartNanos) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.requestStartNanos = requestStartNanos;
    }

    /**
     * Maps the next event of the stream.
     *
     * @param event the event
     * @return the chunk it gives, or empty
     * @throws ProtocolException if the event cannot follow the events before it: anything but a
     *     ping, an error or an unknown event before {@code message_start}, a second
     *     {@code message_start}, a second start of a block, a delta or stop of a block that has
     *     not started; or if a usage count is negative
     */
    Optional<MessageChunk> map(StreamEvent event) {
        Objects.requireNonNull(event, "event");
        return switch (event) {
            case MessageStart(Message m) -> {
                if (started) throw order("a second message_start");
                started = true;
                id = m.id();
                model = m.model();
                usage = m.usage();
                MessageChunk.Builder b = builder().usage(chatUsage());
                if (m.stopReason() != null) b.finishReason(FinishReason.fromAnthropic(m.stopReason()));
                for (int i = 0; i < m.content().size(); i++)
                    startBlock(i, m.content().get(i), b);
                yield Optional.of(b.build());
            }
            case ContentBlockStart(int index, ContentBlock block) -> {
                requireStarted(event);
                if (kinds.containsKey(index)) throw order("a second content_block_start for index " + index);
                MessageChunk.Builder b = builder();
                yield startBlock(index, block, b) ? Optional.of(b.build()) : Optional.empty();
            }
            case ContentBlockDelta(int index, Delta delta) -> delta(event, index, delta);
            case ContentBlockStop(int index) -> {
                kind(event, index);
                ToolBlock tool = tools.get(index);
                if (tool == null || tool.received || tool.startInput.isEmpty()) yield Optional.empty();
                tool.received = true;
                yield Optional.of(builder()
                        .toolCall(ToolCallDelta.arguments(tool.ordinal, Json.write(tool.startInput)))
                        .build());
            }
            case MessageDelta(
                    String stopReason,
                    String stopSequence,
                    MessageUsage update,
                    StopDetails details,
                    Container container,
                    ContextManagement contextManagement) -> {
                requireStarted(event);
                if (stopReason == null && update.fields().isEmpty()) yield Optional.empty();
                usage = usage.withUpdates(update);
                MessageChunk.Builder b = builder().usage(chatUsage());
                if (stopReason != null) {
                    b.finishReason(FinishReason.fromAnthropic(stopReason)
                            .withMessage(details == null ? null : details.explanation()));
                }
                if (opaqueSeen) b.providerState(providerState());
                yield Optional.of(b.build());
            }
            case MessageStop() -> {
                requireStarted(event);
                yield Optional.empty();
            }
            case Ping p -> Optional.empty();
            case ErrorEvent e -> Optional.empty();
            case UnknownEvent u -> Optional.empty();
        };
    }

    /**
     * {@return the type of what an event brings that the provider-neutral view has no place for
     * (an event, a block or a delta of a type this client does not know), or null} Its observers are
     * told, so that nothing is dropped silently; the typed stream delivers these events as they are.
     */
    static @Nullable String leftOut(StreamEvent event) {
        return switch (event) {
            case UnknownEvent u -> u.type();
            case ContentBlockStart(int index, OtherBlock block) -> block.type();
            case ContentBlockDelta(int index, UnknownDelta delta) -> delta.type();
            default -> null;
        };
    }

    /** Records a starting block; {@return whether it added something to {@code b}} */
    private boolean startBlock(int index, ContentBlock block, MessageChunk.Builder b) {
        return switch (block) {
            case TextBlock t -> {
                kinds.put(index, Kind.TEXT);
                replay.put(index, new ReplayBlock("text", null));
                if (t.text().isEmpty()) yield false;
                b.text(t.text());
                yield true;
            }
            case ThinkingBlock t -> {
                kinds.put(index, Kind.THINKING);
                ReplayBlock r = new ReplayBlock("thinking", null);
                r.thinking.append(t.thinking());
                if (t.signature() != null) r.signature.append(t.signature());
                replay.put(index, r);
                opaqueSeen = true;
                if (t.thinking().isEmpty()) yield false;
                b.thinking(t.thinking());
                yield true;
            }
            case ToolUseBlock t -> {
                kinds.put(index, Kind.TOOL);
                ToolBlock tool = new ToolBlock(nextToolOrdinal++, t.input());
                tools.put(index, tool);
                ReplayBlock r = new ReplayBlock("tool_use", t.id());
                r.whole = t.caller(); // the caller, when the API named one: it goes back with the call
                replay.put(index, r);
                b.toolCall(ToolCallDelta.start(tool.ordinal, t.id(), t.name(), ""));
                yield true;
            }
            case RedactedThinkingBlock r -> {
                kinds.put(index, Kind.OTHER);
                replay.put(index, new ReplayBlock("redacted_thinking", r.data()));
                opaqueSeen = true;
                yield false;
            }
            case CompactionBlock c -> {
                kinds.put(index, Kind.COMPACTION);
                ReplayBlock r = new ReplayBlock("compaction", null);
                r.content = c.content();
                r.encryptedContent = c.encryptedContent();
                replay.put(index, r);
                opaqueSeen = true;
                yield false;
            }
            case FallbackBlock f -> {
                kinds.put(index, Kind.OTHER);
                ReplayBlock r = new ReplayBlock("fallback", null);
                r.whole = f.json();
                replay.put(index, r);
                opaqueSeen = true;
                if (!f.toModel().isEmpty()) model = f.toModel(); // the next chunks are the fallback model's
                yield false;
            }
            case ServerToolUseBlock t ->
                verbatim(index, Kind.SERVER_TOOL, toolJson("server_tool_use", t.id(), t.name(), null, t.input()));
            case McpToolUseBlock t ->
                verbatim(
                        index, Kind.SERVER_TOOL, toolJson("mcp_tool_use", t.id(), t.name(), t.serverName(), t.input()));
            case ServerToolResultBlock r -> verbatim(index, Kind.OTHER, r.json());
            case McpToolResultBlock r -> verbatim(index, Kind.OTHER, r.json());
            case ContainerUploadBlock c -> verbatim(index, Kind.OTHER, c.json());
            default -> {
                kinds.put(index, Kind.OTHER);
                yield false;
            }
        };
    }

    /** Records a block the state keeps as it came (server and MCP tools run at the API; a continuation sends them back). */
    private boolean verbatim(int index, Kind kind, Map<String, Object> json) {
        kinds.put(index, kind);
        ReplayBlock r = new ReplayBlock(String.valueOf(json.get("type")), null);
        r.whole = json;
        replay.put(index, r);
        opaqueSeen = true;
        return false;
    }

    private static Map<String, Object> toolJson(
            String type, String id, String name, @Nullable String serverName, Map<String, Object> input) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("type", type);
        o.put("id", id);
        o.put("name", name);
        if (serverName != null) o.put("server_name", serverName);
        o.put("input", input);
        return o;
    }

    private ProviderState providerState() {
        List<Object> blocks = new ArrayList<>(replay.size());
        for (ReplayBlock r : replay.values()) blocks.add(r.json());
        return new ProviderState(provider, JsonOut.write(blocks));
    }

    private Optional<MessageChunk> delta(StreamEvent event, int index, Delta delta) {
        Kind kind = kind(event, index);
        return switch (delta) {
            case TextDelta(String text)
            when kind == Kind.TEXT && !text.isEmpty() ->
                Optional.of(builder().text(text).build());
            case ThinkingDelta(String thinking)
            when kind == Kind.THINKING && !thinking.isEmpty() -> {
                replay(index).thinking.append(thinking);
                yield Optional.of(builder().thinking(thinking).build());
            }
            case InputJsonDelta(String piece)
            when kind == Kind.TOOL && !piece.isEmpty() -> {
                ToolBlock tool = Objects.requireNonNull(tools.get(index), "recorded with its kind");
                tool.received = true;
                yield Optional.of(builder()
                        .toolCall(ToolCallDelta.arguments(tool.ordinal, piece))
                        .build());
            }
            case SignatureDelta(String signature)
            when kind == Kind.THINKING -> {
                replay(index).signature.append(signature);
                yield Optional.empty();
            }
            case InputJsonDelta(String piece)
            when kind == Kind.SERVER_TOOL -> {
                replay(index).input.append(piece);
                yield Optional.empty();
            }
            case CompactionDelta(String content, String encrypted)
            when kind == Kind.COMPACTION -> {
                ReplayBlock r = replay(index);
                if (content != null) r.content = content;
                if (encrypted != null) r.encryptedContent = encrypted;
                yield Optional.empty();
            }
            default -> Optional.empty();
        };
    }

    private MessageChunk.Builder builder() {
        long elapsed = Math.max(0, nanoTime.getAsLong() - requestStartNanos);
        return MessageChunk.builder(new ChunkMetadata(model, clock.instant(), Duration.ofNanos(elapsed)))
                .id(id);
    }

    private Usage chatUsage() {
        return new Usage(
                count("input_tokens", usage.inputTokens()),
                count("output_tokens", usage.outputTokens()),
                count("cache_read_input_tokens", usage.cacheReadInputTokens()),
                count("cache_creation_input_tokens", usage.cacheCreationInputTokens()));
    }

    private static long count(String field, @Nullable Long n) {
        if (n == null) return 0;
        if (n < 0) throw new ProtocolException("Anthropic usage field " + field + " is negative: " + n, null);
        return n;
    }

    /** {@return the replay block at {@code index}, recorded with the kind a delta was checked against} */
    private ReplayBlock replay(int index) {
        return Objects.requireNonNull(replay.get(index), "recorded with its kind");
    }

    private void requireStarted(StreamEvent event) {
        if (!started) throw order("'" + event.type() + "' event before message_start");
    }

    private Kind kind(StreamEvent event, int index) {
        requireStarted(event);
        Kind kind = kinds.get(index);
        if (kind == null)
            throw order("'" + event.type() + "' event for index " + index + " before its content_block_start");
        return kind;
    }

    private static ProtocolException order(String what) {
        return new ProtocolException("Anthropic events in an impossible order: " + what, null);
    }
}
