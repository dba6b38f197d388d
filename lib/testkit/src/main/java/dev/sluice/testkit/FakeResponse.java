package dev.sluice.testkit;

import dev.sluice.testkit.internal.answer.Deltas;
import dev.sluice.testkit.internal.answer.ObjectAnswer;
import dev.sluice.testkit.internal.answer.ReplyPlanner;
import dev.sluice.testkit.internal.http.Pacing;
import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.internal.json.ObjectNode;
import dev.sluice.testkit.internal.wire.ApiError;
import dev.sluice.testkit.internal.wire.FakeRequest;
import dev.sluice.testkit.internal.wire.Ids;
import dev.sluice.testkit.internal.wire.Reply;
import dev.sluice.testkit.internal.wire.WireFormat;
import dev.sluice.testkit.spi.Voice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

// Over 600 lines because it is the whole scripting vocabulary, each method with the Javadoc users
// read; the state behind it is a handful of plain fields copied on each change.

/**
 * What a {@link FakeLlmServer} answers one request with: a scripted model answer, an API error, a
 * captured stream replayed as it is, any HTTP response, or none. Immutable: every method returns a
 * new response, so one value can be enqueued many times.
 *
 * <pre>{@code
 * server.enqueue(FakeResponse.answer().text("Hel", "lo").toolCall("get_weather", "{\"city\":", "\"Paris\"}"));
 * server.enqueue(FakeResponse.overloaded());
 * server.enqueue(FakeResponse.answer().text("a", "b", "c").cutAfter(2));
 * server.enqueue(FakeResponse.sse(Path.of("src/test/resources/capture.sse")));
 * }</pre>
 *
 * <h2>Model answers, in the wire format of the endpoint called</h2>
 * {@link #answer()} starts an answer; {@link #thinking}, {@link #text} and {@link #toolCall} add its
 * blocks in order, each argument one delta as streamed. The same answer is an Anthropic
 * {@code message_start} … {@code message_stop} stream at {@code /v1/messages}, {@code chat.completion.chunk}s
 * ending with {@code [DONE]} at {@code /v1/chat/completions}, {@code response.*} events at
 * {@code /v1/responses}, and {@code GenerateContentResponse} chunks at {@code :streamGenerateContent}
 * (any other path: Anthropic's); a request without {@code "stream": true} (Gemini: the
 * {@code :generateContent} path) gets the whole message as one JSON body. The model is the
 * request's. Chat Completions has no thinking: there it is left out; Gemini sends a tool call whole.
 * Scripted answers are not checked against the API's rules; {@link #answerPrompt()} is.
 *
 * <h2>Structured output</h2>
 * {@link #object()} answers a request for structured output (a JSON Schema in the API's native
 * format, or a tool call the request forces) with JSON valid against its schema, as the server's
 * own answer does, filled from the prompt; {@link #object(String...)} with JSON text of your own. It
 * comes the way the request asked for it: text deltas, or the forced tool call's argument deltas
 * (Gemini: the whole {@code functionCall.args}). {@link #truncatedAfter}, {@link #refused},
 * {@link #invalidJson()} and {@link #wrongTypeAt} script what goes wrong:
 * <pre>{@code
 * server.enqueue(FakeResponse.object().truncatedAfter(40));      // max_tokens / length / MAX_TOKENS
 * server.enqueue(FakeResponse.object().refused("I can't help with that."));
 * server.enqueue(FakeResponse.object().wrongTypeAt("/ingredients/0/quantity"));
 * }</pre>
 *
 * <h2>Errors and other responses</h2>
 * {@link #overloaded()}, {@link #rateLimited} and {@link #apiError} are written with each API's
 * status and body shape; {@link #sse} replays bytes as they are; {@link #status} is any HTTP
 * response; {@link #noResponse()} none at all. {@link #header} adds a header to any of them.
 *
 * <h2>Faults and pacing</h2>
 * A response has at most one fault, at a position counted in content deltas (thinking, text and
 * tool-input pieces) of an answer, or events of a replayed stream (the text after the last blank
 * line, if any, counts as one more): {@link #cutAfter}, {@link #stallAfter}, {@link #endAfter},
 * and for answers {@link #errorAfter} and {@link #malformedAfter}; or in bytes of any body:
 * {@link #cutAfterBytes}, {@link #stallAfterBytes}. It may also {@linkplain #pauseAfter pause}
 * once, until a test lets it go on, and {@linkplain #signalAfter signal} once that it got so far
 * (at one position: the signal, the pause, then the fault). A position past the end strikes just
 * before the stream's end. {@link #paced} spaces the events out (else
 * the server's pace, by default none); {@link #inChunksOf} splits what is written into small HTTP
 * chunks.
 *
 * <p>Why this file is long: a third Javadoc; it is the test kit's whole scripting vocabulary (answers,
 * errors, captures, faults and pacing), one immutable value whose every method returns a new one,
 * as OkHttp's {@code MockResponse} is.
 */
public final class FakeResponse {
    enum Kind {
        PROMPT,
        ANSWER,
        OBJECT,
        ERROR,
        RAW,
        SILENT
    }

    private static final String EVENT_STREAM = "text/event-stream; charset=utf-8";

    private Kind kind;
    private List<Reply.Block> blocks = List.of();
    private int inputTokens = -1;
    private int outputTokens = -1;
    private Reply.@Nullable Stop stop;
    private @Nullable String stopSequence;
    private ObjectAnswer.Script script = ObjectAnswer.Script.GENERATED;
    private @Nullable ApiError error;
    private int status = 200;
    private @Nullable String contentType;
    private byte[] body = new byte[0];
    private Map<String, String> headers = Map.of();
    private @Nullable Fault fault;
    private @Nullable String streamErrorType;
    private @Nullable String streamErrorMessage;
    private @Nullable Fault pause;
    private @Nullable Fault signal;
    private @Nullable Pacing pacing;
    private int chunkSize;

    private FakeResponse(Kind kind) {
        this.kind = kind;
    }

    private FakeResponse copy() {
        FakeResponse r = new FakeResponse(kind);
        r.blocks = blocks;
        r.inputTokens = inputTokens;
        r.outputTokens = outputTokens;
        r.stop = stop;
        r.stopSequence = stopSequence;
        r.script = script;
        r.error = error;
        r.status = status;
        r.contentType = contentType;
        r.body = body;
        r.headers = headers;
        r.fault = fault;
        r.streamErrorType = streamErrorType;
        r.streamErrorMessage = streamErrorMessage;
        r.pause = pause;
        r.signal = signal;
        r.pacing = pacing;
        r.chunkSize = chunkSize;
        return r;
    }

    // ------------------------------------------------------------------ the kinds of response

    /**
     * {@return the server's own answer, what a request gets when nothing is scripted} The request is
     * checked like the real API's (a 400 or 401 in its shape when it would be refused); the answer is
     * the server's plain text quoting the prompt (the tool's demo model's words when it is on the class path), with tool calls when tools are offered and the prompt calls
     * for one, thinking when enabled; a model name can select a fault ({@code fake-overloaded},
     * {@code fake-rate-limited}, {@code fake-flaky-N}, {@code fake-error-mid-stream}, {@code fake-drop},
     * {@code fake-stall}, {@code fake-not-sse}). A fault set on this response replaces the model's.
     */
    public static FakeResponse answerPrompt() {
        return new FakeResponse(Kind.PROMPT);
    }

    /** {@return an answer with no blocks yet: add them with {@link #thinking}, {@link #text} and {@link #toolCall}} */
    public static FakeResponse answer() {
        return new FakeResponse(Kind.ANSWER);
    }

    /**
     * {@return the server's own answer to a structured-output request: JSON valid against the
     * request's schema, keys in the schema's order, filled from the prompt where it can (a recipe asked
     * for is a recipe, leads are plausible fictional people), else honest placeholders ("sample …")}
     * The schema is the one the request gives in its API's native format (Anthropic's
     * {@code output_config.format}, OpenAI's {@code response_format} or {@code text.format}, Gemini's
     * {@code responseJsonSchema}), else the input schema of the tool its tool choice forces, whose call
     * then carries the JSON; a request without either gets JSON text for a schema that fits its prompt.
     * The JSON is streamed in deltas of two to ten characters, split anywhere; usage is estimated as
     * for the server's own answers. The request is read leniently, as for {@link #answer()}.
     */
    public static FakeResponse object() {
        return new FakeResponse(Kind.OBJECT);
    }

    /**
     * {@return a structured answer whose JSON text is streamed in these pieces}, as text or as the
     * forced tool call's arguments, whichever the request asked for (Gemini, which sends a call's
     * arguments whole, sends them parsed, or {@code {}}). The pieces need not join into valid JSON.
     */
    public static FakeResponse object(String... jsonPieces) {
        FakeResponse r = object();
        r.script = r.script.withPieces(deltas("jsonPieces", jsonPieces));
        return r;
    }

    /** {@return the API's overload error: Anthropic's HTTP 529 {@code overloaded_error}, OpenAI's 503 {@code server_error}, Gemini's 503 {@code UNAVAILABLE}} */
    public static FakeResponse overloaded() {
        return error(ApiError.overloaded());
    }

    /**
     * {@return the API's rate-limit error (HTTP 429) asking to wait {@code retryAfter}, in the
     * {@code retry-after} (whole seconds, rounded up) and {@code retry-after-ms} headers}
     *
     * @throws IllegalArgumentException if {@code retryAfter} is negative
     */
    public static FakeResponse rateLimited(Duration retryAfter) {
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative())
            throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
        return error(ApiError.rateLimited(retryAfter));
    }

    /**
     * {@return an error in the API's body shape with this status and error type (Anthropic's and
     * OpenAI's {@code type}, Gemini's {@code status}), such as {@code 500, "api_error", "boom"}}
     *
     * @throws IllegalArgumentException if the status is not 400 to 599, or the type is blank
     */
    public static FakeResponse apiError(int status, String type, String message) {
        if (status < 400 || status > 599)
            throw new IllegalArgumentException("status must be 400-599 for an error: " + status);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
        if (type.isBlank()) throw new IllegalArgumentException("type must not be blank");
        return error(ApiError.other(status, type, message));
    }

    private static FakeResponse error(ApiError e) {
        FakeResponse r = new FakeResponse(Kind.ERROR);
        r.error = e;
        return r;
    }

    /** {@return a 200 {@code text/event-stream} response with these events, as they are (paced: one chunk per event)} */
    public static FakeResponse sse(String events) {
        return status(200)
                .withBody(EVENT_STREAM, Objects.requireNonNull(events, "events").getBytes(StandardCharsets.UTF_8));
    }

    /** {@return a 200 {@code text/event-stream} response with these bytes (UTF-8 or not; paced: one chunk per event)} */
    public static FakeResponse sse(byte[] events) {
        return status(200).body(EVENT_STREAM, events);
    }

    /**
     * {@return a 200 {@code text/event-stream} response replaying a captured stream byte for byte}
     *
     * @throws UncheckedIOException if the file cannot be read (now, not when served)
     */
    public static FakeResponse sse(Path capture) {
        try {
            return status(200).withBody(EVENT_STREAM, Files.readAllBytes(capture));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the capture " + capture + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@return a response with this status and no body; add one with {@link #body}}
     *
     * @throws IllegalArgumentException if not 100 to 599
     */
    public static FakeResponse status(int status) {
        if (status < 100 || status > 599) throw new IllegalArgumentException("status must be 100-599: " + status);
        FakeResponse r = new FakeResponse(Kind.RAW);
        r.status = status;
        return r;
    }

    /** {@return a response that never comes: the request is read, then the connection held open until the client closes it} */
    public static FakeResponse noResponse() {
        return new FakeResponse(Kind.SILENT);
    }

    // ------------------------------------------------------------------ answers

    /** {@return this answer with a thinking block of these deltas, signed} */
    public FakeResponse thinking(String... deltas) {
        List<String> d = deltas("thinking", deltas);
        return withBlock("thinking", new Reply.Thinking(d, ReplyPlanner.signature(String.join("", d))));
    }

    /** {@return this answer with a text block of these deltas} */
    public FakeResponse text(String... deltas) {
        return withBlock("text", new Reply.Text(deltas("text", deltas)));
    }

    /**
     * {@return this answer with a call of a tool, its arguments' JSON text streamed in these pieces}
     * A piece may end anywhere, inside an escape or between the halves of a surrogate pair; the
     * pieces joined need not even be valid JSON (where the API sends an object, Gemini's, or a
     * whole message, an object is sent: the arguments parsed, or {@code {}}).
     */
    public FakeResponse toolCall(String name, String... argumentPieces) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new IllegalArgumentException("name must not be blank");
        List<String> pieces = deltas("argumentPieces", argumentPieces);
        JsonNode parsed;
        try {
            parsed = Json.parse(String.join("", pieces));
        } catch (Json.Malformed e) {
            parsed = null;
        }
        ObjectNode input = parsed instanceof ObjectNode o ? o : Json.object();
        return withBlock("toolCall", new Reply.ToolUse("", name, input, pieces));
    }

    /**
     * {@return this answer reporting this usage}, instead of a quarter of the request's characters
     * in and one token per delta out
     *
     * @throws IllegalArgumentException if a count is negative
     */
    public FakeResponse usage(int inputTokens, int outputTokens) {
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException(
                    "token counts must not be negative: " + inputTokens + ", " + outputTokens);
        }
        FakeResponse r = kind == Kind.OBJECT ? copy() : answerOnly("usage");
        r.inputTokens = inputTokens;
        r.outputTokens = outputTokens;
        return r;
    }

    /** {@return this answer ending as cut off by the token limit: {@code max_tokens}, {@code length}, {@code MAX_TOKENS}} */
    public FakeResponse truncated() {
        FakeResponse r = answerOnly("truncated");
        r.stop = Reply.Stop.MAX_TOKENS;
        r.stopSequence = null;
        return r;
    }

    /**
     * {@return this structured answer cut off after {@code characters} characters of its JSON, ending
     * as the token limit does: Anthropic's {@code max_tokens}, OpenAI's {@code length} (Responses:
     * {@code incomplete}), Gemini's {@code MAX_TOKENS} (which then sends no tool call at all)}
     *
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException if this is not an {@link #object()}
     */
    public FakeResponse truncatedAfter(int characters) {
        FakeResponse r = objectOnly("truncatedAfter");
        r.script = r.script.withCutAt(position("characters", characters));
        return r;
    }

    /**
     * {@return this answer refused with this text, in the API's own shape} Anthropic: no content,
     * {@code stop_reason} {@code refusal}, the text in {@code stop_details.explanation}; Chat
     * Completions: {@code delta.refusal} pieces (the message's {@code refusal}) and
     * {@code finish_reason} {@code stop}; Responses: a message whose content part is a
     * {@code refusal}, streamed as {@code response.refusal.delta}s and {@code response.refusal.done};
     * Gemini: a candidate without content, {@code finishReason} {@code SAFETY}, the text as its
     * {@code finishMessage}. A structured answer is then refused instead of given; an {@link #answer()}
     * ends with the refusal after its blocks.
     *
     * @throws IllegalStateException if this is not an {@link #answer()} or {@link #object()}
     */
    public FakeResponse refused(String text) {
        Objects.requireNonNull(text, "text");
        if (kind == Kind.OBJECT) {
            FakeResponse r = copy();
            r.script = r.script.withRefusal(text);
            return r;
        }
        FakeResponse r = withBlock("refused", new Reply.Refusal(Deltas.chunks(text, new Random(text.hashCode()))));
        r.stop = Reply.Stop.REFUSAL;
        r.stopSequence = null;
        return r;
    }

    /**
     * {@return this structured answer with JSON that does not parse: the generated JSON (or the
     * scripted pieces joined) with its last character replaced by {@code ,]}}
     *
     * @throws IllegalStateException if this is not an {@link #object()}
     */
    public FakeResponse invalidJson() {
        FakeResponse r = objectOnly("invalidJson");
        r.script = r.script.withInvalid();
        return r;
    }

    /**
     * {@return this generated structured answer with the value at a JSON Pointer ({@code ""} for the
     * whole) of another JSON type: a string becomes a number, a number or a boolean a string, null an
     * array, an array or object a string} Valid JSON that breaks the schema. A pointer that is not in
     * the generated answer is answered with an HTTP 500 naming it and the answer.
     *
     * @throws IllegalArgumentException if not a JSON Pointer ({@code ""} or starting with {@code /})
     * @throws IllegalStateException if this is not {@link #object()} without pieces
     */
    public FakeResponse wrongTypeAt(String jsonPointer) {
        Objects.requireNonNull(jsonPointer, "jsonPointer");
        if (!jsonPointer.isEmpty() && !jsonPointer.startsWith("/")) {
            throw new IllegalArgumentException("not a JSON Pointer (\"\" or starting with /): " + jsonPointer);
        }
        FakeResponse r = objectOnly("wrongTypeAt");
        if (r.script.pieces() != null)
            throw new IllegalStateException("wrongTypeAt(..) changes the generated object(), not given pieces");
        r.script = r.script.withWrongTypeAt(jsonPointer);
        return r;
    }

    private FakeResponse objectOnly(String what) {
        if (kind != Kind.OBJECT)
            throw new IllegalStateException(what + "(..) scripts an object(), not " + describeKind());
        return copy();
    }

    /** {@return this answer ending at this stop sequence (Anthropic's {@code stop_sequence})} */
    public FakeResponse stopSequence(String sequence) {
        Objects.requireNonNull(sequence, "sequence");
        FakeResponse r = answerOnly("stopSequence");
        r.stop = Reply.Stop.STOP_SEQUENCE;
        r.stopSequence = sequence;
        return r;
    }

    private FakeResponse withBlock(String what, Reply.Block block) {
        FakeResponse r = answerOnly(what);
        List<Reply.Block> more = new ArrayList<>(blocks);
        more.add(block);
        r.blocks = List.copyOf(more);
        return r;
    }

    private FakeResponse answerOnly(String what) {
        if (kind != Kind.ANSWER)
            throw new IllegalStateException(what + "(..) scripts an answer(), not " + describeKind());
        return copy();
    }

    private static List<String> deltas(String what, String[] deltas) {
        Objects.requireNonNull(deltas, what);
        for (int i = 0; i < deltas.length; i++) {
            if (deltas[i] == null) throw new NullPointerException(what + "[" + i + "] is null");
        }
        return List.of(deltas);
    }

    // ------------------------------------------------------------------ bodies and headers

    /** {@return this response with a body of this content type: UTF-8 text} */
    public FakeResponse body(String contentType, String body) {
        return withBody(contentType, Objects.requireNonNull(body, "body").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@return this response with a body of this content type} A {@code text/event-stream} body is
     * chunked, one chunk per event when {@linkplain #paced paced} (else in chunks of up to 64 KiB,
     * cut where a pause or fault comes); any other has a {@code Content-Length}.
     *
     * @throws IllegalStateException if this is not a {@link #status} or {@link #sse} response
     */
    public FakeResponse body(String contentType, byte[] body) {
        return withBody(contentType, Objects.requireNonNull(body, "body").clone());
    }

    /** @param body a body no one else holds */
    private FakeResponse withBody(String contentType, byte[] body) {
        Objects.requireNonNull(contentType, "contentType");
        checkHeaderValue("contentType", contentType);
        if (kind != Kind.RAW)
            throw new IllegalStateException("body(..) is for a status(..) or sse(..) response, not " + describeKind());
        FakeResponse r = copy();
        r.contentType = contentType;
        r.body = body;
        return r;
    }

    /**
     * {@return this response with a header added, replacing one of the same name (names are
     * case-insensitive); it also replaces the server's own, such as {@code content-type}}
     *
     * @throws IllegalArgumentException if the name is not a header name or the value spans lines
     */
    public FakeResponse header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
            throw new IllegalArgumentException("not a header name: '" + name + "'");
        }
        checkHeaderValue(name, value);
        if (kind == Kind.SILENT) throw new IllegalStateException("noResponse() sends no headers");
        FakeResponse r = copy();
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name.toLowerCase(Locale.ROOT), value);
        r.headers = Collections.unmodifiableMap(more);
        return r;
    }

    private static void checkHeaderValue(String what, String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0)
            throw new IllegalArgumentException(what + " must be one line: " + value);
    }

    // ------------------------------------------------------------------ faults

    /** {@return this response with the connection cut after {@code n} deltas or events: no more bytes, no end of the body} */
    public FakeResponse cutAfter(int n) {
        return withFault(Fault.after(Fault.Kind.DROP, position("n", n)), true);
    }

    /** {@return this response sending nothing after {@code n} deltas or events, the connection held open until the client closes it} */
    public FakeResponse stallAfter(int n) {
        return withFault(Fault.after(Fault.Kind.STALL, position("n", n)), true);
    }

    /** {@return this response whose body ends cleanly after {@code n} deltas or events, without the stream's terminal events} */
    public FakeResponse endAfter(int n) {
        return withFault(Fault.after(Fault.Kind.END, position("n", n)), true);
    }

    /**
     * {@return this response pausing after {@code n} deltas or events until {@code resume} opens,
     * then going on} Not a fault: a response can pause and have a fault.
     */
    public FakeResponse pauseAfter(int n, CountDownLatch resume) {
        Objects.requireNonNull(resume, "resume");
        Fault p = new Fault(Fault.Kind.PAUSE, 0, position("n", n), resume);
        streamsOnly("a pause");
        if (pause != null)
            throw new IllegalStateException(
                    "a response pauses once; this one pauses after " + pause.after() + " already");
        FakeResponse r = copy();
        r.pause = p;
        return r;
    }

    /**
     * {@return this response opening {@code reached} once it has sent {@code n} deltas or events
     * (a whole, non-streamed answer: once it is written), then going on} So a test knows the client
     * has had them on the wire, and can act at that point, without waiting on a clock.
     */
    public FakeResponse signalAfter(int n, CountDownLatch reached) {
        Objects.requireNonNull(reached, "reached");
        Fault s = new Fault(Fault.Kind.SIGNAL, 0, position("n", n), reached);
        streamsOnly("a signal");
        if (signal != null)
            throw new IllegalStateException(
                    "a response signals once; this one signals after " + signal.after() + " already");
        FakeResponse r = copy();
        r.signal = s;
        return r;
    }

    private void streamsOnly(String what) {
        if (kind == Kind.ERROR || kind == Kind.SILENT || (kind == Kind.RAW && !streams())) {
            throw new IllegalStateException(what + " does not fit " + describeKind());
        }
    }

    /** {@return this answer sending, after {@code n} deltas, the API's in-stream overload error, then ending its body} */
    public FakeResponse errorAfter(int n) {
        return withFault(Fault.after(Fault.Kind.ERROR_MID_STREAM, position("n", n)), false);
    }

    /**
     * {@return this answer sending, after {@code n} deltas, the API's in-stream error of this type with
     * this message, then ending its body}: Anthropic's {@code error} event's {@code error.type}
     * ({@code "overloaded_error"}, {@code "api_error"}), Chat Completions' {@code error.type}, the
     * Responses API's {@code error} event's {@code code}, Gemini's {@code error.status}
     * ({@code "RESOURCE_EXHAUSTED"}), Bedrock's {@code :exception-type} ({@code "throttlingException"},
     * {@code "serviceUnavailableException"}, {@code "modelStreamErrorException"},
     * {@code "validationException"}, {@code "internalServerException"}) with {@code {"message":...}}.
     * A whole, non-streamed answer gets the API's overload error instead, as for {@link #errorAfter(int)}.
     *
     * @throws IllegalArgumentException if {@code n} is negative or {@code type} blank
     */
    public FakeResponse errorAfter(int n, String type, String message) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
        if (type.isBlank()) throw new IllegalArgumentException("type must not be blank");
        FakeResponse r = errorAfter(n);
        r.streamErrorType = type;
        r.streamErrorMessage = message;
        return r;
    }

    /** {@return this answer sending, after {@code n} deltas, an event whose data is malformed JSON (the next one cut in half), then going on} */
    public FakeResponse malformedAfter(int n) {
        return withFault(Fault.after(Fault.Kind.MALFORMED, position("n", n)), false);
    }

    /** {@return this response with the connection cut after {@code n} bytes of its body (a chunked body loses its end)} */
    public FakeResponse cutAfterBytes(int n) {
        return withFault(Fault.after(Fault.Kind.CUT_BYTES, position("n", n)), null);
    }

    /** {@return this response sending nothing after {@code n} bytes of its body, the connection held open until the client closes it} */
    public FakeResponse stallAfterBytes(int n) {
        return withFault(Fault.after(Fault.Kind.STALL_BYTES, position("n", n)), null);
    }

    /** @param replays whether replayed streams take it too (else answers only); null: any response with a body */
    private FakeResponse withFault(Fault f, @Nullable Boolean replays) {
        boolean fits = switch (kind) {
            case PROMPT, ANSWER, OBJECT -> true;
            case RAW -> replays == null || (replays && streams());
            case ERROR -> replays == null;
            case SILENT -> false;
        };
        if (!fits) throw new IllegalStateException("a " + f.kind() + " fault does not fit " + describeKind());
        if (fault != null)
            throw new IllegalStateException("a response has one fault; this one has " + fault.kind() + " already");
        FakeResponse r = copy();
        r.fault = f;
        return r;
    }

    private static int position(String what, int n) {
        if (n < 0) throw new IllegalArgumentException(what + " must not be negative: " + n);
        return n;
    }

    // ------------------------------------------------------------------ pacing and chunking

    /**
     * {@return this response sending its first event after {@code first}, then a delta (or a
     * replayed event) every {@code between}} The {@linkplain #answerPrompt() planned answer} goes
     * by tokens instead: a delta of several tokens waits that many times {@code between}. A
     * whole, non-streamed answer comes when its stream would have ended.
     *
     * @throws IllegalArgumentException if a duration is negative
     */
    public FakeResponse paced(Duration first, Duration between) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(between, "between");
        if (first.isNegative() || between.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative: " + first + ", " + between);
        }
        if (kind == Kind.ERROR || kind == Kind.SILENT)
            throw new IllegalStateException("paced(..) is for streams, not " + describeKind());
        FakeResponse r = copy();
        r.pacing = Pacing.of(first, between);
        return r;
    }

    /**
     * {@return this response written in HTTP chunks of at most {@code bytes} bytes, each flushed on
     * its own: splits land anywhere, inside UTF-8 sequences and line ends} Faults and pacing still
     * count deltas or events.
     *
     * @throws IllegalArgumentException if less than 1
     */
    public FakeResponse inChunksOf(int bytes) {
        if (bytes < 1) throw new IllegalArgumentException("bytes must be at least 1: " + bytes);
        if (kind == Kind.SILENT) throw new IllegalStateException("noResponse() writes nothing to chunk");
        FakeResponse r = copy();
        r.chunkSize = bytes;
        return r;
    }

    // ------------------------------------------------------------------ for the server

    Kind kind() {
        return kind;
    }

    @Nullable
    ApiError error() {
        return error;
    }

    int status() {
        return status;
    }

    @Nullable
    String contentType() {
        return contentType;
    }

    byte[] body() {
        return body;
    }

    Map<String, String> headers() {
        return headers;
    }

    /** {@return the fault, or null for none (a prompt answer then takes its model's)} */
    @Nullable
    Fault fault() {
        return fault;
    }

    /** {@return the API error type of a scripted in-stream error, or null for the API's overload} */
    @Nullable
    String streamErrorType() {
        return streamErrorType;
    }

    /** {@return the message of a scripted in-stream error, or null} */
    @Nullable
    String streamErrorMessage() {
        return streamErrorMessage;
    }

    /** {@return the pause, or null for none} */
    @Nullable
    Fault pause() {
        return pause;
    }

    /** {@return the signal, or null for none} */
    @Nullable
    Fault signal() {
        return signal;
    }

    /** {@return the pacing, or null for the server's} */
    @Nullable
    Pacing pacing() {
        return pacing;
    }

    int chunkSize() {
        return chunkSize;
    }

    /** {@return whether a raw body is an event stream, written event by event} */
    boolean streams() {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    }

    /**
     * {@return the answer for a request in a wire format: fresh ids, the model the request names,
     * usage and stop as scripted or counted} Thinking is left out for a format that has none. A
     * structured answer is generated for the request with the server's seed.
     *
     * @throws ApiError when a structured answer's {@link #wrongTypeAt} points at nothing
     */
    Reply reply(FakeRequest request, WireFormat wire, long seed) throws ApiError {
        if (kind == Kind.OBJECT) {
            ObjectAnswer.Planned p = ObjectAnswer.plan(
                    request, script, seed, new Random(Voice.hash(request.prompt(), seed)), Integer.MAX_VALUE);
            int in = inputTokens >= 0 ? inputTokens : ReplyPlanner.inputTokens(request);
            return new Reply(
                    Ids.neutral(),
                    request.model(),
                    p.blocks(),
                    p.stop(),
                    null,
                    in,
                    outputTokens >= 0 ? outputTokens : p.tokens(),
                    true);
        }
        List<Reply.Block> out = new ArrayList<>(blocks.size());
        int deltas = 0;
        boolean calls = false;
        for (Reply.Block b : blocks) {
            if (b instanceof Reply.Thinking && !wire.thinks()) continue;
            if (b instanceof Reply.ToolUse u) {
                b = new Reply.ToolUse(Ids.neutral(), u.name(), u.input().deepCopy(), u.deltas());
                calls = true;
            }
            out.add(b);
            deltas += b.deltas().size();
        }
        Reply.Stop ending = stop != null ? stop : calls ? Reply.Stop.TOOL_USE : Reply.Stop.END_TURN;
        int in = inputTokens >= 0 ? inputTokens : ReplyPlanner.inputTokens(request);
        int outTokens = outputTokens >= 0 ? outputTokens : deltas;
        return new Reply(Ids.neutral(), request.model(), out, ending, stopSequence, in, outTokens, false);
    }

    private String describeKind() {
        return switch (kind) {
            case PROMPT -> "answerPrompt()";
            case ANSWER -> "answer()";
            case OBJECT ->
                script.pieces() == null
                        ? "object()"
                        : "object(" + script.pieces().size() + " pieces)";
            case ERROR -> "an API error";
            case RAW -> streams() ? "an sse(..) response" : "a status(" + status + ") response";
            case SILENT -> "noResponse()";
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("FakeResponse[").append(describeKind());
        for (Reply.Block b : blocks) {
            sb.append(", ")
                    .append(
                            switch (b) {
                                case Reply.Thinking t -> "thinking";
                                case Reply.Text t -> "text";
                                case Reply.ToolUse u -> "toolCall " + u.name();
                                case Reply.Refusal x -> "refused";
                            })
                    .append(" (")
                    .append(b.deltas().size())
                    .append(" deltas)");
        }
        if (kind == Kind.OBJECT) {
            if (script.cutAt() >= 0)
                sb.append(", truncated after ").append(script.cutAt()).append(" characters");
            if (script.refusal() != null) sb.append(", refused");
            if (script.invalid()) sb.append(", invalid JSON");
            if (script.wrongTypeAt() != null)
                sb.append(", wrong type at '").append(script.wrongTypeAt()).append('\'');
        }
        if (error != null) sb.append(", ").append(error.kind()).append(": ").append(error.getMessage());
        if (kind == Kind.RAW) sb.append(", ").append(body.length).append(" bytes");
        if (pause != null) sb.append(", pause after ").append(pause.after());
        if (signal != null) sb.append(", signal after ").append(signal.after());
        if (fault != null)
            sb.append(", fault ").append(fault.kind()).append(" after ").append(fault.after());
        if (streamErrorType != null) sb.append(" (").append(streamErrorType).append(')');
        return sb.append(']').toString();
    }
}
