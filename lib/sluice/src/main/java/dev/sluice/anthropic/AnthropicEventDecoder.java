package dev.sluice.anthropic;

import dev.sluice.ProtocolException;
import dev.sluice.chat.PartialJson;
import dev.sluice.internal.low.json.Json;
import dev.sluice.internal.low.json.StrictJsonReader;
import dev.sluice.sse.SseEvent;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decodes one Server-Sent Event of an Anthropic Messages stream into a {@link StreamEvent}.
 *
 * <p>The JSON's own {@code type} decides what an event is; the SSE event name only selects the
 * hot path and is used when the JSON has no {@code type}. A {@code content_block_delta} with a
 * text, input-JSON, thinking or signature delta — nearly every event of a stream — has been read
 * before it comes here, straight from its bytes, when it has the exact compact shape the API sends
 * ({@link AnthropicStreamDecoding#decodeCompact}); what reaches this class is any other shape,
 * or ill-formed UTF-8, and such a delta is read with Jackson's streaming parser, with no tree and no
 * binding ({@link AnthropicJacksonReading}); anything else, or a delta of another shape, is read
 * into the plain value model: by {@link #readWithoutJackson} when it can (valid, short data: every
 * other event of a text stream), otherwise with Jackson's streaming parser ({@link Json#readValue}).
 * So a text stream loads no Jackson class. Unknown event,
 * block and delta types become {@link UnknownEvent}, {@link OtherBlock} and {@link UnknownDelta}.
 * Malformed JSON, or JSON of a shape the protocol does not allow, is a {@link ProtocolException}
 * naming the event type and showing the data, truncated.
 *
 * <p>Stateless and thread-safe.
 */
final class AnthropicEventDecoder {
    static final int SHOWN_DATA_CHARS = 200;
    private static final System.Logger LOG = System.getLogger(AnthropicEventDecoder.class.getName());
    static final MessageStop MESSAGE_STOP = new MessageStop();
    static final Ping PING = new Ping();

    /**
     * @throws ProtocolException if the data is not JSON, or not an event of the shape its type requires
     */
    StreamEvent decode(SseEvent event) {
        return decodeWithJackson(event);
    }

    /**
     * What {@link #decode} does: the path of any data the {@link CompactDeltaScanner} declines.
     * Reads the value model with {@link #readWithoutJackson} when it can, otherwise with Jackson.
     * Static and package-private for the scanner's differential test.
     *
     * @throws ProtocolException as {@link #decode}
     */
    static StreamEvent decodeWithJackson(SseEvent event) {
        String data = event.data();
        if (event.type().equals("content_block_delta")) {
            StreamEvent fast = AnthropicJacksonReading.decodeDelta(event.type(), data);
            if (fast != null) return fast;
        }
        Object value = readWithoutJackson(data);
        if (value == DECLINED) value = AnthropicJacksonReading.readValue(event.type(), data);
        if (!(value instanceof Map<?, ?>)) {
            throw invalid(event.type(), data, "the data is not a JSON object");
        }
        Map<String, Object> root = MessageJson.asObject(value);
        String type = root.get("type") instanceof String t ? t : event.type();
        if (!type.equals(event.type()) && !event.type().equals(SseEvent.DEFAULT_TYPE)) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "SSE event name ''{0}'' differs from its JSON type ''{1}''; using the JSON type",
                    event.type(),
                    type);
        }
        try {
            return switch (type) {
                case "message_start" ->
                    new MessageStart(MessageJson.message(root.get("message"), root.containsKey("message")));
                case "content_block_start" ->
                    new ContentBlockStart(
                            index(root, type),
                            MessageJson.block(root.get("content_block"), root.containsKey("content_block")));
                case "content_block_delta" ->
                    new ContentBlockDelta(index(root, type), delta(root.get("delta"), root.containsKey("delta")));
                case "content_block_stop" -> new ContentBlockStop(index(root, type));
                case "message_delta" -> messageDelta(root);
                case "message_stop" -> MESSAGE_STOP;
                case "ping" -> PING;
                case "error" -> error(root);
                default -> new UnknownEvent(type, data);
            };
        } catch (MessageJson.MalformedException e) {
            throw invalid(type, data, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ value model without Jackson

    /** What {@link #readWithoutJackson} returns for data it leaves to Jackson. */
    static final Object DECLINED = new Object();

    /**
     * The longest data {@link #readWithoutJackson} reads: no longer than Jackson's default maximum
     * number length (1000), and a valid document this short nests at most 500 deep, the maximum
     * nesting depth of both PartialJson and the library's Jackson factory ({@link Json#MAX_READ_DEPTH}). So within it Jackson's read limits cannot be what rejects a
     * document. {@code AnthropicEventDecoderJacksonFreeTest} checks both against Jackson.
     */
    static final int JACKSON_FREE_MAX_LENGTH = 1000;

    /**
     * {@return the value-model form of the data read with {@link StrictJsonReader} (the one-pass
     * reader of {@link PartialJson#parse}), which loads no Jackson class, or {@link #DECLINED} when
     * Jackson must read it} Declined: data longer than {@link #JACKSON_FREE_MAX_LENGTH}; data that may
     * hold an escaped surrogate (a {@code \}{@code uD800} to {@code \}{@code uDFFF} escape: PartialJson
     * turns a lone one into U+FFFD where Jackson keeps it); and anything the reader declines (whatever
     * PartialJson finds invalid), so that Jackson reports the error exactly as before.
     * Whatever this accepts, Jackson reads to an equal value (same map order, same number classes):
     * {@code AnthropicEventDecoderJacksonFreeTest} checks it on many documents and mutations.
     */
    @SuppressWarnings("ReferenceEquality") // identity: DECLINED is a sentinel object
    static @Nullable Object readWithoutJackson(String data) {
        int n = data.length();
        if (n > JACKSON_FREE_MAX_LENGTH) return DECLINED;
        for (int i = data.indexOf('\\'); i >= 0 && i + 3 < n; i = data.indexOf('\\', i + 1)) {
            if (data.charAt(i + 1) == 'u'
                    && (data.charAt(i + 2) | 0x20) == 'd'
                    && isSurrogateHexDigit(data.charAt(i + 3))) {
                return DECLINED;
            }
        }
        Object value = StrictJsonReader.read(data); // never throws; declined means Jackson decides
        return value == StrictJsonReader.DECLINED ? DECLINED : value;
    }

    /** {@return true for the second hex digit of an escaped surrogate, 8 to F in either case} */
    private static boolean isSurrogateHexDigit(char c) {
        return (c >= '8' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
    }

    // ------------------------------------------------------------------ value-model path

    private static int index(Map<String, Object> root, String type) throws MessageJson.MalformedException {
        Object i = root.get("index");
        if (!(i instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
            throw new MessageJson.MalformedException(
                    type + ".index is " + (!root.containsKey("index") ? "missing" : "not a non-negative int"));
        }
        return (int) (long) l;
    }

    private static Delta delta(@Nullable Object value, boolean present) throws MessageJson.MalformedException {
        Map<String, Object> node = MessageJson.requireObject(value, present, "content_block_delta.delta");
        String type = MessageJson.requiredString(node, "type", "delta");
        String where = "'" + type + "' delta";
        return switch (type) {
            case "text_delta" -> new TextDelta(MessageJson.requiredString(node, "text", where));
            case "input_json_delta" -> new InputJsonDelta(MessageJson.requiredString(node, "partial_json", where));
            case "citations_delta" ->
                new CitationsDelta(MessageJson.citation(node.get("citation"), node.containsKey("citation")));
            case "thinking_delta" -> new ThinkingDelta(MessageJson.requiredString(node, "thinking", where));
            case "signature_delta" -> new SignatureDelta(MessageJson.requiredString(node, "signature", where));
            case "compaction_delta" ->
                new CompactionDelta(
                        MessageJson.nullableString(node, "content", where),
                        MessageJson.nullableString(node, "encrypted_content", where));
            default -> new UnknownDelta(type, Json.write(node));
        };
    }

    private static MessageDelta messageDelta(Map<String, Object> root) throws MessageJson.MalformedException {
        Object d = root.get("delta");
        String stopReason = null;
        String stopSequence = null;
        StopDetails details = null;
        Container container = null;
        if (d != null) {
            Map<String, Object> delta = MessageJson.requireObject(d, true, "message_delta.delta");
            stopReason = MessageJson.nullableString(delta, "stop_reason", "message_delta.delta");
            stopSequence = MessageJson.nullableString(delta, "stop_sequence", "message_delta.delta");
            details = MessageJson.stopDetails(delta.get("stop_details"));
            container = MessageJson.container(delta.get("container"));
        }
        return new MessageDelta(
                stopReason,
                stopSequence,
                MessageJson.usage(root.get("usage"), "message_delta.usage"),
                details,
                container,
                MessageJson.contextManagement(root.get("context_management")));
    }

    private static ErrorEvent error(Map<String, Object> root) {
        String type = "unknown";
        String message = "";
        if (root.get("error") instanceof Map<?, ?> e) {
            if (e.get("type") instanceof String t) type = t;
            if (e.get("message") instanceof String m) message = m;
        }
        return new ErrorEvent(type, message);
    }

    // ------------------------------------------------------------------ errors

    private static ProtocolException invalid(String type, String data, @Nullable String what) {
        return new ProtocolException(
                "Anthropic '" + type + "' event of an unexpected shape: " + what + "; data: "
                        + Json.truncate(data, SHOWN_DATA_CHARS),
                null);
    }
}
