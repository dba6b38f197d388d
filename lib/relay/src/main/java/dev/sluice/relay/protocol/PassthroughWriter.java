package dev.sluice.relay.protocol;

import dev.sluice.chat.PartialJson;
import dev.sluice.chat.WireApi;
import dev.sluice.internal.low.json.text.JsonText;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.internal.Json;
import dev.sluice.sse.SseEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's passthrough: an upstream's own events ({@link RelayEvent.Verbatim}) written to a
 * client of the same API as they came, {@code event:} and {@code data:} lines with the upstream's
 * name and JSON, byte for byte (a {@code data} that holds a line break, which no provider sends,
 * goes as several {@code data:} lines, which a client joins back). Everything else the relay adds
 * is left out but what the dialect needs: heartbeats its clients skip (Anthropic's {@code ping}
 * event, an SSE comment for Responses) and a failure in its shape — before the first byte a status
 * and the dialect's error body ({@link #status}, {@link #errorJson}); after it, the stream's last
 * event, after which nothing more is written ({@link #responseEnded()}): Anthropic's {@code error}
 * event; the Responses API's {@code response.failed}, whose {@code response} is the upstream's own
 * (from its {@code response.created} or {@code response.in_progress}) with {@code status}
 * {@code failed}, the {@code error} and the output items it finished, numbered after its last event
 * (OpenAI's clients read a stream's failure from it: Codex retries it and shows its message, where it
 * passes over an {@code error} event; an upstream that sent no response gets the {@code error} event).
 * Of the finished items it keeps their JSON text as it came, the first ones as long as they fit in
 * {@code maxHeldBytes} (the relay's replay bound, counted as UTF-16, two bytes a character); the
 * items after the first that does not fit are left out of {@code response.failed}'s {@code output}
 * (a client retries a failed response, it does not resume it), so a stream of large items (a
 * megabyte base64 image each) holds no more than the bound, and its failure event costs no more.
 *
 * <p>OpenAI Chat Completions ({@link #chatCompletions}) passes the same way: each chunk as its
 * {@code data:} line, as it came, {@code data: [DONE]} the upstream's own; a named event (which
 * OpenAI does not send) with its {@code event:} line; heartbeats as SSE comments; a failure after
 * the first byte as OpenAI ends such a stream, a last {@code data:} line holding
 * {@code {"error": ...}}, which its clients throw. The usage chunk the caller did not ask for is
 * left out, unparsed: the one whose {@code choices} is empty and whose {@code usage} is an object.
 *
 * <p>A request that asked for no stream is sent as asked, and its answer comes as one
 * {@link RelayEvent.Verbatim#ANSWER} event, which a collecting writer ({@link #messagesCollecting},
 * {@link #responsesCollecting}) writes as it came, byte for byte, once the run is done. Given the
 * upstream's events instead (a source that streamed it), the collecting writer gathers them into
 * the whole answer as the API would have returned it: for
 * Responses, the {@code response} object of its last event ({@code response.completed} or
 * {@code .incomplete}) as it came; for Messages, {@code message_start}'s message with each content
 * block as {@code content_block_start} opened it and its deltas applied as Anthropic's SDKs apply
 * them (a delta's string members appended to the block's, {@code partial_json} parsed into the
 * block's {@code input}, a {@code citation} added to its {@code citations}), then
 * {@code message_delta}'s members and usage merged in. Opaque strings stay byte for byte; numbers
 * and escapes are written again. It holds at most {@code maxAnswerBytes} of events, or of a whole
 * answer ({@link GatewayWriter#ANSWER_TOO_LARGE} past that).
 *
 * <p>Threading: used by one thread at a time. Does not close the stream.
 */
public final class PassthroughWriter extends FirstByteWriter {
    private final WireApi api; // the API passed through: Messages, Responses or Chat Completions
    private final boolean anthropic;
    private final boolean dropUsageChunk; // Chat Completions: the usage chunk the caller did not ask for
    private final long maxAnswerBytes; // collecting: the most bytes of events held
    private long held;
    private @Nullable Map<String, @Nullable Object> whole; // collecting: the answer so far
    private final Map<Long, Map<String, @Nullable Object>> blocks = new TreeMap<>();
    private final Map<Long, StringBuilder> inputs = new HashMap<>();
    private boolean complete; // collecting: the upstream's last event came
    private byte @Nullable [] completion;
    // streaming Responses: what its response.failed needs
    // the upstream's response as last announced (its response.created or .in_progress), its JSON text as it came:
    // parsed only for a response.failed, so that a stream that does not fail parses none of it
    private @Nullable String response;
    private final Map<Long, String> itemsDone = new TreeMap<>(); // output items finished, by output_index: their JSON
    private long itemsHeld; // bytes of itemsDone, as UTF-16
    private boolean itemsFull; // an item did not fit in maxAnswerBytes: the later ones are left out too
    private long sequence = -1; // the last sequence_number written
    // the last event's name and its event: line, as bytes: a stream's events mostly repeat the one before's name
    private @Nullable String lastName;
    private byte[] lastNameLine = new byte[0];

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private PassthroughWriter(@Nullable OutputStream out, WireApi api, long maxAnswerBytes, boolean dropUsageChunk) {
        super(out);
        if (maxAnswerBytes <= 0)
            throw new IllegalArgumentException("maxAnswerBytes must be positive: " + maxAnswerBytes);
        this.api = api;
        this.anthropic = api == WireApi.MESSAGES;
        this.maxAnswerBytes = maxAnswerBytes;
        this.dropUsageChunk = dropUsageChunk;
    }

    private PassthroughWriter(@Nullable OutputStream out, boolean anthropic, long maxAnswerBytes) {
        this(out, anthropic ? WireApi.MESSAGES : WireApi.RESPONSES, maxAnswerBytes, false);
    }

    /**
     * {@return a writer passing OpenAI Chat Completions events through}
     *
     * @param out the response body
     * @param dropUsageChunk whether the usage chunk ({@code "choices": []} with a {@code usage}
     *     object) is left out: the caller did not ask for it, the upstream was asked for it so that
     *     the usage is observed ({@link dev.sluice.chat.Passthrough#stream})
     */
    public static PassthroughWriter chatCompletions(OutputStream out, boolean dropUsageChunk) {
        return new PassthroughWriter(
                Objects.requireNonNull(out, "out"), WireApi.CHAT_COMPLETIONS, Long.MAX_VALUE, dropUsageChunk);
    }

    /**
     * {@return a writer of one OpenAI {@code chat.completion}: the upstream's whole answer as it came}
     *
     * @param maxAnswerBytes the most bytes of the answer it holds; positive
     * @throws IllegalArgumentException if maxAnswerBytes is not positive
     */
    public static PassthroughWriter chatCompletionsCollecting(long maxAnswerBytes) {
        return new PassthroughWriter(null, WireApi.CHAT_COMPLETIONS, maxAnswerBytes, false);
    }

    /**
     * {@return a writer passing Anthropic Messages events through}
     *
     * @param out the response body
     */
    public static PassthroughWriter messages(OutputStream out) {
        return new PassthroughWriter(Objects.requireNonNull(out, "out"), true, Long.MAX_VALUE);
    }

    /**
     * {@return a writer gathering Anthropic Messages events into one {@code message} object}
     *
     * @param maxAnswerBytes the most bytes of events it holds; positive
     * @throws IllegalArgumentException if maxAnswerBytes is not positive
     */
    public static PassthroughWriter messagesCollecting(long maxAnswerBytes) {
        return new PassthroughWriter(null, true, maxAnswerBytes);
    }

    /**
     * {@return a writer gathering OpenAI Responses events into one {@code response} object}
     *
     * @param maxAnswerBytes the most bytes of events it holds; positive
     * @throws IllegalArgumentException if maxAnswerBytes is not positive
     */
    public static PassthroughWriter responsesCollecting(long maxAnswerBytes) {
        return new PassthroughWriter(null, false, maxAnswerBytes);
    }

    /**
     * {@return a writer passing OpenAI Responses events through}
     *
     * @param out the response body
     * @param maxHeldBytes the most bytes of finished output items it keeps for a {@code response.failed}
     *     (counted as UTF-16); positive
     * @throws IllegalArgumentException if maxHeldBytes is not positive
     */
    public static PassthroughWriter responses(OutputStream out, long maxHeldBytes) {
        return new PassthroughWriter(Objects.requireNonNull(out, "out"), false, maxHeldBytes);
    }

    /** {@return the bytes (as UTF-16) of the finished output items a streaming Responses writer keeps: for tests} */
    long heldItemBytes() {
        return itemsHeld;
    }

    @Override
    public void send(long eventId, RelayEvent event) throws IOException {
        if (ended) return;
        switch (event) {
            case RelayEvent.Verbatim v when collecting() && v.event().equals(RelayEvent.Verbatim.ANSWER) -> whole(v);
            case RelayEvent.Verbatim v when collecting() -> gather(v);
            case RelayEvent.Verbatim v when api == WireApi.CHAT_COMPLETIONS -> chunk(v);
            case RelayEvent.Verbatim v -> {
                if (!anthropic) observe(v);
                event(v.event(), v.json());
            }
            case RelayEvent.Error e -> fail(e);
            case RelayEvent.Cancelled c -> fail(new RelayEvent.Error("cancelled", c.reason()));
            case RelayEvent.Done d when collecting() -> finish();
            default -> {} // start, and done: the upstream's own last event has passed
        }
    }

    /** Collecting: the upstream's whole answer, as it came (an answer to a request sent as asked, not streamed). */
    private void whole(RelayEvent.Verbatim v) throws IOException {
        byte[] answer = v.json().getBytes(StandardCharsets.UTF_8);
        if (answer.length > maxAnswerBytes) tooLarge();
        completion = answer;
    }

    /**
     * Streaming Chat Completions: an unnamed event as {@code data:} lines alone, as OpenAI sends
     * them ({@code data: [DONE]} the last); a named one, which OpenAI's clients read by its name,
     * with its {@code event:} line.
     */
    private void chunk(RelayEvent.Verbatim v) throws IOException {
        if (!v.event().equals(SseEvent.DEFAULT_TYPE)) {
            event(v.event(), v.json());
            return;
        }
        if (dropUsageChunk && usageChunk(v.json())) return;
        data(v.json());
    }

    /** {@return whether a chunk is the usage chunk: {@code "choices": []} and a {@code usage} object} Not parsed. */
    private static boolean usageChunk(String json) {
        if (!Json.holdsObject(json, "usage")) return false; // each chunk before the last: "usage": null
        String choices = JsonText.member(json, "choices");
        if (choices == null) return false;
        String inside = choices.strip();
        return inside.startsWith("[")
                && inside.endsWith("]")
                && inside.substring(1, inside.length() - 1).isBlank();
    }

    /** Collecting: one upstream event into the answer. */
    private void gather(RelayEvent.Verbatim v) throws IOException {
        if (api == WireApi.CHAT_COMPLETIONS) return; // its answer comes whole, never as events
        held += v.json().length() * 2L;
        if (held > maxAnswerBytes) tooLarge();
        if (!(PartialJson.parse(v.json()).value() instanceof Map<?, ?> data)) return;
        if (anthropic) gatherMessage(v.event(), data);
        else if (v.event().equals("response.completed") || v.event().equals("response.incomplete")) {
            whole = copy(data.get("response"));
            complete = whole != null;
        }
    }

    private void gatherMessage(String type, Map<?, ?> data) {
        switch (type) {
            case "message_start" -> whole = copy(data.get("message"));
            case "content_block_start" -> {
                Map<String, @Nullable Object> block = copy(data.get("content_block"));
                if (block != null && data.get("index") instanceof Long i) blocks.put(i, block);
            }
            case "content_block_delta" -> {
                if (!(data.get("index") instanceof Long index)) return;
                Map<String, @Nullable Object> block = blocks.get(index);
                if (block == null || !(data.get("delta") instanceof Map<?, ?> delta)) return;
                for (Map.Entry<?, ?> e : delta.entrySet()) {
                    String name = String.valueOf(e.getKey());
                    if (name.equals("type")) continue;
                    if (name.equals("partial_json") && e.getValue() instanceof String piece) {
                        inputs.computeIfAbsent(index, k -> new StringBuilder()).append(piece);
                    } else if (name.equals("citation")) {
                        List<@Nullable Object> citations =
                                block.get("citations") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
                        citations.add(e.getValue());
                        block.put("citations", citations);
                    } else if (e.getValue() instanceof String piece) {
                        block.put(name, (block.get(name) instanceof String so ? so : "") + piece);
                    } else {
                        block.put(name, e.getValue());
                    }
                }
            }
            case "content_block_stop" -> {
                if (!(data.get("index") instanceof Long index)) return;
                StringBuilder input = inputs.remove(index);
                Map<String, @Nullable Object> block = blocks.get(index);
                if (input != null && block != null && !input.isEmpty()) {
                    PartialJson.Result parsed = PartialJson.parse(input.toString());
                    block.put("input", parsed.isValid() ? parsed.value() : input.toString());
                }
            }
            case "message_delta" -> {
                Map<String, @Nullable Object> message = whole;
                if (message == null) return;
                if (data.get("delta") instanceof Map<?, ?> delta)
                    for (Map.Entry<?, ?> e : delta.entrySet()) message.put(String.valueOf(e.getKey()), e.getValue());
                if (data.get("usage") instanceof Map<?, ?> usage) {
                    Map<String, @Nullable Object> merged = copy(message.get("usage"));
                    if (merged == null) merged = new LinkedHashMap<>();
                    for (Map.Entry<?, ?> e : usage.entrySet())
                        if (e.getValue() != null) merged.put(String.valueOf(e.getKey()), e.getValue());
                    message.put("usage", merged);
                }
            }
            case "message_stop" -> complete = whole != null;
            default -> {} // ping, and events of a newer API: nothing in the message
        }
    }

    /** Collecting: the answer outgrew its bound; what was held is dropped. @throws IOException always, to stop the upstream */
    private void tooLarge() throws IOException {
        whole = null;
        blocks.clear();
        RelayEvent.Error tooLarge = GatewayWriter.answerTooLarge(maxAnswerBytes);
        failure = tooLarge;
        throw new IOException(tooLarge.message());
    }

    /**
     * Streaming Responses: keeps what a {@code response.failed} repeats, unparsed (the announced
     * response's text, the finished items'); other events are only scanned for their number.
     */
    private void observe(RelayEvent.Verbatim v) {
        String json = v.json();
        int at = json.indexOf("\"sequence_number\":");
        if (at >= 0) {
            long n = 0;
            int i = at + "\"sequence_number\":".length();
            while (i < json.length() && json.charAt(i) == ' ') i++;
            int digits = 0;
            for (; i < json.length() && Character.isDigit(json.charAt(i)) && digits < 18; i++, digits++)
                n = n * 10 + (json.charAt(i) - '0');
            if (digits > 0) sequence = Math.max(sequence, n);
        }
        switch (v.event()) {
            case "response.created", "response.in_progress" -> {
                String announced = JsonText.member(json, "response");
                if (announced != null && announced.startsWith("{")) response = announced;
            }
            case "response.output_item.done" -> keep(json);
            default -> {}
        }
    }

    /**
     * Streaming Responses: keeps a finished output item's JSON text, unparsed, while the items kept
     * fit in the bound; once one does not, it and the later ones are left out.
     */
    private void keep(String json) {
        if (itemsFull) return;
        String item = JsonText.member(json, "item");
        String index = JsonText.member(json, "output_index");
        if (item == null || !item.startsWith("{") || index == null) return;
        long n;
        try {
            n = Long.parseLong(index.strip());
        } catch (NumberFormatException e) {
            return;
        }
        String before = itemsDone.get(n);
        long size = 2L * item.length() - (before == null ? 0 : 2L * before.length());
        if (itemsHeld + size > maxAnswerBytes) {
            itemsFull = true;
            return;
        }
        itemsDone.put(n, item);
        itemsHeld += size;
    }

    /** Collecting: the upstream's stream ended; the answer is whole if its last event came. */
    private void finish() {
        Map<String, @Nullable Object> answer = whole;
        if (failure != null || completion != null) return; // failed, or came whole
        if (!complete || answer == null) {
            failure = new RelayEvent.Error("protocol_error", "the provider's stream ended before its answer was whole");
            return;
        }
        if (anthropic) answer.put("content", new ArrayList<>(blocks.values()));
        completion = JsonText.write(answer).getBytes(StandardCharsets.UTF_8);
    }

    /** {@return a mutable copy of a JSON object, or null when it is not one} */
    private static @Nullable Map<String, @Nullable Object> copy(@Nullable Object value) {
        if (!(value instanceof Map<?, ?> m)) return null;
        Map<String, @Nullable Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) copy.put(String.valueOf(e.getKey()), e.getValue());
        return copy;
    }

    private void fail(RelayEvent.Error e) throws IOException {
        if (held(e)) return;
        if (api == WireApi.CHAT_COMPLETIONS) {
            data(errorJson(e)); // as OpenAI ends a stream that failed: its clients throw it
        } else if (anthropic) {
            event("error", errorJson(e));
        } else {
            String code = switch (MessagesWriter.anthropicType(e.errorType())) {
                case "overloaded_error" -> "server_is_overloaded";
                case "rate_limit_error" -> "rate_limit_exceeded";
                default -> "server_error";
            };
            Map<String, @Nullable Object> failed =
                    response == null ? null : copy(PartialJson.parse(response).value());
            if (failed != null) {
                Map<String, @Nullable Object> error = new LinkedHashMap<>();
                error.put("code", code);
                error.put("message", e.message());
                failed.put("status", "failed");
                failed.put("error", error);
                failed.remove("output");
                // the kept items' text as it came, not parsed again: the event costs the bound at most
                String head = JsonText.write(failed);
                StringBuilder sb = new StringBuilder(head.length() + (int) Math.min(itemsHeld / 2 + 128, 1 << 30))
                        .append("{\"type\":\"response.failed\",\"sequence_number\":")
                        .append(sequence + 1)
                        .append(",\"response\":")
                        .append(head, 0, head.length() - 1)
                        .append(failed.isEmpty() ? "" : ",")
                        .append("\"output\":[");
                boolean first = true;
                for (String item : itemsDone.values()) {
                    if (!first) sb.append(',');
                    first = false;
                    sb.append(item);
                }
                itemsDone.clear();
                event("response.failed", sb.append("]}}").toString());
            } else {
                event(
                        "error",
                        "{\"type\":\"error\",\"code\":" + DialectWriter.str(code) + ",\"message\":"
                                + DialectWriter.str(e.message()) + ",\"param\":null}");
            }
        }
        ended = true;
    }

    /** Writes an event with its {@code event:} line: the name's bytes are kept while the next event has the same. */
    private void event(String name, String data) throws IOException {
        if (!name.equals(lastName)) {
            lastName = name;
            lastNameLine = ("event: " + name + "\n").getBytes(StandardCharsets.UTF_8);
        }
        write(lastNameLine);
        data(data);
    }

    /**
     * Writes {@code data} as {@code data:} lines, then the blank line that ends the event: piece by piece into the
     * buffered body, so that an event costs one copy of its text (its UTF-8 bytes), not three.
     */
    private void data(String data) throws IOException {
        if (data.indexOf('\n') < 0) {
            write(DATA);
            write(data.getBytes(StandardCharsets.UTF_8));
            write(END);
            return;
        }
        StringBuilder sb = new StringBuilder(data.length() + 16);
        int from = 0;
        for (int nl; (nl = data.indexOf('\n', from)) >= 0; from = nl + 1) {
            sb.append("data: ")
                    .append(data, from, nl > from && data.charAt(nl - 1) == '\r' ? nl - 1 : nl)
                    .append('\n');
        }
        sb.append("data: ").append(data, from, data.length()).append("\n\n");
        write(sb.toString());
    }

    private void write(String s) throws IOException {
        write(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void heartbeat() throws IOException {
        // the first few left out before the first byte, as DialectWriter's: a failure before the upstream's first
        // event still gets its status
        if (collecting() || heartbeatLeftOut()) return;
        if (anthropic) event("ping", "{\"type\": \"ping\"}");
        else write(": ping\n\n"); // an SSE comment, which OpenAI's clients skip
    }

    /** {@return the size in bytes of the whole answer, once a collecting writer got {@code done}; empty before} */
    @Override
    public OptionalLong completionLength() {
        return completion == null ? OptionalLong.empty() : OptionalLong.of(completion.length);
    }

    /** @throws IllegalStateException before a collecting writer's answer is whole */
    @Override
    public void writeCompletion(OutputStream body) throws IOException {
        if (completion == null)
            throw new IllegalStateException("the answer is not whole yet: it is written once the stream is done");
        body.write(completion);
    }

    @Override
    public int status(RelayEvent.Error e) {
        return anthropic ? MessagesWriter.status(e.errorType()) : GatewayWriter.status(e.errorType());
    }

    @Override
    public String errorJson(RelayEvent.Error e) {
        return anthropic
                ? MessagesWriter.errorJson(MessagesWriter.anthropicType(e.errorType()), e.message())
                : GatewayWriter.errorJson(e.message(), GatewayWriter.openAiType(e.errorType()), null, e.errorType());
    }
}
