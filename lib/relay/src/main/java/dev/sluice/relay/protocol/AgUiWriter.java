package dev.sluice.relay.protocol;

import dev.sluice.chat.PartialJson;
import dev.sluice.relay.RelayEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
 * <tr><td>{@code tool_progress}</td><td>{@code CUSTOM} named {@code tool_progress} with
 *     {@code {"toolCallId","message","percent"}}</td></tr>
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
    private final String threadId;
    private final String runId;
    private final Set<String> calls = new LinkedHashSet<>();
    private final Set<String> answered = new HashSet<>();
    private String provider;
    private String model;
    private String textId;
    private String lastTextId;
    private String reasoningId;
    private String openCall;
    private int messages;
    private String activityId; // a structured answer's activity message, null before it begins
    private PartialJson answer; // its JSON text so far
    private Object shown; // the activity's content as the client has it

    /**
     * A client writing AG-UI events to a response body.
     *
     * @param out the response body
     * @param threadId the thread's id, from the run's input
     * @param runId the run's id, from the run's input
     * @throws NullPointerException if an argument is null
     */
    public AgUiWriter(OutputStream out, String threadId, String runId) {
        super(out);
        this.threadId = Objects.requireNonNull(threadId, "threadId");
        this.runId = Objects.requireNonNull(runId, "runId");
    }

    @Override
    public void send(long id, RelayEvent event) throws IOException {
        switch (event) {
            case RelayEvent.Start s -> {
                provider = s.provider();
                model = s.model();
                data(obj("RUN_STARTED").str("threadId", threadId).str("runId", runId).end());
            }
            case RelayEvent.Thinking t -> {
                endText();
                endCall();
                if (reasoningId == null) {
                    reasoningId = nextMessageId("reasoning");
                    data(obj("REASONING_START").str("messageId", reasoningId).end());
                    data(obj("REASONING_MESSAGE_START").str("messageId", reasoningId).str("role", "reasoning").end());
                }
                data(obj("REASONING_MESSAGE_CONTENT").str("messageId", reasoningId).str("delta", t.text()).end());
            }
            case RelayEvent.Delta d -> {
                endReasoning();
                endCall();
                if (textId == null) {
                    textId = nextMessageId("text");
                    lastTextId = textId;
                    data(obj("TEXT_MESSAGE_START").str("messageId", textId).str("role", "assistant").end());
                }
                data(obj("TEXT_MESSAGE_CONTENT").str("messageId", textId).str("delta", d.text()).end());
            }
            case RelayEvent.ToolCall c -> {
                endText();
                endReasoning();
                if (!c.id().equals(openCall)) {
                    endCall();
                    if (calls.add(c.id())) {
                        data(obj("TOOL_CALL_START").str("toolCallId", c.id()).str("toolCallName", c.name())
                                .strIf("parentMessageId", lastTextId).end());
                        openCall = c.id();
                    }
                }
                if (c.id().equals(openCall) && !c.arguments().isEmpty()) {
                    data(obj("TOOL_CALL_ARGS").str("toolCallId", c.id()).str("delta", c.arguments()).end());
                }
            }
            case RelayEvent.ToolStarted s -> endAll();
            case RelayEvent.ToolProgress p -> {
                endAll();
                data(obj("CUSTOM").str("name", "tool_progress").raw("value", object().str("toolCallId", p.id())
                        .str("message", p.message()).num("percent", p.percent()).end()).end());
            }
            case RelayEvent.ToolDone d -> toolResult(d.id(), d.result());
            case RelayEvent.ToolFailed f -> toolResult(f.id(), f.message());
            case RelayEvent.ObjectDelta o -> object(o);
            case RelayEvent.Switch s -> {
                endAll();
                data(obj("CUSTOM").str("name", "switch").raw("value", s.data()).end());
                lastTextId = null;
            }
            case RelayEvent.Done d -> {
                endAll();
                String usage = object().strIf("provider", provider).strIf("model", model).num("inputTokens", d.inputTokens())
                        .num("outputTokens", d.outputTokens()).num("totalTokens", d.inputTokens() + d.outputTokens()).end();
                JsonEventWriter.Obj outcome = object().str("type", "success");
                StringBuilder pending = new StringBuilder();
                for (String call : calls) {
                    if (answered.contains(call)) continue;
                    pending.append(pending.isEmpty() ? "[" : ",").append(string(call));
                }
                if (!pending.isEmpty()) outcome.raw("pendingToolCallIds", pending.append(']').toString());
                data(obj("RUN_FINISHED").str("threadId", threadId).str("runId", runId)
                        .raw("outcome", outcome.end()).raw("usage", "[" + usage + "]").end());
            }
            case RelayEvent.Error e -> {
                endAll();
                data(obj("RUN_ERROR").str("message", e.message()).str("code", e.errorType()).end());
            }
            case RelayEvent.ToolApproval a -> { } // not carried by this protocol yet
            case RelayEvent.ToolApprovalDecided a -> { }
            case RelayEvent.Cancelled c -> {
                endAll();
                data(obj("RUN_FINISHED").str("threadId", threadId).str("runId", runId)
                        .raw("outcome", object().str("type", "cancelled").end()).end());
            }
        }
    }

    /** A piece of a structured answer: the activity's content grows by the patch from what it showed to what it shows now. */
    private void object(RelayEvent.ObjectDelta o) throws IOException {
        endAll();
        if (activityId == null || o.reset()) {
            if (activityId == null) activityId = nextMessageId("object");
            answer = new PartialJson();
            shown = Map.of();
            data(obj("ACTIVITY_SNAPSHOT").str("messageId", activityId).str("activityType", ACTIVITY_TYPE).raw("content", "{}").end());
        }
        answer.append(o.json());
        if (!(answer.snapshot() instanceof Map<?, ?> now)) return; // not an object (yet): the content stays as it is
        String patch = GrowthPatch.between(shown, now);
        shown = now;
        if (patch.equals("[]")) return;
        data(obj("ACTIVITY_DELTA").str("messageId", activityId).str("activityType", ACTIVITY_TYPE).raw("patch", patch).end());
    }

    private String nextMessageId(String kind) {
        return runId + "-" + kind + "-" + ++messages;
    }

    /** A server tool's result or failure: AG-UI has one event for both, its content the text. */
    private void toolResult(String callId, String content) throws IOException {
        endAll();
        answered.add(callId);
        data(obj("TOOL_CALL_RESULT").str("messageId", nextMessageId("tool")).str("toolCallId", callId)
                .str("content", content).str("role", "tool").end());
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
