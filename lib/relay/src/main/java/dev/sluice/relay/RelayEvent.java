package dev.sluice.relay;

import dev.sluice.client.Failover;
import dev.sluice.internal.low.json.text.JsonText;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One event of the browser protocol, as a {@link Relay} sends it: over Server-Sent Events as
 * {@code id: n}, {@code event: }{@link #type()}, {@code data: }{@link #data()}; over a WebSocket as
 * one JSON text frame, {@link #frame(long, String)}. The family is the protocol's table of
 * contents; a {@link RelaySource} yields them, the relay numbers them.
 *
 * <table>
 * <caption>Event types and their data</caption>
 * <tr><th>type</th><th>data</th><th>record</th></tr>
 * <tr><td>{@code start}</td><td>{@code {"provider","model"}}</td><td>{@link Start}</td></tr>
 * <tr><td>{@code delta}</td><td>{@code {"text"}}</td><td>{@link Delta}</td></tr>
 * <tr><td>{@code thinking}</td><td>{@code {"text"}}</td><td>{@link Thinking}</td></tr>
 * <tr><td>{@code tool_call}</td><td>{@code {"id","name","arguments"}}, the next piece of the
 *     arguments' JSON text</td><td>{@link ToolCall}</td></tr>
 * <tr><td>{@code tool_started}</td><td>{@code {"id","name"}}</td><td>{@link ToolStarted}</td></tr>
 * <tr><td>{@code tool_progress}</td><td>{@code {"id","message","percent","progress","total"}}, percent
 *     0 to 100 or null; progress how far (MCP's {@code progress}) and total of how much, each null
 *     when not known</td><td>{@link ToolProgress}</td></tr>
 * <tr><td>{@code tool_approval}</td><td>{@code {"id","name","arguments"}}: the call waits for a
 *     person's decision ({@link Relay#approve}); arguments its whole JSON text</td><td>{@link ToolApproval}</td></tr>
 * <tr><td>{@code tool_approval_decided}</td><td>{@code {"id","approved","reason"}}, reason null when
 *     none was given</td><td>{@link ToolApprovalDecided}</td></tr>
 * <tr><td>{@code tool_input}</td><td>{@code {"id","name","message","schema"}}: the call's tool (an MCP
 *     server's elicitation, an MCP task's {@code input_required}) asks the person {@code message}
 *     and waits for the answer ({@link Relay#answer}); schema the answer's flat JSON Schema, its
 *     whole JSON text; both the server's (untrusted)</td><td>{@link ToolInput}</td></tr>
 * <tr><td>{@code tool_done}</td><td>{@code {"id","result"}}</td><td>{@link ToolDone}</td></tr>
 * <tr><td>{@code tool_failed}</td><td>{@code {"id","message"}}</td><td>{@link ToolFailed}</td></tr>
 * <tr><td>{@code object}</td><td>{@code {"json","reset"}}: the next piece of a structured answer's JSON
 *     text; reset true when the answer starts again (a fallback chain's restart), the text so far
 *     discarded</td><td>{@link ObjectDelta}</td></tr>
 * <tr><td>{@code done}</td><td>{@code {"finishReason","usage":{"inputTokens","outputTokens",
 *     "cacheReadTokens"?,"cacheWriteTokens"?},"ttftMs","tokensPerSecond","text"?,"finishMessage"?}},
 *     the cache counts where not 0, text the whole answer, finishMessage
 *     what the model or provider said about the stop (a refusal's words)</td><td>{@link Done}</td></tr>
 * <tr><td>{@code error}</td><td>{@code {"type","message","requestId"?}}</td><td>{@link Error}</td></tr>
 * <tr><td>{@code cancelled}</td><td>{@code {"reason"}}</td><td>{@link Cancelled}</td></tr>
 * <tr><td>{@code switch}</td><td>{@code {"from","to","reason","mode","kept"}}: a fallback chain moved
 *     the answer to another target; mode {@code restart} means discard the answer so far</td><td>{@link Switch}</td></tr>
 * <tr><td>{@code hedge}</td><td>{@code {"from","to","winner","afterMs","loserInputTokens","loserOutputTokens"}}:
 *     a fallback chain raced {@code to} beside a slow {@code from} and kept {@code winner}; before
 *     the winner's first event, nothing to discard</td><td>{@link Hedge}</td></tr>
 * </table>
 *
 * <p>After a {@linkplain #terminal() terminal} event ({@code done}, {@code error},
 * {@code cancelled}) a response ends. Records are immutable; text is carried as given (the page
 * treats it as untrusted). Strings in the data and frames are written HTML-safe: {@code <},
 * {@code >}, {@code &}, U+2028 and U+2029 as {@code \}{@code u} escapes, so no text can close a
 * script element or forge a line.
 *
 * <p>Why this file is long: two fifths Javadoc; the protocol's whole table of contents, one record per
 * event type with the JSON of its data, in one sealed family as every wire family here is, so that
 * a new event type is one record in the one place a reader looks.
 */
public sealed interface RelayEvent
        permits RelayEvent.Start,
                RelayEvent.Delta,
                RelayEvent.Thinking,
                RelayEvent.ToolCall,
                RelayEvent.ToolStarted,
                RelayEvent.ToolProgress,
                RelayEvent.ToolApproval,
                RelayEvent.ToolApprovalDecided,
                RelayEvent.ToolInput,
                RelayEvent.ToolDone,
                RelayEvent.ToolFailed,
                RelayEvent.ObjectDelta,
                RelayEvent.Done,
                RelayEvent.Error,
                RelayEvent.Cancelled,
                RelayEvent.Switch,
                RelayEvent.Hedge,
                RelayEvent.Verbatim {

    /** {@return the event type, the SSE {@code event} field} */
    String type();

    /** {@return the event's data as one JSON object, the SSE {@code data} field} */
    String data();

    /** {@return whether the response ends after this event: {@code done}, {@code error}, {@code cancelled}} */
    default boolean terminal() {
        return false;
    }

    /**
     * {@return the event as one WebSocket text frame: the {@link #data()} object with {@code "id"}
     * and {@code "type"} first, and {@code "stream"} when a stream id is given} An {@code error}
     * event's own {@code type} and {@code message} are nested under {@code "error"}, since the
     * frame's {@code type} is the event type.
     *
     * @param id the event's id
     * @param streamId the stream's id, given in a socket's first frame; null for none
     */
    default String frame(long id, @Nullable String streamId) {
        StringBuilder sb = new StringBuilder(data().length() + 48);
        sb.append("{\"id\":").append(id).append(",\"type\":");
        string(sb, type());
        if (streamId != null) {
            sb.append(",\"stream\":");
            string(sb, streamId);
        }
        String body = this instanceof Error ? "{\"error\":" + data() + "}" : data();
        if (body.length() > 2) sb.append(',').append(body, 1, body.length());
        else sb.append('}');
        return sb.toString();
    }

    /** {@return an object of string members, from alternating names and values (a null value as JSON null)} */
    private static String object(String... namesAndValues) {
        int size = 2;
        for (String s : namesAndValues) size += (s == null ? 4 : s.length()) + 4;
        StringBuilder sb = new StringBuilder(size).append('{');
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (i > 0) sb.append(',');
            string(sb, namesAndValues[i]);
            sb.append(':');
            if (namesAndValues[i + 1] == null) sb.append("null");
            else string(sb, namesAndValues[i + 1]);
        }
        return sb.append('}').toString();
    }

    private static void string(StringBuilder sb, String s) {
        JsonText.writeHtmlSafeString(s, sb);
    }

    /** Appends a number, whole ones without a fraction; null as JSON null. */
    private static void number(StringBuilder sb, @Nullable Double d) {
        if (d == null) sb.append("null");
        else if (d == Math.rint(d) && Math.abs(d) < 1e15) sb.append(d.longValue());
        else sb.append(d);
    }

    /**
     * The stream began.
     *
     * @param provider the provider's name as the relay knows it
     * @param model the model asked for
     */
    record Start(String provider, String model) implements RelayEvent {
        /** @throws NullPointerException if an argument is null */
        public Start {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(model, "model");
        }

        @Override
        public String type() {
            return "start";
        }

        @Override
        public String data() {
            return object("provider", provider, "model", model);
        }
    }

    /**
     * The next piece of the answer.
     *
     * @param text the piece, as the model produced it
     */
    record Delta(String text) implements RelayEvent {
        /** @throws NullPointerException if text is null */
        public Delta {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return "delta";
        }

        @Override
        public String data() {
            return object("text", text);
        }
    }

    /**
     * The next piece of the model's visible reasoning.
     *
     * @param text the piece
     */
    record Thinking(String text) implements RelayEvent {
        /** @throws NullPointerException if text is null */
        public Thinking {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return "thinking";
        }

        @Override
        public String data() {
            return object("text", text);
        }
    }

    /**
     * A piece of a tool call the model is writing.
     *
     * @param id the call's id (every piece carries it)
     * @param name the tool's name
     * @param arguments the next piece of the arguments' JSON text, possibly empty
     */
    record ToolCall(String id, String name, String arguments) implements RelayEvent {
        /** @throws NullPointerException if an argument is null */
        public ToolCall {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arguments, "arguments");
        }

        @Override
        public String type() {
            return "tool_call";
        }

        @Override
        public String data() {
            return object("id", id, "name", name, "arguments", arguments);
        }
    }

    /**
     * A tool began to run (the tool runner's event).
     *
     * @param id the tool call's id
     * @param name the tool's name
     */
    record ToolStarted(String id, String name) implements RelayEvent {
        /** @throws NullPointerException if an argument is null */
        public ToolStarted {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String type() {
            return "tool_started";
        }

        @Override
        public String data() {
            return object("id", id, "name", name);
        }
    }

    /**
     * A running tool reported progress.
     *
     * @param id the tool call's id
     * @param message what it is doing, possibly empty
     * @param percent how far it is, 0 to 100 (a negative zero is made 0), or null when it cannot tell
     * @param progress how far it is in its own units (MCP's {@code progress}: steps, bytes), or null
     * @param total of how much, in the same units, or null when unknown
     */
    record ToolProgress(
            String id,
            String message,
            @Nullable Double percent,
            @Nullable Double progress,
            @Nullable Double total) implements RelayEvent {
        /**
         * @throws NullPointerException if id or message is null
         * @throws IllegalArgumentException if percent is outside 0 to 100, or progress or total is
         *     not a finite number
         */
        public ToolProgress {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(message, "message");
            if (percent != null && !(percent >= 0 && percent <= 100)) {
                throw new IllegalArgumentException("percent must be between 0 and 100, or null: " + percent);
            }
            if (progress != null && !Double.isFinite(progress))
                throw new IllegalArgumentException("progress must be finite: " + progress);
            if (total != null && !Double.isFinite(total))
                throw new IllegalArgumentException("total must be finite: " + total);
            if (percent != null)
                percent = percent + 0.0; // -0.0 + 0.0 is 0.0: JSON text cannot carry a zero's sign back
            if (progress != null) progress = progress + 0.0;
            if (total != null) total = total + 0.0;
        }

        /**
         * Progress told as a percent only.
         *
         * @param id the tool call's id
         * @param message what it is doing, possibly empty
         * @param percent 0 to 100, or null
         * @throws NullPointerException if id or message is null
         * @throws IllegalArgumentException if percent is outside 0 to 100
         */
        public ToolProgress(String id, String message, @Nullable Double percent) {
            this(id, message, percent, null, null);
        }

        @Override
        public String type() {
            return "tool_progress";
        }

        @Override
        public String data() {
            StringBuilder sb = new StringBuilder();
            sb.append("{\"id\":");
            string(sb, id);
            sb.append(",\"message\":");
            string(sb, message);
            sb.append(",\"percent\":");
            number(sb, percent);
            sb.append(",\"progress\":");
            number(sb, progress);
            sb.append(",\"total\":");
            number(sb, total);
            return sb.append('}').toString();
        }
    }

    /**
     * A tool call waits for a person's approval before it runs (the stream pauses in place; its
     * heartbeats go on). Answered with {@link Relay#approve}: {@code POST
     * /api/streams/{stream}/approvals/{call}} or a WebSocket {@code approval} frame; the decision
     * follows as {@link ToolApprovalDecided}.
     *
     * @param id the tool call's id
     * @param name the tool's name
     * @param arguments the call's arguments, their whole JSON text (the model's: untrusted)
     */
    record ToolApproval(String id, String name, String arguments) implements RelayEvent {
        /** @throws NullPointerException if an argument is null */
        public ToolApproval {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arguments, "arguments");
        }

        @Override
        public String type() {
            return "tool_approval";
        }

        @Override
        public String data() {
            return object("id", id, "name", name, "arguments", arguments);
        }
    }

    /**
     * A tool call that waited for approval was decided: approved (it runs now), denied, or not
     * decided in time (denied, with the reason saying so).
     *
     * @param id the tool call's id
     * @param approved whether it runs
     * @param reason why, as the person or the runner gave it; null when none
     */
    record ToolApprovalDecided(
            String id, boolean approved, @Nullable String reason) implements RelayEvent {
        /** @throws NullPointerException if id is null */
        public ToolApprovalDecided {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String type() {
            return "tool_approval_decided";
        }

        @Override
        public String data() {
            StringBuilder sb = new StringBuilder(64).append("{\"id\":");
            string(sb, id);
            sb.append(",\"approved\":").append(approved).append(",\"reason\":");
            if (reason == null) sb.append("null");
            else string(sb, reason);
            return sb.append('}').toString();
        }
    }

    /**
     * A running tool asks the person something and waits for the answer (an MCP server's
     * elicitation, an MCP task's {@code input_required}); the stream goes on meanwhile (progress
     * and heartbeats). Answered with {@link Relay#answer} ({@code POST
     * /api/streams/{stream}/approvals/{call}} with {@code {"approved": true, "content": {...}}}, or a
     * WebSocket {@code approval} frame with {@code content}) or declined with {@link Relay#approve}
     * and false. A call may ask more than once; each question is a new event. Unanswered within the
     * tool runner's approval timeout, the tool is told no one answered (an MCP task is cancelled).
     *
     * @param id the tool call's id
     * @param name the tool's name
     * @param message the question, for a person to read (the server's: untrusted)
     * @param schema the answer's flat JSON Schema, its whole JSON text (the server's: untrusted)
     */
    record ToolInput(String id, String name, String message, String schema) implements RelayEvent {
        /** @throws NullPointerException if an argument is null */
        public ToolInput {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(schema, "schema");
        }

        @Override
        public String type() {
            return "tool_input";
        }

        @Override
        public String data() {
            return object("id", id, "name", name, "message", message, "schema", schema);
        }
    }

    /**
     * A tool finished.
     *
     * @param id the tool call's id
     * @param result what it returned, as text
     */
    record ToolDone(String id, String result) implements RelayEvent {
        /** @throws NullPointerException if an argument is null */
        public ToolDone {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(result, "result");
        }

        @Override
        public String type() {
            return "tool_done";
        }

        @Override
        public String data() {
            return object("id", id, "result", result);
        }
    }

    /**
     * A tool failed.
     *
     * @param id the tool call's id
     * @param message why
     */
    record ToolFailed(String id, String message) implements RelayEvent {
        /** @throws NullPointerException if an argument is null */
        public ToolFailed {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String type() {
            return "tool_failed";
        }

        @Override
        public String data() {
            return object("id", id, "message", message);
        }
    }

    /**
     * The answer is complete.
     *
     * @param finishReason why the model stopped, in lower case ({@code stop}, {@code length},
     *     {@code tool_calls}, ...), or null when the provider did not say
     * @param inputTokens tokens read, 0 when unknown
     * @param outputTokens tokens generated, 0 when unknown
     * @param ttftMs milliseconds from the request to the first content, or null when none came
     * @param tokensPerSecond output tokens per second from the first content to the end, 0 when
     *     unknown or too short to measure ({@link #tokensPerSecond(long, Duration)}; a negative zero
     *     is made 0)
     * @param text the answer's whole text (every turn's, a blank line between turns): what a client
     *     appends to the conversation as the assistant's message; null when unknown (then the data
     *     has no {@code text}). A {@link Relay} fills it in from the deltas when a source's
     *     {@code done} has none, unless the answer outgrew a quarter of the replay buffer
     * @param finishMessage what the provider or the model said about the stop, as the chat layer's
     *     {@link dev.sluice.chat.FinishReason#message()} carries it: a refusal's words (never part of
     *     the text), a content filter's explanation; null when nothing (then the data has no
     *     {@code finishMessage})
     * @param cacheReadTokens input tokens read from the provider's prompt cache, not counted in
     *     inputTokens; 0 when none or unknown
     * @param cacheWriteTokens input tokens written to the provider's prompt cache, not counted in
     *     inputTokens; 0 when none or unknown
     */
    record Done(
            @Nullable String finishReason,
            long inputTokens,
            long outputTokens,
            @Nullable Long ttftMs,
            double tokensPerSecond,
            @Nullable String text,
            @Nullable String finishMessage,
            long cacheReadTokens,
            long cacheWriteTokens)
            implements RelayEvent {
        private static final long MEASURED_TOKENS = 10;
        private static final Duration MEASURED_TIME = Duration.ofMillis(250);

        /** @throws IllegalArgumentException if a count or rate is negative or not finite */
        public Done {
            if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0) {
                throw new IllegalArgumentException("token counts must not be negative: " + inputTokens + ", "
                        + outputTokens + ", " + cacheReadTokens + ", " + cacheWriteTokens);
            }
            if (ttftMs != null && ttftMs < 0)
                throw new IllegalArgumentException("ttftMs must not be negative: " + ttftMs);
            if (!(tokensPerSecond >= 0) || Double.isInfinite(tokensPerSecond)) {
                throw new IllegalArgumentException("tokensPerSecond must be a finite number >= 0: " + tokensPerSecond);
            }
            tokensPerSecond += 0.0; // -0.0 + 0.0 is 0.0: JSON text cannot carry a zero's sign back
        }

        /**
         * A {@code done} without cache counts.
         *
         * @param finishReason why the model stopped, or null
         * @param inputTokens tokens read
         * @param outputTokens tokens generated
         * @param ttftMs milliseconds to the first content, or null
         * @param tokensPerSecond output tokens per second
         * @param text the answer's whole text, or null
         * @param finishMessage what was said about the stop, or null
         * @throws IllegalArgumentException as the canonical constructor
         */
        public Done(
                @Nullable String finishReason,
                long inputTokens,
                long outputTokens,
                @Nullable Long ttftMs,
                double tokensPerSecond,
                @Nullable String text,
                @Nullable String finishMessage) {
            this(finishReason, inputTokens, outputTokens, ttftMs, tokensPerSecond, text, finishMessage, 0, 0);
        }

        /** {@return input tokens with the cache's reads and writes: what OpenAI's APIs count as the prompt's} */
        public long totalInputTokens() {
            return inputTokens + cacheReadTokens + cacheWriteTokens;
        }

        /**
         * A {@code done} without a finish message.
         *
         * @param finishReason why the model stopped, or null
         * @param inputTokens tokens read
         * @param outputTokens tokens generated
         * @param ttftMs milliseconds to the first content, or null
         * @param tokensPerSecond output tokens per second
         * @param text the answer's whole text, or null
         * @throws IllegalArgumentException as the canonical constructor
         */
        public Done(
                @Nullable String finishReason,
                long inputTokens,
                long outputTokens,
                @Nullable Long ttftMs,
                double tokensPerSecond,
                @Nullable String text) {
            this(finishReason, inputTokens, outputTokens, ttftMs, tokensPerSecond, text, null);
        }

        /**
         * A {@code done} without the answer's text or a finish message.
         *
         * @param finishReason why the model stopped, or null
         * @param inputTokens tokens read
         * @param outputTokens tokens generated
         * @param ttftMs milliseconds to the first content, or null
         * @param tokensPerSecond output tokens per second
         * @throws IllegalArgumentException as the canonical constructor
         */
        public Done(
                @Nullable String finishReason,
                long inputTokens,
                long outputTokens,
                @Nullable Long ttftMs,
                double tokensPerSecond) {
            this(finishReason, inputTokens, outputTokens, ttftMs, tokensPerSecond, null, null);
        }

        /**
         * {@return output tokens per second as a {@code done} event carries it, and as every figure
         * Sluice shows is computed (the {@code sluice} tool's summary, the chat page): the tokens
         * after the first over the time from the first content to the end; 0 when the answer is too
         * short to measure, with fewer than 10 output tokens or less than 0.25 s from its first
         * content to its end (two tokens a millisecond apart are no rate)}
         *
         * @param outputTokens the answer's output tokens
         * @param firstContentToEnd the time from its first content to its end
         * @throws IllegalArgumentException if outputTokens is negative
         * @throws NullPointerException if firstContentToEnd is null
         */
        public static double tokensPerSecond(long outputTokens, Duration firstContentToEnd) {
            if (outputTokens < 0)
                throw new IllegalArgumentException("outputTokens must not be negative: " + outputTokens);
            Objects.requireNonNull(firstContentToEnd, "firstContentToEnd");
            if (outputTokens < MEASURED_TOKENS || firstContentToEnd.compareTo(MEASURED_TIME) < 0) return 0;
            return (outputTokens - 1) / (firstContentToEnd.toNanos() / 1e9);
        }

        @Override
        public String type() {
            return "done";
        }

        @Override
        public boolean terminal() {
            return true;
        }

        @Override
        public String data() {
            StringBuilder sb = new StringBuilder(128
                    + (text == null ? 0 : text.length() + text.length() / 8)
                    + (finishMessage == null ? 0 : finishMessage.length() + 20));
            sb.append("{\"finishReason\":");
            if (finishReason == null) sb.append("null");
            else string(sb, finishReason);
            sb.append(",\"usage\":{\"inputTokens\":")
                    .append(inputTokens)
                    .append(",\"outputTokens\":")
                    .append(outputTokens);
            if (cacheReadTokens > 0) sb.append(",\"cacheReadTokens\":").append(cacheReadTokens);
            if (cacheWriteTokens > 0) sb.append(",\"cacheWriteTokens\":").append(cacheWriteTokens);
            sb.append("},\"ttftMs\":");
            sb.append(ttftMs == null ? "null" : ttftMs.toString());
            sb.append(",\"tokensPerSecond\":");
            number(sb, Math.round(tokensPerSecond * 10) / 10.0);
            if (text != null) {
                sb.append(",\"text\":");
                string(sb, text);
            }
            if (finishMessage != null) {
                sb.append(",\"finishMessage\":");
                string(sb, finishMessage);
            }
            return sb.append('}').toString();
        }
    }

    /**
     * The next piece of a structured answer's JSON text (a stream of a typed object, such as
     * {@code POST /api/object}'s): the pieces in order are the object's JSON, which a client parses
     * as it grows (with a partial JSON parser: each piece costs only its own length). The object is
     * validated against its schema at the end: a valid one ends the stream with {@code done}, an
     * invalid one with {@code error} (type {@code schema_mismatch}, {@code truncated},
     * {@code refused} or {@code invalid_json}).
     *
     * @param json the next piece of the JSON text, possibly empty
     * @param reset whether the answer starts again with this piece: a fallback chain restarted it on
     *     another target, and a client discards the JSON text so far
     */
    record ObjectDelta(String json, boolean reset) implements RelayEvent {
        /** @throws NullPointerException if json is null */
        public ObjectDelta {
            Objects.requireNonNull(json, "json");
        }

        @Override
        public String type() {
            return "object";
        }

        @Override
        public String data() {
            StringBuilder sb = new StringBuilder(json.length() + 32).append("{\"json\":");
            string(sb, json);
            return sb.append(",\"reset\":").append(reset).append('}').toString();
        }
    }

    /**
     * The stream failed; what arrived before stays delivered. What a browser sees of a failure: its
     * kind, a short message safe to show (the relay's own words, or the provider's message cleaned
     * of credentials, the addresses it names replaced by {@code [address]}; never a Java class name
     * or a raw upstream body) and the provider's request id, to quote to its support. The relay
     * logs the whole failure.
     *
     * @param errorType a machine-readable kind ({@code overloaded_error}, {@code timeout},
     *     {@code transport_error}, {@code upstream_error} for a provider's type that was not a short
     *     identifier, ...)
     * @param message what happened, for people
     * @param requestId the provider's request id, or null when there is none (then the data has no
     *     {@code requestId} member)
     */
    @SuppressWarnings("AvoidCommonTypeNames") // the relay protocol's event name; always written RelayEvent.Error
    record Error(String errorType, String message, @Nullable String requestId) implements RelayEvent {
        /** @throws NullPointerException if errorType or message is null */
        public Error {
            Objects.requireNonNull(errorType, "errorType");
            Objects.requireNonNull(message, "message");
        }

        /**
         * An error without a request id.
         *
         * @param errorType a machine-readable kind
         * @param message what happened, for people
         */
        public Error(String errorType, String message) {
            this(errorType, message, null);
        }

        @Override
        public String type() {
            return "error";
        }

        @Override
        public boolean terminal() {
            return true;
        }

        @Override
        public String data() {
            return requestId == null
                    ? object("type", errorType, "message", message)
                    : object("type", errorType, "message", message, "requestId", requestId);
        }
    }

    /**
     * The stream was cancelled (a {@code DELETE}, a WebSocket {@code cancel}, or no client came
     * back within the resume window).
     *
     * @param reason why, for people
     */
    record Cancelled(String reason) implements RelayEvent {
        /** @throws NullPointerException if reason is null */
        public Cancelled {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String type() {
            return "cancelled";
        }

        @Override
        public boolean terminal() {
            return true;
        }

        @Override
        public String data() {
            return object("reason", reason);
        }
    }

    /**
     * A fallback chain ({@code dev.sluice.chat.FallbackChain}) moved the answer to its next target
     * (see {@link dev.sluice.client.Failover}). Built from the failure's kind, never from a
     * provider's text. With mode {@code restart} a client discards the answer received so far (its
     * text, thinking and tool calls) and shows what follows in its place; with {@code continue} it
     * keeps it and appends. Not terminal.
     *
     * @param from the target that failed, as the chain names it ({@code anthropic:claude-sonnet-5-5})
     * @param to the target the answer goes on with
     * @param reason the failure's kind: {@code overloaded}, {@code rate_limited}, {@code server_error},
     *     {@code timeout}, {@code connection_lost}, {@code malformed} or {@code breaker_open}
     * @param mode {@code continue} or {@code restart}
     * @param kept the answer text kept (the whole text so far) for {@code continue}; empty for
     *     {@code restart} and for a switch before any text
     */
    record Switch(String from, String to, String reason, String mode, String kept) implements RelayEvent {
        /** @throws NullPointerException if an argument is null */
        public Switch {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(kept, "kept");
        }

        /**
         * {@return the event of a chain's switch}
         *
         * @param failover the switch
         */
        public static Switch of(Failover failover) {
            return new Switch(
                    failover.from(),
                    failover.to(),
                    failover.reasonName(),
                    failover.mode().name().toLowerCase(Locale.ROOT),
                    failover.keptText());
        }

        /** {@return whether a client must discard the answer so far: mode {@code restart}} */
        public boolean reset() {
            return mode.equals("restart");
        }

        @Override
        public String type() {
            return "switch";
        }

        @Override
        public String data() {
            return object("from", from, "to", to, "reason", reason, "mode", mode, "kept", kept);
        }
    }

    /**
     * A fallback chain ({@code dev.sluice.chat.FallbackChain}) hedged the stream (see
     * {@link dev.sluice.client.Hedge}): its first target had sent no content after {@code afterMs},
     * so it started {@code to} as well and kept {@code winner}, cancelling the other. Comes before
     * the winner's first content; nothing of the loser was or will be sent, so a client discards
     * nothing. Names and counts only. Not terminal.
     *
     * @param from the target that was running, as the chain names it
     * @param to the target started as the hedge
     * @param winner the target that answers: {@code from} or {@code to}
     * @param afterMs how long {@code from} had gone without content when the hedge started, in milliseconds
     * @param loserInputTokens the input tokens the cancelled attempt reported
     * @param loserOutputTokens the output tokens the cancelled attempt reported
     */
    record Hedge(String from, String to, String winner, long afterMs, long loserInputTokens, long loserOutputTokens)
            implements RelayEvent {
        /** @throws NullPointerException if a name is null */
        public Hedge {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(winner, "winner");
        }

        /**
         * {@return the event of a chain's hedge}
         *
         * @param hedge the hedge
         */
        public static Hedge of(dev.sluice.client.Hedge hedge) {
            return new Hedge(
                    hedge.from(),
                    hedge.to(),
                    hedge.winner(),
                    hedge.after().toMillis(),
                    hedge.loserInputTokens(),
                    hedge.loserOutputTokens());
        }

        @Override
        public String type() {
            return "hedge";
        }

        @Override
        public String data() {
            StringBuilder sb = new StringBuilder(object("from", from, "to", to, "winner", winner));
            sb.setLength(sb.length() - 1);
            return sb.append(",\"afterMs\":")
                    .append(afterMs)
                    .append(",\"loserInputTokens\":")
                    .append(loserInputTokens)
                    .append(",\"loserOutputTokens\":")
                    .append(loserOutputTokens)
                    .append('}')
                    .toString();
        }
    }

    /**
     * An upstream's own event, passed as it came to a client of the same API (the gateway's
     * passthrough, {@link RelaySource#verbatim}): only a {@link DirectRun} carries it, straight to
     * its writer; the relay's own protocols and a relayed stream never see one.
     *
     * @param event the upstream's event name ({@code content_block_delta}, {@code response.completed})
     * @param json the upstream's event data, its JSON as received
     */
    record Verbatim(String event, String json) implements RelayEvent {
        /**
         * The {@link #event()} of an upstream's whole answer to a request that asked for no stream
         * ({@link dev.sluice.chat.Passthrough#answer}): its JSON body as it came. No
         * provider names an event so.
         */
        public static final String ANSWER = "sluice.answer";

        /** @throws NullPointerException if an argument is null */
        public Verbatim {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(json, "json");
        }

        @Override
        public String type() {
            return "verbatim";
        }

        /** {@return the upstream's JSON, as received} */
        @Override
        public String data() {
            return json;
        }
    }
}
