package dev.sluice.anthropic;

import dev.sluice.ApiException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import dev.sluice.chat.Usage;
import dev.sluice.internal.call.stream.OneEventPerSseFraming;
import dev.sluice.internal.call.stream.SseFraming;
import dev.sluice.internal.call.stream.StreamRules;
import dev.sluice.internal.call.stream.StreamRules.InBandError;
import dev.sluice.sse.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The rules of an Anthropic Messages stream ({@link #RULES}), shared by every way of reading one —
 * every route's live stream, whatever its framing (Server-Sent Events through {@link #SSE}, Bedrock's
 * event stream through {@link BedrockRoute}), and {@link MessageStream#replay} — so that they cannot
 * drift apart: turn an {@code error} event into an {@link ApiException}, end at
 * {@code message_stop}, and report a body that ends before it as an {@link IncompleteStreamException}.
 *
 * <p>For a live stream, the content events (counted by the timeouts and the chunk limit) are the
 * content-block events, {@code message_delta} and {@code message_stop}; {@code message_start},
 * pings and unknown events are not content. The events of substance are the content events that
 * carry something: every one except a block start that only announces its block (a text or
 * thinking block still empty, a {@code tool_use} or {@code server_tool_use} block whose input is to
 * come in deltas) and a delta that is empty. Everything before the first event of substance
 * ({@code message_start}, pings, such a block start, an empty delta) is held back so that an error
 * before it — the in-band errors worth retrying are {@code overloaded_error}, {@code api_error} and
 * {@code rate_limit_error} — is retried unseen: a tool call's start is delivered with the first
 * piece of its input (or its {@code content_block_stop}), so a user never sees the start of a tool
 * call from an attempt that was dropped. A block start that carries its content whole (redacted
 * thinking, a block type Sluice does not know) is substance.
 *
 * <p>Threading: an instance is used by the one thread that reads the stream; {@link #RULES} and
 * {@link #SSE} are stateless.
 */
final class AnthropicStreamDecoding {
    private static final AnthropicEventDecoder DECODER = new AnthropicEventDecoder();
    /** The in-band error types that a reopening may fix. */
    static final Set<String> RETRYABLE_ERROR_TYPES = Set.of("overloaded_error", "api_error", "rate_limit_error");
    /** The rules of the family's streams, for {@link dev.sluice.internal.call.stream.StreamingCall} and the replay. */
    static final StreamRules<StreamEvent> RULES = new Rules();
    /** The Server-Sent Events of Anthropic's API (and of every route that sends them). */
    static final SseFraming<StreamEvent> SSE = new Sse();

    private static final byte[] MESSAGE_STOP_DATA = ascii("{\"type\":\"message_stop\"}");
    private static final byte[] PING_DATA = ascii("{\"type\": \"ping\"}");
    private static final byte[] PING_DATA_COMPACT = ascii("{\"type\":\"ping\"}");
    private static final byte[] BLOCK_STOP_PREFIX = ascii("{\"type\":\"content_block_stop\",\"index\":");
    private static final byte[] BLOCK_STOP_SUFFIX = ascii("}");
    private static final byte[] BLOCK_START_PREFIX = ascii("{\"type\":\"content_block_start\",\"index\":");
    private static final byte[] EMPTY_TEXT_BLOCK_SUFFIX =
            ascii(",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    private static final TextBlock EMPTY_TEXT_BLOCK = TextBlock.of("");

    private final int httpStatus;
    private boolean stopped;

    /**
     * The hot path of a live stream: the events read straight from their data bytes when they have
     * exactly the compact shape the API sends — text and other deltas ({@link CompactDeltaScanner}),
     * the start of a text block, {@code content_block_stop}, {@code message_stop} and pings — and
     * whose SSE event name agrees
     * with their {@code type}. {@return the event, or null for anything else} (then it is decoded
     * by Jackson, which gives the same event or reports the error): so a stream of thousands of
     * small events touches Jackson only for the few that carry a message or usage.
     */
    static @Nullable StreamEvent decodeCompact(String type, byte[] data, int offset, int length) {
        return switch (type) {
            case "content_block_delta" -> CompactDeltaScanner.scan(data, offset, length);
            case "content_block_start" -> textBlockStart(data, offset, length);
            case "content_block_stop" -> blockStop(data, offset, length);
            case "message_stop" ->
                equal(data, offset, length, MESSAGE_STOP_DATA) ? AnthropicEventDecoder.MESSAGE_STOP : null;
            case "ping" ->
                equal(data, offset, length, PING_DATA) || equal(data, offset, length, PING_DATA_COMPACT)
                        ? AnthropicEventDecoder.PING
                        : null;
            default -> null;
        };
    }

    /** {@code {"type":"content_block_stop","index":N}}; else null. */
    private static @Nullable ContentBlockStop blockStop(byte[] data, int offset, int length) {
        int index = index(data, offset, length, BLOCK_STOP_PREFIX, BLOCK_STOP_SUFFIX);
        return index < 0 ? null : new ContentBlockStop(index);
    }

    /** {@code {"type":"content_block_start","index":N,"content_block":{"type":"text","text":""}}}; else null. */
    private static @Nullable ContentBlockStart textBlockStart(byte[] data, int offset, int length) {
        int index = index(data, offset, length, BLOCK_START_PREFIX, EMPTY_TEXT_BLOCK_SUFFIX);
        return index < 0 ? null : new ContentBlockStart(index, EMPTY_TEXT_BLOCK);
    }

    /**
     * {@return N when the data is exactly {@code prefix N suffix}, N as {@link CompactDeltaScanner}
     * reads an index (1 to 9 digits, no leading zero), else -1}
     */
    private static int index(byte[] data, int offset, int length, byte[] prefix, byte[] suffix) {
        int from = offset + prefix.length;
        int to = offset + length - suffix.length;
        if (to < from
                || !Arrays.equals(data, offset, from, prefix, 0, prefix.length)
                || !Arrays.equals(data, to, offset + length, suffix, 0, suffix.length)) {
            return -1;
        }
        return CompactDeltaScanner.index(data, from, to);
    }

    private static boolean equal(byte[] data, int offset, int length, byte[] expected) {
        return length == expected.length && Arrays.equals(data, offset, offset + length, expected, 0, length);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** @param httpStatus the status the stream's response had, for the ApiException of an error event */
    AnthropicStreamDecoding(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /**
     * {@return the decoded event, never an {@link ErrorEvent}}
     *
     * @throws ApiException for an {@code error} event ({@link ApiException#inStream()} true)
     * @throws dev.sluice.ProtocolException for malformed JSON
     */
    StreamEvent decode(SseEvent event) {
        StreamEvent decoded = DECODER.decode(event);
        if (decoded instanceof ErrorEvent error) throw inBandError(error).exception(httpStatus, Map.of());
        if (decoded instanceof MessageStop) stopped = true;
        return decoded;
    }

    /**
     * As {@link #decode(SseEvent)} for an event read by {@link #decodeCompact(String, byte[], int, int)}
     * straight from its bytes. {@return the event, or null when the bytes path declines it (then
     * decode its SseEvent)}
     */
    @Nullable
    StreamEvent decodeBytes(String type, byte[] data, int offset, int length) {
        StreamEvent decoded = decodeCompact(type, data, offset, length);
        if (decoded instanceof MessageStop) stopped = true;
        return decoded;
    }

    /** {@return whether the event ends the stream: {@code message_stop}} */
    static boolean isTerminal(StreamEvent event) {
        return event instanceof MessageStop;
    }

    /** {@return whether the event is of substance (see the class description)} */
    static boolean isSubstance(StreamEvent event) {
        if (event instanceof ContentBlockStart start) return !announcesOnly(start.contentBlock());
        if (event instanceof ContentBlockDelta delta) return !isEmpty(delta.delta());
        return isContent(event);
    }

    // instanceof chains rather than pattern switches: a switch on types links a bootstrap method
    // the first time it runs, as a lambda does, on a fresh JVM's way to its first event.

    /** {@return whether a block at its start carries nothing yet: its content comes in deltas} */
    private static boolean announcesOnly(ContentBlock block) {
        if (block instanceof TextBlock t)
            return t.text().isEmpty() && t.citations().isEmpty();
        if (block instanceof ThinkingBlock t)
            return t.thinking().isEmpty()
                    && (t.signature() == null || t.signature().isEmpty());
        if (block instanceof ToolUseBlock t) return t.input().isEmpty();
        if (block instanceof ServerToolUseBlock t) return t.input().isEmpty();
        return false; // whole at its start: redacted thinking, a block type Sluice does not know
    }

    /** {@return whether a delta adds nothing} (a citation, a delta type Sluice does not know: something) */
    private static boolean isEmpty(Delta delta) {
        if (delta instanceof TextDelta d) return d.text().isEmpty();
        if (delta instanceof InputJsonDelta d) return d.partialJson().isEmpty();
        if (delta instanceof ThinkingDelta d) return d.thinking().isEmpty();
        if (delta instanceof SignatureDelta d) return d.signature().isEmpty();
        return false;
    }

    /** {@return whether the event carries content (see the class description)} */
    static boolean isContent(StreamEvent event) {
        return !(event instanceof MessageStart
                || event instanceof Ping
                || event instanceof UnknownEvent
                || event instanceof ErrorEvent);
    }

    /** {@return whether {@code message_stop} has been decoded} */
    boolean stopped() {
        return stopped;
    }

    /** {@return the failure of a body that ended before {@code message_stop}} */
    static IncompleteStreamException incomplete() {
        return new IncompleteStreamException(
                "stream ended before message_stop: the connection closed early; " + "the partial message is attached");
    }

    /** {@return an in-stream {@code error} event as the call makes its exception of it} */
    static InBandError inBandError(ErrorEvent error) {
        return new InBandError(error.errorType(), error.message(), RETRYABLE_ERROR_TYPES.contains(error.errorType()));
    }

    /**
     * {@link #SSE}: each event decodes to exactly one event (error events passed on as events), the
     * compact shapes straight from their bytes ({@link #decodeCompact}). Stateless.
     */
    private static final class Sse extends OneEventPerSseFraming<StreamEvent> {
        @Override
        protected StreamEvent decodeOne(SseEvent event) {
            return DECODER.decode(event);
        }

        @Override
        protected @Nullable StreamEvent decodeOne(String type, byte[] data, int offset, int length) {
            return decodeCompact(type, data, offset, length);
        }
    }

    /**
     * {@link #RULES}: {@code message_stop} ends the stream, and a body that ends before it is
     * {@link #incomplete()}. A class rather than functions put together: one call per rule on the
     * per-event path, and no lambda for a fresh JVM to link before its first event. Stateless.
     */
    private static final class Rules implements StreamRules<StreamEvent> {
        @Override
        public boolean isContent(StreamEvent event) {
            return AnthropicStreamDecoding.isContent(event);
        }

        @Override
        public boolean isSubstance(StreamEvent event) {
            return AnthropicStreamDecoding.isSubstance(event);
        }

        @Override
        public boolean isTerminal(StreamEvent event) {
            return AnthropicStreamDecoding.isTerminal(event);
        }

        @Override
        public Optional<InBandError> inBandError(StreamEvent event) {
            return event instanceof ErrorEvent error
                    ? Optional.of(AnthropicStreamDecoding.inBandError(error))
                    : Optional.empty();
        }

        @Override
        public Optional<SluiceException> endOfInput() {
            return Optional.of(AnthropicStreamDecoding.incomplete());
        }

        @Override
        public @Nullable Usage usage(StreamEvent event) {
            return AnthropicStreamDecoding.usage(event);
        }
    }

    /**
     * {@return the token counts an event reports ({@code message_start}'s, {@code message_delta}'s),
     * the prompt cache's reads and writes included, a missing or negative count as 0; null for an
     * event that reports none} For the rules' usage.
     */
    static @Nullable Usage usage(StreamEvent event) {
        MessageUsage u = event instanceof MessageStart s && s.message() != null
                ? s.message().usage()
                : event instanceof MessageDelta d ? d.usage() : null;
        if (u == null) return null;
        return new Usage(
                orZero(u.inputTokens()),
                orZero(u.outputTokens()),
                orZero(u.cacheReadInputTokens()),
                orZero(u.cacheCreationInputTokens()));
    }

    private static long orZero(@Nullable Long count) {
        return count == null || count < 0 ? 0 : count;
    }
}
