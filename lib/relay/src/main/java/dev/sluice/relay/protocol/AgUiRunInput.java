package dev.sluice.relay.protocol;

import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolResult;
import dev.sluice.objects.ObjectSchema;
import dev.sluice.relay.StartRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An AG-UI {@code RunAgentInput} (as {@code @ag-ui/core} 1.0 defines it, what {@code HttpAgent}
 * posts): {@code {"threadId", "runId", "messages", "tools", "context", "state"?, "forwardedProps"?}}.
 * The text of {@code user} and {@code assistant} messages is the conversation ({@code content} as a
 * string, or the text of its text parts); {@code system} and {@code developer} messages and the
 * {@code context} entries ({@code description: value}) make the system prompt; {@code reasoning}
 * and {@code activity} messages are left out. {@code forwardedProps} may name {@code provider},
 * {@code model}, {@code system} and {@code maxTokens}, as in {@link StartRequest}. {@code state} is
 * not read.
 *
 * <p><b>Structured answers.</b> {@code forwardedProps.schema} (with {@code schemaName}, as
 * {@link ObjectRequest} reads them; AG-UI passes {@code forwardedProps} on for the agent's own
 * parameters) asks for that JSON Schema's object instead of text: it streams as one activity
 * ({@link AgUiWriter}). Such a run declares no tools.
 *
 * <p><b>Frontend tools.</b> When {@code tools} declares any ({@code {"name", "description",
 * "parameters"}}), they are the model's tools ({@link #toChatRequest}): the frontend runs them. The
 * assistants' {@code toolCalls} and the {@code "tool"} messages' results (an {@code error} member
 * makes an error result) then join the conversation, each call with its result; a call without a
 * result in the input, or a result without its call, is left out (providers refuse either alone).
 * Without declared tools, tool calls and {@code "tool"} messages are left out, as the server runs its
 * own tools and the text around them carries the turn.
 *
 * <p><b>Resume.</b> A run whose {@code resume} answers interrupts ({@code [{"interruptId",
 * "status": "resolved" | "cancelled", "payload"?}]}) continues the thread's stream that ended at a
 * tool approval ({@link AgUiWriter}): it starts nothing, and its approvals decide those
 * calls ({@link TurnInput.Decisions#approvals()}), each interrupt's id being its call's. A resolved entry's payload is
 * {@code {"approved": boolean, "reason"?: string}} (or the boolean alone); a cancelled entry
 * denies the call. An entry for a tool's question (its interrupt's id {@code input-N-CALL},
 * {@link ToolInputResponse#questionId}) answers that question ({@link TurnInput.Decisions#answers()}): resolved, its
 * payload is the answer, an object of the question's fields ({@link ToolInputResponse#content});
 * cancelled, the question is declined.
 *
 * @param threadId the thread's id
 * @param runId the run's id
 * @param tools the tools the frontend declared, to offer to the model; empty for none
 * @param turn what the run asks: {@link TurnInput.Start} a stream (what the relay streams, with the
 *     tool calls and results when tools are declared, and the structured answer's schema or none
 *     for a text answer), or {@link TurnInput.Decisions} for the thread's running stream (the
 *     approvals and answers of the run's {@code resume})
 */
public record AgUiRunInput(String threadId, String runId, List<Tool> tools, TurnInput turn) {
    private static final Pattern THREAD_ID = Pattern.compile("[A-Za-z0-9_-]{8,128}");

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a start with a schema comes with tools
     */
    public AgUiRunInput {
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(turn, "turn");
        tools = List.copyOf(tools);
        if (turn instanceof TurnInput.Start s && s.schema() != null && !tools.isEmpty())
            throw new IllegalArgumentException("a run with a schema declares no tools");
    }

    /**
     * {@return the thread id, checked}: 8 to 128 letters, digits, {@code -} or {@code _}, as a
     * chat's id ({@link UiChatRequest#checkChatId}) — a UUID, what {@code @ag-ui/client} makes, is
     * one. A thread's id finds the run that waits for an approval, so it must be too long to guess.
     *
     * @param id the id
     * @throws dev.sluice.RelayException {@link dev.sluice.RelayException.Kind#INVALID_REQUEST
     *     INVALID_REQUEST} when it is not
     */
    public static String checkThreadId(String id) {
        Objects.requireNonNull(id, "id");
        if (!THREAD_ID.matcher(id).matches()) {
            throw Conversation.invalid(
                    "\"threadId\" must be 8 to 128 letters, digits, '-' or '_' (a UUID is one), not \""
                            + Conversation.shorten(id) + "\"");
        }
        return id;
    }

    /**
     * Parses a run's input.
     *
     * @param json the body
     * @return the input
     * @throws dev.sluice.RelayException {@link dev.sluice.RelayException.Kind#INVALID_REQUEST
     *     INVALID_REQUEST}, with a message naming the member, when the JSON is malformed, the thread
     *     or run id is missing, the thread id is not one ({@link #checkThreadId}), {@code messages}
     *     is not an array of messages, a role is unknown, no user message has text, the last message with text is not the user's (or, with tools, a
     *     tool's result), a tool, tool call or tool message is malformed, an option is wrong, or
     *     {@code forwardedProps.schema} is not an object schema or comes with tools; or a
     *     {@code resume} entry has no {@code interruptId}, another status, or a resolved one a
     *     payload without a boolean {@code approved} (for a tool's question, a payload that is not
     *     an answer's content, {@link ToolInputResponse#content})
     */
    public static AgUiRunInput parse(String json) {
        Objects.requireNonNull(json, "json");
        Map<?, ?> body = Conversation.object(json, "{\"threadId\": \"...\", \"runId\": \"...\", \"messages\": [...]}");
        String threadId = Conversation.required(body, "threadId", "\"threadId\"");
        String runId = Conversation.required(body, "runId", "\"runId\"");
        checkThreadId(threadId);
        if (runId.length() > 256) throw Conversation.invalid("\"runId\" must be at most 256 characters");
        if (body.get("messages") == null) throw Conversation.invalid("\"messages\" is required: an array of messages");
        List<?> messages = Conversation.list(body, "messages", "\"messages\"");
        List<ToolApprovalResponse> approvals = new ArrayList<>();
        List<ToolInputResponse> answers = new ArrayList<>();
        resume(body, approvals, answers);
        if (!approvals.isEmpty() || !answers.isEmpty())
            return new AgUiRunInput(threadId, runId, List.of(), new TurnInput.Decisions(approvals, answers));
        List<Tool> tools = new ArrayList<>();
        List<?> declared = Conversation.list(body, "tools", "\"tools\"");
        for (int i = 0; i < declared.size(); i++) {
            tools.add(Conversation.tool(
                    Conversation.map(declared.get(i), "tools[" + i + "]"), "tools[" + i + "]", tools));
        }
        boolean withTools = !tools.isEmpty();
        Set<String> called = new HashSet<>();
        Set<String> answered = new HashSet<>();
        if (withTools) { // which calls have a result, and which results a call
            for (int i = 0; i < messages.size(); i++) {
                Map<?, ?> m = Conversation.map(messages.get(i), "messages[" + i + "]");
                if ("assistant".equals(m.get("role"))) {
                    List<?> list = toolCalls(m, i);
                    for (int k = 0; k < list.size(); k++) {
                        called.add(Conversation.toolCall(list.get(k), k, "messages[" + i + "].toolCalls[" + k + "]")
                                .id());
                    }
                } else if ("tool".equals(m.get("role"))) {
                    answered.add(Conversation.required(m, "toolCallId", "messages[" + i + "].toolCallId"));
                }
            }
        }
        Conversation conversation = new Conversation();
        Set<String> added = new HashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            String shown = "messages[" + i + "]";
            Map<?, ?> m = Conversation.map(messages.get(i), shown);
            String role = Conversation.string(m, "role", shown + ".role");
            switch (role == null ? "" : role) {
                case "user" -> conversation.user(content(m.get("content"), shown));
                case "assistant" -> {
                    List<ToolCall> calls = new ArrayList<>();
                    if (withTools) {
                        List<?> list = toolCalls(m, i);
                        for (int k = 0; k < list.size(); k++) {
                            ToolCall c = Conversation.toolCall(list.get(k), k, shown + ".toolCalls[" + k + "]");
                            if (answered.contains(c.id()))
                                calls.add(ToolCall.of(calls.size(), c.id(), c.name(), c.arguments()));
                        }
                    }
                    conversation.assistant(content(m.get("content"), shown), calls);
                }
                case "system", "developer" -> conversation.system(content(m.get("content"), shown));
                case "tool" -> {
                    if (!withTools) continue;
                    String id = Conversation.required(m, "toolCallId", shown + ".toolCallId");
                    String error = Conversation.string(m, "error", shown + ".error");
                    String content = content(m.get("content"), shown);
                    if (!called.contains(id) || !added.add(id)) continue; // no call for it, or answered already
                    conversation.toolResult(
                            error != null
                                    ? ToolResult.error(
                                            id, content == null || content.isBlank() ? error : error + ": " + content)
                                    : ToolResult.of(id, content == null ? "" : content));
                }
                case "reasoning", "activity" -> {}
                default ->
                    throw Conversation.invalid(shown + ".role must be one of user, assistant, system, developer, tool,"
                            + " reasoning, activity"
                            + (role == null ? "" : ", not \"" + Conversation.shorten(role) + "\""));
            }
        }
        for (Object c : Conversation.list(body, "context", "\"context\"")) {
            Map<?, ?> entry = Conversation.map(c, "a \"context\" entry");
            String description = Conversation.string(entry, "description", "context[].description");
            String value = Conversation.string(entry, "value", "context[].value");
            if (value != null)
                conversation.system(description == null || description.isBlank() ? value : description + ": " + value);
        }
        Object props = body.get("forwardedProps");
        Map<?, ?> options = props == null ? Map.of() : Conversation.map(props, "\"forwardedProps\"");
        ObjectSchema<Map<String, Object>> schema = ObjectRequest.schema(options, "\"forwardedProps.schema\"");
        if (schema != null && withTools) {
            throw Conversation.invalid(
                    "a run with \"forwardedProps.schema\" asks for a structured answer and cannot declare"
                            + " \"tools\": send one or the other");
        }
        return new AgUiRunInput(threadId, runId, tools, new TurnInput.Start(conversation.build(options), schema));
    }

    /**
     * {@return the provider's request: the admitted start request with the frontend's tools}
     *
     * @param admitted the start request as the server admitted it (its model resolved)
     */
    public ChatRequest toChatRequest(StartRequest.Resolved admitted) {
        return Conversation.chatRequest(admitted, tools, null, List.of(), null, null);
    }

    /** Reads the answers of the run's {@code resume}: the approvals, and the answers to tools' questions. */
    private static void resume(Map<?, ?> body, List<ToolApprovalResponse> approvals, List<ToolInputResponse> answers) {
        List<?> entries = Conversation.list(body, "resume", "\"resume\"");
        for (int i = 0; i < entries.size(); i++) {
            String shown = "resume[" + i + "]";
            Map<?, ?> entry = Conversation.map(entries.get(i), shown);
            String id = Conversation.required(entry, "interruptId", shown + ".interruptId");
            String status = Conversation.string(entry, "status", shown + ".status");
            if (!"cancelled".equals(status) && !"resolved".equals(status))
                throw Conversation.invalid(shown + ".status must be \"resolved\" or \"cancelled\"");
            boolean resolved = "resolved".equals(status);
            if (ToolInputResponse.isQuestionId(id)) {
                answers.add(Objects.requireNonNull(ToolInputResponse.of(
                        id, resolved ? ToolInputResponse.content(entry.get("payload"), shown + ".payload") : null)));
                continue;
            }
            if (!resolved) {
                approvals.add(new ToolApprovalResponse(id, false, "cancelled"));
                continue;
            }
            Object payload = entry.get("payload");
            if (payload instanceof Boolean approved) {
                approvals.add(new ToolApprovalResponse(id, approved, null));
            } else if (payload instanceof Map<?, ?> answer && answer.get("approved") instanceof Boolean approved) {
                approvals.add(new ToolApprovalResponse(
                        id, approved, Conversation.string(answer, "reason", shown + ".payload.reason")));
            } else {
                throw Conversation.invalid(shown + ".payload must be {\"approved\": true|false, \"reason\"?: \"...\"}"
                        + " (the answer to a tool approval)");
            }
        }
    }

    /** {@return an assistant message's {@code toolCalls}, empty when absent} */
    private static List<?> toolCalls(Map<?, ?> m, int i) {
        return Conversation.list(m, "toolCalls", "messages[" + i + "].toolCalls");
    }

    /** {@return a message's text: its content string, or the text of its text parts} */
    private static @Nullable String content(@Nullable Object content, String shown) {
        if (content == null || content instanceof String) return (String) content;
        if (!(content instanceof List<?> parts))
            throw Conversation.invalid(shown + ".content must be a string or an array of parts");
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            Map<?, ?> part = Conversation.map(p, shown + ".content[]");
            if (!"text".equals(part.get("type"))) continue;
            String text = Conversation.string(part, "text", shown + ".content[].text");
            if (text == null || text.isBlank()) continue;
            if (!sb.isEmpty()) sb.append("\n\n");
            sb.append(text);
        }
        return sb.toString();
    }
}
