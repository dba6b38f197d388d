package dev.sluice.relay.protocol;

import dev.sluice.chat.PartialJson;
import dev.sluice.internal.low.json.text.JsonText;
import dev.sluice.relay.RelayEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A {@link dev.sluice.relay.RelayWriter} speaking the Vercel AI SDK's UI message stream (protocol {@code v1}, as the
 * {@code ai} package's {@code uiMessageChunkSchema} defines it): what {@code useChat}'s
 * {@code DefaultChatTransport} and {@code readUIMessageStream} read. Each relay event becomes the
 * chunks below, one JSON object per {@code data:} line; the server answers with
 * {@code Content-Type: text/event-stream} and {@code x-vercel-ai-ui-message-stream: v1}.
 *
 * <table>
 * <caption>Relay events and the chunks they become</caption>
 * <tr><th>relay event</th><th>chunks</th></tr>
 * <tr><td>{@code start}</td><td>{@code start} with the message id</td></tr>
 * <tr><td>{@code thinking}, {@code delta}</td><td>{@code reasoning-start} / {@code text-start} when a
 *     part opens, then {@code reasoning-delta} / {@code text-delta}; the part ends ({@code -end}) when
 *     something else comes</td></tr>
 * <tr><td>{@code tool_call}</td><td>{@code tool-input-start}, then {@code tool-input-delta} per piece
 *     of the arguments</td></tr>
 * <tr><td>{@code tool_started}</td><td>{@code tool-input-available} with the parsed arguments</td></tr>
 * <tr><td>{@code tool_progress}</td><td>{@code data-tool-progress} with the call's id as its
 *     {@code id}, so the part updates in place: {@code {"toolCallId","message","percent","progress","total"}}
 *     ({@code null} for what the tool did not say)</td></tr>
 * <tr><td>{@code tool_input}</td><td>{@code data-tool-input} with the call's id as its {@code id}
 *     (a later question of the call replaces it in place):
 *     {@code {"toolCallId","toolName","message","schema","questionId"}}, schema the answer's JSON
 *     Schema as an object, questionId the question's ({@link ToolInputResponse#questionId}). When
 *     the tool has not gone on yet (nothing of the call follows in what the stream has so far,
 *     {@link #caughtUp()}), {@code finish} and {@code [DONE]}: the response ends there while the tool
 *     waits for the answer, which the next request brings (the part's {@code data} with an
 *     {@code answer}, {@link UiChatRequest}); that request's response is this writer made with the
 *     question's id among the decided ones, which writes the rest of the stream as the same
 *     assistant message. Answered elsewhere (the relay's approval route), the response goes on</td></tr>
 * <tr><td>{@code tool_approval}</td><td>{@code tool-input-available} if the input was not yet,
 *     {@code tool-approval-request} with the call's id as {@code approvalId} and {@code toolCallId},
 *     then {@code finish-step}. When the stream has no decision of the call yet (nothing of it
 *     follows in what the stream has so far, {@link #caughtUp()}), {@code finish} and
 *     {@code [DONE]}: the response ends there ({@link #responseEnded()}) while the stream waits for
 *     the decision, which the next request brings (the tool part in state
 *     {@code approval-responded}, as {@code addToolApprovalResponse} leaves it); that request's
 *     response is this writer made with the decided calls
 *     ({@link #UiMessageStreamWriter(OutputStream, String, Collection)}), which writes the rest of
 *     the stream as the same assistant message. When the decision follows (a client sent the
 *     stream again after it, as the SDK's resume of a reloaded page), the response goes on</td></tr>
 * <tr><td>{@code tool_approval_decided}</td><td>{@code tool-approval-response} with the decision
 *     and its reason, when this response wrote the request (the client answering in place has the
 *     decision already); then, denied: {@code tool-output-denied} (the tool's later failure, the
 *     denial the model is told, is not sent); approved: nothing, the call's output follows</td></tr>
 * <tr><td>{@code tool_done} / {@code tool_failed}</td><td>{@code tool-output-available} (the result
 *     as a string) / {@code tool-output-error}</td></tr>
 * <tr><td>{@code object}</td><td>{@code data-object} with the id {@value #OBJECT_PART_ID} and, as
 *     {@code data}, the structured answer's value so far (the pieces of JSON text read with
 *     {@link PartialJson}; a part is sent when the value shows more), which the SDK replaces in place
 *     (the same type and id); a reset starts the value again from {@code {}}. The last part holds the
 *     whole object, which {@code done} follows once it is valid against the schema, or {@code error}
 *     (its text the failure: a mismatch, a refusal, a truncated answer) when it is not</td></tr>
 * <tr><td>{@code switch}</td><td>with mode {@code restart}, {@code reset-step}: the SDK drops the
 *     step's parts, and what follows takes their place (a dropped call's later tool events are not
 *     sent); {@code continue} needs nothing</td></tr>
 * <tr><td>{@code hedge}</td><td>a transient {@code data-hedge} part (the SDK hands it to
 *     {@code onData} and keeps it out of the message) with the event's data as {@code data}:
 *     {@code {"from","to","winner","afterMs","loserInputTokens","loserOutputTokens"}}</td></tr>
 * <tr><td>{@code done}</td><td>{@code finish-step}, {@code finish} with the finish reason and
 *     {@code messageMetadata} {@code {"usage":{"inputTokens","outputTokens","totalTokens"},"ttftMs",
 *     "tokensPerSecond","provider","model"}}, then {@code [DONE]}</td></tr>
 * <tr><td>{@code error}</td><td>{@code error} with the relay's safe message, then {@code [DONE]}</td></tr>
 * <tr><td>{@code cancelled}</td><td>{@code abort} with the reason, then {@code [DONE]}</td></tr>
 * </table>
 *
 * <p>Each model turn is a step ({@code start-step} ... {@code finish-step}): a step starts with the
 * model's first output and ends when the model speaks again after every tool it called has ended
 * (the tool runner's next turn), or at the end. The chunks depend only on the events, so a client
 * that reconnects and is sent the stream again from its first event (the SDK's resume, which
 * replays) gets the same chunks and ids.
 *
 * <p>Threading: used by one thread at a time (the subscription's). Does not close the stream.
 */
public final class UiMessageStreamWriter extends JsonEventWriter {
    /** The {@code id} of the {@code data-object} part, the same in every message (one per message). */
    public static final String OBJECT_PART_ID = "object";

    /** The type of the part that carries a tool's question. */
    static final String INPUT_PART = "data-tool-input";

    private final String messageId;
    private final Map<String, Call> calls = new LinkedHashMap<>();
    private final Set<String> stepCalls = new HashSet<>(); // the calls of the open step
    private final Set<String> discarded =
            new HashSet<>(); // calls of a step a restart dropped: their results are not sent
    private @Nullable String provider;
    private @Nullable String model;
    private boolean stepOpen;
    private boolean toolsEnded; // a tool ended since the model last spoke
    private final Set<String> running = new HashSet<>(); // tools started and not yet ended
    private @Nullable String textId;
    private @Nullable String reasoningId;
    private int parts;
    private @Nullable PartialJson answer; // a structured answer's JSON text so far, null before it begins
    private @Nullable String objectSent; // the data-object part's value last sent
    private final Set<String>
            continuing; // approvals an earlier response ended at, not yet passed (written silently until then)
    private final Set<String> denied = new HashSet<>(); // calls a person denied: their failure is not sent
    private final Set<String> asked =
            new HashSet<>(); // approval requests written whose decision has not come: the response ends at them once
    // caught up
    private final Map<String, String> questions =
            new LinkedHashMap<>(); // call id -> id of its question this response wrote, while the tool has not gone on
    private boolean ended; // the response ended at an approval request or a question

    /** A tool call of this message. */
    private static final class Call {
        final String name;
        final StringBuilder arguments = new StringBuilder();
        boolean available;

        Call(String name) {
            this.name = name;
        }
    }

    /**
     * A client writing the UI message stream to a response body.
     *
     * @param out the response body
     * @param messageId the assistant message's id, sent in {@code start}: the same for every
     *     subscription of a stream, so that a resumed client keeps its message
     * @throws NullPointerException if an argument is null
     */
    public UiMessageStreamWriter(OutputStream out, String messageId) {
        this(out, messageId, Set.of());
    }

    /**
     * A client continuing a stream after approval requests that earlier responses ended at: the
     * stream's events from its first up to the last of those requests are gone through without
     * being written (the client has them), and what follows is written after a {@code start} with
     * the message id, which continues the client's assistant message.
     *
     * @param out the response body
     * @param messageId the assistant message's id
     * @param decided the ids of the calls whose approval requests the client answered, and of the
     *     questions it answered ({@link ToolInputResponse#questionId}); empty for a response from the
     *     stream's start
     * @throws NullPointerException if an argument is null
     */
    public UiMessageStreamWriter(OutputStream out, String messageId, Collection<String> decided) {
        super(out);
        this.messageId = Objects.requireNonNull(messageId, "messageId");
        this.continuing = new HashSet<>(decided);
        mute(!continuing.isEmpty());
    }

    @Override
    public boolean responseEnded() {
        return ended;
    }

    @Override
    public void send(long id, RelayEvent event) throws IOException {
        if (isDiscardedTool(event)) return;
        String toolCall = callOf(event);
        if (toolCall != null) questions.remove(toolCall); // the tool went on (or asks anew): its question is not open
        switch (event) {
            case RelayEvent.Start s -> {
                provider = s.provider();
                model = s.model();
                data(obj("start").str("messageId", messageId).end());
            }
            case RelayEvent.Thinking t -> {
                modelSpeaks();
                endText();
                if (reasoningId == null) {
                    reasoningId = "reasoning-" + ++parts;
                    data(obj("reasoning-start").str("id", reasoningId).end());
                }
                data(obj("reasoning-delta")
                        .str("id", reasoningId)
                        .str("delta", t.text())
                        .end());
            }
            case RelayEvent.Delta d -> {
                modelSpeaks();
                endReasoning();
                if (textId == null) {
                    textId = "text-" + ++parts;
                    data(obj("text-start").str("id", textId).end());
                }
                data(obj("text-delta").str("id", textId).str("delta", d.text()).end());
            }
            case RelayEvent.ToolCall c -> {
                modelSpeaks();
                endText();
                endReasoning();
                Call call = calls.get(c.id());
                if (call == null) {
                    call = new Call(c.name());
                    calls.put(c.id(), call);
                    stepCalls.add(c.id());
                    discarded.remove(
                            c.id()); // an id the restarted answer uses again (a provider without call ids) is its own
                    data(obj("tool-input-start")
                            .str("toolCallId", c.id())
                            .str("toolName", c.name())
                            .end());
                }
                if (!c.arguments().isEmpty() && !call.available) {
                    call.arguments.append(c.arguments());
                    data(obj("tool-input-delta")
                            .str("toolCallId", c.id())
                            .str("inputTextDelta", c.arguments())
                            .end());
                }
            }
            case RelayEvent.ToolStarted s -> {
                running.add(s.id());
                available(s.id(), s.name());
            }
            case RelayEvent.ToolProgress p ->
                data(obj("data-tool-progress")
                        .str("id", p.id())
                        .raw(
                                "data",
                                object().str("toolCallId", p.id())
                                        .str("message", p.message())
                                        .num("percent", p.percent())
                                        .num("progress", p.progress())
                                        .num("total", p.total())
                                        .end())
                        .end());
            case RelayEvent.ToolApproval a -> approval(a);
            case RelayEvent.ToolInput q -> question(id, q);
            case RelayEvent.Hedge h ->
                data(obj("data-hedge")
                        .raw("data", h.data())
                        .raw("transient", "true")
                        .end());
            case RelayEvent.Verbatim v -> {} // a passthrough's, for the gateway's front doors only
            case RelayEvent.ToolApprovalDecided d -> {
                if (asked.remove(d.id())) {
                    data(obj("tool-approval-response")
                            .str("approvalId", d.id())
                            .raw("approved", Boolean.toString(d.approved()))
                            .strIf("reason", d.reason())
                            .end());
                }
                if (d.approved()) return;
                denied.add(d.id());
                toolEnded(d.id());
                data(obj("tool-output-denied").str("toolCallId", d.id()).end());
            }
            case RelayEvent.ToolDone d -> {
                toolEnded(d.id());
                data(obj("tool-output-available")
                        .str("toolCallId", d.id())
                        .str("output", d.result())
                        .end());
            }
            case RelayEvent.ToolFailed f -> {
                toolEnded(f.id());
                if (denied.contains(f.id())) return; // the client shows the denial
                data(obj("tool-output-error")
                        .str("toolCallId", f.id())
                        .str("errorText", f.message())
                        .end());
            }
            case RelayEvent.ObjectDelta o -> {
                modelSpeaks();
                endText();
                endReasoning();
                if (o.reset() || answer == null) {
                    answer = new PartialJson();
                    objectSent = null;
                }
                answer.append(o.json());
                Object value = answer.snapshot();
                if (value == null && !o.reset()) return;
                StringBuilder sb = new StringBuilder();
                JsonText.write(value == null ? Map.of() : value, sb);
                String json = sb.toString();
                if (json.equals(objectSent)) return;
                objectSent = json;
                data(obj("data-object")
                        .str("id", OBJECT_PART_ID)
                        .raw("data", json)
                        .end());
            }
            case RelayEvent.Switch s -> {
                if (s.reset() && stepOpen) {
                    data(obj("reset-step").end());
                    textId = null;
                    reasoningId = null;
                    discarded.addAll(stepCalls);
                    calls.keySet().removeAll(stepCalls);
                    running.removeAll(stepCalls);
                    stepCalls.clear();
                }
            }
            case RelayEvent.Done d -> {
                endStep();
                String usage = object().num("inputTokens", d.inputTokens())
                        .num("outputTokens", d.outputTokens())
                        .num("totalTokens", d.inputTokens() + d.outputTokens())
                        .end();
                JsonEventWriter.Obj metadata = object().raw("usage", usage)
                        .raw("ttftMs", d.ttftMs() == null ? "null" : d.ttftMs().toString())
                        .num("tokensPerSecond", Math.round(d.tokensPerSecond() * 10) / 10.0)
                        .strIf("provider", provider)
                        .strIf("model", model);
                JsonEventWriter.Obj finish = obj("finish");
                String reason = finishReason(d.finishReason());
                if (reason != null) finish.str("finishReason", reason);
                data(finish.raw("messageMetadata", metadata.end()).end());
                data("[DONE]");
            }
            case RelayEvent.Error e -> {
                endParts();
                data(obj("error").str("errorText", e.message()).end());
                data("[DONE]");
            }
            case RelayEvent.Cancelled c -> {
                endParts();
                data(obj("abort").str("reason", c.reason()).end());
                data("[DONE]");
            }
        }
    }

    /** {@return the call a tool's event is of (the model streaming the call, tool_call, is not one), or null for another event} */
    private static @Nullable String callOf(RelayEvent event) {
        return switch (event) {
            case RelayEvent.ToolStarted s -> s.id();
            case RelayEvent.ToolProgress p -> p.id();
            case RelayEvent.ToolDone d -> d.id();
            case RelayEvent.ToolFailed f -> f.id();
            case RelayEvent.ToolApproval a -> a.id();
            case RelayEvent.ToolInput q -> q.id();
            case RelayEvent.ToolApprovalDecided d -> d.id();
            default -> null;
        };
    }

    /**
     * A tool asks a question: the part; the response ends once caught up unless the tool goes on.
     * Continuing after this question, the writing starts after it.
     */
    private void question(long id, RelayEvent.ToolInput q) throws IOException {
        String questionId = ToolInputResponse.questionId(q.id(), id);
        data(obj(INPUT_PART)
                .str("id", q.id())
                .raw(
                        "data",
                        object().str("toolCallId", q.id())
                                .str("toolName", q.name())
                                .str("message", q.message())
                                .raw("schema", arguments(q.schema()))
                                .str("questionId", questionId)
                                .end())
                .end());
        if (!muted()) {
            questions.put(q.id(), questionId);
        } else if (continuing.remove(questionId) && continuing.isEmpty()) {
            mute(false);
            data(obj("start").str("messageId", messageId).end());
        }
    }

    /** {@return whether the event is a tool's of a step a restart dropped (the SDK has no part left for it)} */
    private boolean isDiscardedTool(RelayEvent event) {
        if (discarded.isEmpty()) return false;
        String call = callOf(event);
        return call != null && discarded.contains(call);
    }

    /**
     * A call waits for approval: the request; the response ends once caught up unless the decision
     * follows. Continuing after this approval, the writing starts here.
     */
    private void approval(RelayEvent.ToolApproval a) throws IOException {
        endText();
        endReasoning();
        if (!calls.containsKey(a.id())) { // its input was not streamed: the request's is the whole
            Call call = new Call(a.name());
            call.arguments.append(a.arguments());
            calls.put(a.id(), call);
            stepCalls.add(a.id());
        }
        available(a.id(), a.name());
        data(obj("tool-approval-request")
                .str("approvalId", a.id())
                .str("toolCallId", a.id())
                .end());
        endStep();
        if (!muted()) {
            asked.add(a.id());
        } else if (continuing.remove(a.id()) && continuing.isEmpty()) {
            mute(false);
            data(obj("start").str("messageId", messageId).end());
        }
    }

    /**
     * The client has what the stream has so far: a call whose approval request this response wrote
     * and whose decision has not come waits for one, as a tool whose question this response wrote
     * and that has not gone on waits for the answer, and the response ends there ({@code finish},
     * {@code [DONE]}).
     */
    @Override
    public void caughtUp() throws IOException {
        if ((asked.isEmpty() && questions.isEmpty()) || ended) return;
        data(obj("finish").end());
        data("[DONE]");
        ended = true;
    }

    /** {@return the SDK's finish reason for the relay's: {@code stop}, {@code length}, ... or {@code other}; null for none} */
    static @Nullable String finishReason(@Nullable String relay) {
        if (relay == null) return null;
        return switch (relay) {
            case "stop" -> "stop";
            case "length" -> "length";
            case "tool_calls" -> "tool-calls";
            case "content_filter" -> "content-filter";
            default -> "other";
        };
    }

    /** The model produces output: the first of a step, or of the next step after its tools ended. */
    private void modelSpeaks() throws IOException {
        if (stepOpen && toolsEnded && running.isEmpty()) endStep();
        toolsEnded = false;
        if (!stepOpen) {
            stepOpen = true;
            data(obj("start-step").end());
        }
    }

    private void available(String callId, String name) throws IOException {
        Call call = calls.get(callId);
        if (call == null) {
            call = new Call(name);
            calls.put(callId, call);
            stepCalls.add(callId);
        }
        if (call.available) return;
        call.available = true;
        data(obj("tool-input-available")
                .str("toolCallId", callId)
                .str("toolName", call.name)
                .raw("input", arguments(call.arguments.toString()))
                .end());
    }

    private void toolEnded(String callId) throws IOException {
        Call call = calls.get(callId);
        if (call == null || !call.available) available(callId, call == null ? "unknown" : call.name);
        running.remove(callId);
        toolsEnded = true;
    }

    private void endText() throws IOException {
        if (textId == null) return;
        data(obj("text-end").str("id", textId).end());
        textId = null;
    }

    private void endReasoning() throws IOException {
        if (reasoningId == null) return;
        data(obj("reasoning-end").str("id", reasoningId).end());
        reasoningId = null;
    }

    /** Ends the open text and reasoning parts, and makes every call's input available. */
    private void endParts() throws IOException {
        endText();
        endReasoning();
        for (var e : calls.entrySet()) {
            if (!e.getValue().available) available(e.getKey(), e.getValue().name);
        }
    }

    private void endStep() throws IOException {
        endParts();
        if (stepOpen) data(obj("finish-step").end());
        stepOpen = false;
        stepCalls.clear();
    }
}
