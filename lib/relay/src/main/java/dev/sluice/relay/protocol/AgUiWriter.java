package dev.sluice.relay.protocol;

import dev.sluice.chat.PartialJson;
import dev.sluice.relay.RelayEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A {@link dev.sluice.relay.RelayWriter} speaking AG-UI (the Agent–User Interaction protocol, as
 * {@code @ag-ui/core} 1.0 defines its events): what {@code @ag-ui/client}'s {@code HttpAgent}
 * reads. Each relay event becomes the events below, one JSON object per {@code data:} line; the
 * server answers with {@code Content-Type: text/event-stream}.
 *
 * <table>
 * <caption>Relay events and the AG-UI events they become</caption>
 * <tr><th>relay event</th><th>AG-UI events</th></tr>
 * <tr><td>{@code start}</td><td>{@code RUN_STARTED} with the thread and run ids</td></tr>
 * <tr><td>{@code thinking}</td><td>{@code REASONING_START} and {@code REASONING_MESSAGE_START} when
 *     it opens, {@code REASONING_MESSAGE_CONTENT}; {@code REASONING_MESSAGE_END} and
 *     {@code REASONING_END} when something else comes</td></tr>
 * <tr><td>{@code delta}</td><td>{@code TEXT_MESSAGE_START} (role {@code assistant}) when it opens,
 *     {@code TEXT_MESSAGE_CONTENT}; {@code TEXT_MESSAGE_END} when something else comes</td></tr>
 * <tr><td>{@code tool_call}</td><td>{@code TOOL_CALL_START} (its parent the turn's text message, if
 *     any), {@code TOOL_CALL_ARGS} per piece; {@code TOOL_CALL_END} when something else comes</td></tr>
 * <tr><td>{@code tool_progress}</td><td>one activity message per call (type
 *     {@value #PROGRESS_ACTIVITY_TYPE}, id {@code tool-progress-} and the call's id): its first
 *     report {@code ACTIVITY_SNAPSHOT} with the content
 *     {@code {"toolCallId","message","percent","progress","total"}} ({@code null} for what the tool
 *     did not say), each later one {@code ACTIVITY_DELTA} with a JSON Patch {@code replace} of the
 *     members that changed</td></tr>
 * <tr><td>{@code tool_approval}</td><td>{@code RUN_FINISHED} with the outcome {@code interrupt}:
 *     one interrupt whose {@code id} and {@code toolCallId} are the call's, reason
 *     {@value #APPROVAL_REASON}, a {@code message}, a {@code responseSchema} for the answer
 *     {@code {"approved": boolean, "reason"?: string}} and {@code metadata}
 *     {@code {"toolName","arguments"}}. The run ends there ({@link #responseEnded()}) while the
 *     stream waits for the decision, which the next run's {@code resume} brings; that run's
 *     response is this writer made with the decided calls
 *     ({@link #AgUiWriter(OutputStream, String, String, Collection)}), which writes the rest of the
 *     stream after its own {@code RUN_STARTED}</td></tr>
 * <tr><td>{@code tool_approval_decided}</td><td>nothing: a denied call's result (the denial the
 *     model is told) follows as {@code TOOL_CALL_RESULT}</td></tr>
 * <tr><td>{@code tool_input}</td><td>{@code RUN_FINISHED} with the outcome {@code interrupt}: one
 *     interrupt whose {@code id} is the question's ({@link ToolInputResponse#questionId}),
 *     {@code toolCallId} the call's, reason {@value #INPUT_REASON}, {@code message} the tool's
 *     question, {@code responseSchema} the answer's JSON Schema (an object) and {@code metadata}
 *     {@code {"toolName"}}. The run ends there while the tool waits for the answer, which the next
 *     run's {@code resume} brings (resolved with the answer as its payload, or cancelled to decline),
 *     continuing as after an approval</td></tr>
 * <tr><td>{@code tool_done} / {@code tool_failed}</td><td>{@code TOOL_CALL_RESULT} with the result,
 *     or the failure's message, as its content</td></tr>
 * <tr><td>{@code object}</td><td>a structured answer as one activity message (type
 *     {@value #ACTIVITY_TYPE}): {@code ACTIVITY_SNAPSHOT} with the content {@code {}} when it
 *     begins, then {@code ACTIVITY_DELTA} with a JSON Patch each time the object (the pieces of JSON
 *     text read with {@link PartialJson}) shows more: {@code add} for each new member or element,
 *     {@code replace} for a string that grew (JSON Patch cannot append). A reset sends
 *     {@code ACTIVITY_SNAPSHOT} with {@code {}} again, which replaces the content. The content ends
 *     as the whole object, which {@code RUN_FINISHED} follows once it is valid against the schema,
 *     or {@code RUN_ERROR} (its code the failure's kind) when it is not</td></tr>
 * <tr><td>{@code switch}</td><td>{@code CUSTOM} named {@code switch} with the switch's data (AG-UI
 *     cannot take back what a run sent: with mode {@code restart} the messages so far stay, and
 *     the new target's answer follows in new messages)</td></tr>
 * <tr><td>{@code hedge}</td><td>{@code CUSTOM} named {@code hedge} with the hedge's data, before
 *     the winner's first message</td></tr>
 * <tr><td>{@code done}</td><td>{@code RUN_FINISHED}, outcome {@code success} (naming the calls
 *     left without a result in {@code pendingToolCallIds}), with the usage</td></tr>
 * <tr><td>{@code error}</td><td>{@code RUN_ERROR} with the relay's safe message and its type as the code</td></tr>
 * <tr><td>{@code cancelled}</td><td>{@code RUN_FINISHED}, outcome {@code cancelled}</td></tr>
 * </table>
 *
 * <p>Message ids are the run id with a counter, so they are unique in the thread and the same for
 * every subscription of a stream. {@code tool_started} adds nothing: the call's end already went out.
 *
 * <p>Threading: used by one thread at a time (the subscription's). Does not close the stream.
 */
public final class AgUiWriter extends JsonEventWriter {
    /** The {@code activityType} of a structured answer's activity. */
    public static final String ACTIVITY_TYPE = "object";
    /** The {@code activityType} of a tool's progress. */
    public static final String PROGRESS_ACTIVITY_TYPE = "tool_progress";
    /** The {@code reason} of a tool's question's interrupt. */
    public static final String INPUT_REASON = "tool_input";
    /** The {@code reason} of a tool approval's interrupt. */
    public static final String APPROVAL_REASON = "tool_approval";

    private static final String APPROVAL_SCHEMA =
            "{\"type\":\"object\",\"properties\":{\"approved\":{\"type\":\"boolean\"},"
                    + "\"reason\":{\"type\":\"string\"}},\"required\":[\"approved\"]}";
    private final String threadId;
    private final String runId;
    private final Set<String> calls = new LinkedHashSet<>();
    private final Set<String> answered = new HashSet<>();
    private @Nullable String provider;
    private @Nullable String model;
    private @Nullable String textId;
    private @Nullable String lastTextId;
    private @Nullable String reasoningId;
    private @Nullable String openCall;
    private int messages;
    private @Nullable String activityId; // a structured answer's activity message, null before it begins
    private @Nullable PartialJson answer; // its JSON text so far
    private @Nullable Object shown; // the activity's content as the client has it
    private final Map<String, Map<String, String>> progress =
            new HashMap<>(); // each call's progress content as the client has it (JSON values)
    private final Set<String>
            continuing; // approvals an earlier run ended at, not yet passed (written silently until then)
    private boolean ended; // the run ended at an approval

    /**
     * A client writing AG-UI events to a response body.
     *
     * @param out the response body
     * @param threadId the thread's id, from the run's input
     * @param runId the run's id, from the run's input
     * @throws NullPointerException if an argument is null
     */
    public AgUiWriter(OutputStream out, String threadId, String runId) {
        this(out, threadId, runId, Set.of());
    }

    /**
     * A client continuing a stream in a new run after the interrupts that earlier runs ended at:
     * the stream's events from its first up to the last of those interrupts are gone through
     * without being written (the client has them), and what follows is written after this run's
     * {@code RUN_STARTED}.
     *
     * @param out the response body
     * @param threadId the thread's id
     * @param runId this run's id
     * @param resumed the ids of the interrupts the run's {@code "resume"} answered (an approval's is
     *     its call's, a question's {@link ToolInputResponse#questionId}); empty for a run from the
     *     stream's start
     * @throws NullPointerException if an argument is null
     */
    public AgUiWriter(OutputStream out, String threadId, String runId, Collection<String> resumed) {
        super(out);
        this.threadId = Objects.requireNonNull(threadId, "threadId");
        this.runId = Objects.requireNonNull(runId, "runId");
        this.continuing = new HashSet<>(resumed);
        mute(!continuing.isEmpty());
    }

    @Override
    public boolean responseEnded() {
        return ended;
    }

    @Override
    public void send(long id, RelayEvent event) throws IOException {
        switch (event) {
            case RelayEvent.Start s -> {
                provider = s.provider();
                model = s.model();
                data(obj("RUN_STARTED")
                        .str("threadId", threadId)
                        .str("runId", runId)
                        .end());
            }
            case RelayEvent.Thinking t -> {
                endText();
                endCall();
                if (reasoningId == null) {
                    reasoningId = nextMessageId("reasoning");
                    data(obj("REASONING_START").str("messageId", reasoningId).end());
                    data(obj("REASONING_MESSAGE_START")
                            .str("messageId", reasoningId)
                            .str("role", "reasoning")
                            .end());
                }
                data(obj("REASONING_MESSAGE_CONTENT")
                        .str("messageId", reasoningId)
                        .str("delta", t.text())
                        .end());
            }
            case RelayEvent.Delta d -> {
                endReasoning();
                endCall();
                if (textId == null) {
                    textId = nextMessageId("text");
                    lastTextId = textId;
                    data(obj("TEXT_MESSAGE_START")
                            .str("messageId", textId)
                            .str("role", "assistant")
                            .end());
                }
                data(obj("TEXT_MESSAGE_CONTENT")
                        .str("messageId", textId)
                        .str("delta", d.text())
                        .end());
            }
            case RelayEvent.ToolCall c -> {
                endText();
                endReasoning();
                if (!c.id().equals(openCall)) {
                    endCall();
                    if (calls.add(c.id())) {
                        data(obj("TOOL_CALL_START")
                                .str("toolCallId", c.id())
                                .str("toolCallName", c.name())
                                .strIf("parentMessageId", lastTextId)
                                .end());
                        openCall = c.id();
                    }
                }
                if (c.id().equals(openCall) && !c.arguments().isEmpty()) {
                    data(obj("TOOL_CALL_ARGS")
                            .str("toolCallId", c.id())
                            .str("delta", c.arguments())
                            .end());
                }
            }
            case RelayEvent.ToolStarted s -> endAll();
            case RelayEvent.ToolProgress p -> progress(p);
            case RelayEvent.ToolApproval a -> approval(a);
            case RelayEvent.ToolApprovalDecided d -> endAll();
            case RelayEvent.ToolInput q -> {
                endAll();
                String questionId = ToolInputResponse.questionId(q.id(), id);
                interrupt(
                        object().str("id", questionId)
                                .str("reason", INPUT_REASON)
                                .str("message", q.message())
                                .str("toolCallId", q.id())
                                .raw("responseSchema", objectSchema(q.schema()))
                                .raw(
                                        "metadata",
                                        object().str("toolName", q.name()).end())
                                .end(),
                        questionId);
            }
            case RelayEvent.ToolDone d -> toolResult(d.id(), d.result());
            case RelayEvent.ToolFailed f -> toolResult(f.id(), f.message());
            case RelayEvent.ObjectDelta o -> object(o);
            case RelayEvent.Switch s -> {
                endAll();
                data(obj("CUSTOM").str("name", "switch").raw("value", s.data()).end());
                lastTextId = null;
            }
            case RelayEvent.Hedge h ->
                data(obj("CUSTOM").str("name", "hedge").raw("value", h.data()).end());
            case RelayEvent.Verbatim v -> {} // a passthrough's, for the gateway's front doors only
            case RelayEvent.Done d -> {
                endAll();
                String usage = object().strIf("provider", provider)
                        .strIf("model", model)
                        .num("inputTokens", d.inputTokens())
                        .num("outputTokens", d.outputTokens())
                        .num("totalTokens", d.inputTokens() + d.outputTokens())
                        .end();
                JsonEventWriter.Obj outcome = object().str("type", "success");
                StringBuilder pending = new StringBuilder();
                for (String call : calls) {
                    if (answered.contains(call)) continue;
                    pending.append(pending.isEmpty() ? "[" : ",").append(string(call));
                }
                if (!pending.isEmpty())
                    outcome.raw("pendingToolCallIds", pending.append(']').toString());
                data(obj("RUN_FINISHED")
                        .str("threadId", threadId)
                        .str("runId", runId)
                        .raw("outcome", outcome.end())
                        .raw("usage", "[" + usage + "]")
                        .end());
            }
            case RelayEvent.Error e -> {
                endAll();
                data(obj("RUN_ERROR")
                        .str("message", e.message())
                        .str("code", e.errorType())
                        .end());
            }
            case RelayEvent.Cancelled c -> {
                endAll();
                data(obj("RUN_FINISHED")
                        .str("threadId", threadId)
                        .str("runId", runId)
                        .raw("outcome", object().str("type", "cancelled").end())
                        .end());
            }
        }
    }

    /** A tool's progress: the call's activity, its content replaced member by member. */
    private void progress(RelayEvent.ToolProgress p) throws IOException {
        endAll();
        Map<String, String> now = new LinkedHashMap<>();
        now.put("toolCallId", string(p.id()));
        now.put("message", string(p.message()));
        now.put("percent", number(p.percent()));
        now.put("progress", number(p.progress()));
        now.put("total", number(p.total()));
        String messageId = "tool-progress-" + p.id();
        Map<String, String> before = progress.put(p.id(), now);
        if (before == null) {
            JsonEventWriter.Obj content = object();
            now.forEach(content::raw);
            data(obj("ACTIVITY_SNAPSHOT")
                    .str("messageId", messageId)
                    .str("activityType", PROGRESS_ACTIVITY_TYPE)
                    .raw("content", content.end())
                    .end());
            return;
        }
        StringBuilder patch = new StringBuilder("[");
        for (var e : now.entrySet()) {
            if (e.getValue().equals(before.get(e.getKey()))) continue;
            if (patch.length() > 1) patch.append(',');
            patch.append(object().str("op", "replace")
                    .str("path", "/" + e.getKey())
                    .raw("value", e.getValue())
                    .end());
        }
        if (patch.length() == 1) return;
        data(obj("ACTIVITY_DELTA")
                .str("messageId", messageId)
                .str("activityType", PROGRESS_ACTIVITY_TYPE)
                .raw("patch", patch.append(']').toString())
                .end());
    }

    /** A call waits for approval: the run ends with its interrupt. Continuing after this approval, the writing starts here. */
    private void approval(RelayEvent.ToolApproval a) throws IOException {
        endAll();
        String interrupt = object().str("id", a.id())
                .str("reason", APPROVAL_REASON)
                .str("message", "Approve the call of " + a.name() + "?")
                .str("toolCallId", a.id())
                .raw("responseSchema", APPROVAL_SCHEMA)
                .raw(
                        "metadata",
                        object().str("toolName", a.name())
                                .raw("arguments", arguments(a.arguments()))
                                .end())
                .end();
        interrupt(interrupt, a.id());
    }

    /** {@return a question's schema as one JSON object: AG-UI's {@code responseSchema} is one} */
    private static String objectSchema(String schema) {
        String json = arguments(schema);
        return json.startsWith("{") ? json : "{\"type\":\"object\"}";
    }

    /** The run ends with an interrupt. Continuing after this interrupt, the writing starts here. */
    private void interrupt(String interrupt, String interruptId) throws IOException {
        data(obj("RUN_FINISHED")
                .str("threadId", threadId)
                .str("runId", runId)
                .raw(
                        "outcome",
                        object().str("type", "interrupt")
                                .raw("interrupts", "[" + interrupt + "]")
                                .end())
                .end());
        if (!muted()) {
            ended = true;
        } else if (continuing.remove(interruptId) && continuing.isEmpty()) {
            mute(false);
            data(obj("RUN_STARTED")
                    .str("threadId", threadId)
                    .str("runId", runId)
                    .end());
        }
    }

    /** A piece of a structured answer: the activity's content grows by the patch from what it showed to what it shows now. */
    private void object(RelayEvent.ObjectDelta o) throws IOException {
        endAll();
        if (activityId == null || o.reset()) {
            if (activityId == null) activityId = nextMessageId("object");
            answer = new PartialJson();
            shown = Map.of();
            data(obj("ACTIVITY_SNAPSHOT")
                    .str("messageId", activityId)
                    .str("activityType", ACTIVITY_TYPE)
                    .raw("content", "{}")
                    .end());
        }
        PartialJson answer = Objects.requireNonNull(this.answer, "begun above");
        answer.append(o.json());
        if (!(answer.snapshot() instanceof Map<?, ?> now)) return; // not an object (yet): the content stays as it is
        String patch = GrowthPatch.between(shown, now);
        shown = now;
        if (patch.equals("[]")) return;
        data(obj("ACTIVITY_DELTA")
                .str("messageId", activityId)
                .str("activityType", ACTIVITY_TYPE)
                .raw("patch", patch)
                .end());
    }

    private String nextMessageId(String kind) {
        return runId + "-" + kind + "-" + ++messages;
    }

    /** A server tool's result or failure: AG-UI has one event for both, its content the text. */
    private void toolResult(String callId, String content) throws IOException {
        endAll();
        answered.add(callId);
        data(obj("TOOL_CALL_RESULT")
                .str("messageId", nextMessageId("tool"))
                .str("toolCallId", callId)
                .str("content", content)
                .str("role", "tool")
                .end());
        lastTextId = null;
    }

    private void endAll() throws IOException {
        endText();
        endReasoning();
        endCall();
    }

    private void endText() throws IOException {
        if (textId == null) return;
        data(obj("TEXT_MESSAGE_END").str("messageId", textId).end());
        textId = null;
    }

    private void endReasoning() throws IOException {
        if (reasoningId == null) return;
        data(obj("REASONING_MESSAGE_END").str("messageId", reasoningId).end());
        data(obj("REASONING_END").str("messageId", reasoningId).end());
        reasoningId = null;
    }

    private void endCall() throws IOException {
        if (openCall == null) return;
        data(obj("TOOL_CALL_END").str("toolCallId", openCall).end());
        openCall = null;
    }
}
