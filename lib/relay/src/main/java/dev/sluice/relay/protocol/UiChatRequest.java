package dev.sluice.relay.protocol;

import dev.sluice.relay.StartRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A request of the Vercel AI SDK's chat transport ({@code DefaultChatTransport}, what
 * {@code useChat} sends): {@code {"id": CHAT_ID, "messages": [UI messages], "trigger":
 * "submit-message" | "regenerate-message", "messageId"?, ...}} plus the body members the
 * application adds, of which {@code provider}, {@code model}, {@code system} and {@code maxTokens}
 * are read as in {@link StartRequest}. A UI message is {@code {"id", "role": "system" | "user" |
 * "assistant", "parts": [...]}}; the text of its {@code text} parts is what the relay sends on
 * (the conversation is built as described for {@link StartRequest}: consecutive messages of one role
 * are joined, system text goes to the system prompt, other parts — reasoning, tools, files, data —
 * are left out).
 *
 * <p>A body with a {@code schema} member (and {@code schemaName}, as {@link ObjectRequest} reads
 * them) asks for a structured answer: the model's answer is that JSON Schema's object, sent as one
 * {@code data-object} part that fills in ({@link UiMessageStreamWriter}).
 *
 * <p><b>Approvals.</b> A body whose last message is the assistant's with tool parts ({@code
 * tool-NAME} or {@code dynamic-tool}) in state {@code approval-responded} (what
 * {@code addToolApprovalResponse} leaves, {@code approval: {"id", "approved", "reason"?}}) answers
 * the approval requests of the chat's running stream: it starts nothing, and its
 * {@link TurnInput.Decisions#approvals()} decide those calls while the response continues that stream.
 *
 * <p><b>Questions.</b> Likewise, a {@code data-tool-input} part of that message (a running tool's
 * question, as {@link UiMessageStreamWriter} sent it) to which the application added
 * {@code data.answer} — {@code {"action": "accept", "content": {...}}} (the question's fields) or
 * {@code {"action": "decline"}} — answers that question ({@link TurnInput.Decisions#answers()}), named by the part's
 * {@code data.questionId}.
 *
 * @param chatId the chat's id, which the SDK resumes by ({@code GET .../ID/stream}): 8 to 128
 *     letters, digits, {@code -} or {@code _} ({@link #checkChatId})
 * @param trigger what the user did, {@code submit-message} when not given
 * @param turn what the body asks: {@link TurnInput.Start} a stream (with the structured answer's
 *     schema, or none for a text answer), or {@link TurnInput.Decisions} for the chat's running
 *     stream (the approvals and answers the body brings)
 */
public record UiChatRequest(String chatId, String trigger, TurnInput turn) {
    private static final Pattern CHAT_ID = Pattern.compile("[A-Za-z0-9_-]{8,128}");

    /** @throws NullPointerException if an argument is null */
    public UiChatRequest {
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(turn, "turn");
    }

    /**
     * Parses the transport's JSON body.
     *
     * @param json the body
     * @return the request
     * @throws dev.sluice.RelayException {@link dev.sluice.RelayException.Kind#INVALID_REQUEST
     *     INVALID_REQUEST}, with a message naming the member, when the JSON is malformed, {@code id}
     *     is missing or not a chat id ({@link #checkChatId}), {@code messages} is not an array of
     *     UI messages, a role is unknown, no user message has text, the last message with text is
     *     not the user's, an option is wrong, or {@code schema} is not an object schema; or an
     *     {@code approval-responded} part has no {@code approval.id} or boolean {@code approval.approved};
     *     or a {@code data-tool-input} part's {@code data.answer} is not {@code {"action": "accept",
     *     "content": {...}}} (the content as {@link ToolInputResponse#content}) or {@code {"action":
     *     "decline"}}, or comes without the {@code data.questionId} the part was sent with
     */
    public static UiChatRequest parse(String json) {
        Objects.requireNonNull(json, "json");
        Map<?, ?> body = Conversation.object(json, "{\"id\": \"...\", \"messages\": [...]}");
        String id = checkChatId(Conversation.required(body, "id", "\"id\" (the chat's id)"));
        String trigger = Conversation.string(body, "trigger");
        if (body.get("messages") == null)
            throw Conversation.invalid("\"messages\" is required: an array of UI messages");
        List<?> messages = Conversation.list(body, "messages", "\"messages\"");
        List<ToolApprovalResponse> approvals = new ArrayList<>();
        List<ToolInputResponse> answers = new ArrayList<>();
        answers(messages, approvals, answers);
        if (!approvals.isEmpty() || !answers.isEmpty())
            return new UiChatRequest(
                    id, trigger == null ? "submit-message" : trigger, new TurnInput.Decisions(approvals, answers));
        Conversation conversation = new Conversation();
        for (int i = 0; i < messages.size(); i++) {
            Map<?, ?> m = Conversation.map(messages.get(i), "messages[" + i + "]");
            String role = Conversation.string(m, "role", "messages[" + i + "].role");
            String text = text(Conversation.list(m, "parts", "messages[" + i + "].parts"), i);
            switch (role == null ? "" : role) {
                case "user" -> conversation.user(text);
                case "assistant" -> conversation.assistant(text);
                case "system" -> conversation.system(text);
                default ->
                    throw Conversation.invalid("messages[" + i + "].role must be \"user\", \"assistant\" or \"system\""
                            + (role == null ? "" : ", not \"" + Conversation.shorten(role) + "\""));
            }
        }
        return new UiChatRequest(
                id,
                trigger == null ? "submit-message" : trigger,
                new TurnInput.Start(conversation.build(body), ObjectRequest.schema(body, "\"schema\"")));
    }

    /**
     * {@return the chat id, checked}: 8 to 128 letters, digits, {@code -} or {@code _} — what the
     * SDK's {@code generateId()} makes (16 letters and digits), a UUID, a database key — long
     * enough that two clients' chats do not meet by chance
     *
     * @param id the id
     * @throws dev.sluice.RelayException {@link dev.sluice.RelayException.Kind#INVALID_REQUEST
     *     INVALID_REQUEST} when it is not
     */
    public static String checkChatId(String id) {
        Objects.requireNonNull(id, "id");
        if (!CHAT_ID.matcher(id).matches()) {
            throw Conversation.invalid(
                    "a chat's \"id\" must be 8 to 128 letters, digits, '-' or '_' (the SDK's generateId()"
                            + " makes one), not \"" + Conversation.shorten(id) + "\"");
        }
        return id;
    }

    /**
     * Reads the answers in the last message's parts, when it is the assistant's: the approvals in its
     * tool parts, the answers to questions in its {@code data-tool-input} parts.
     */
    private static void answers(
            List<?> messages, List<ToolApprovalResponse> approvals, List<ToolInputResponse> answers) {
        if (messages.isEmpty()) return;
        int i = messages.size() - 1;
        Map<?, ?> m = Conversation.map(messages.get(i), "messages[" + i + "]");
        if (!"assistant".equals(m.get("role"))) return;
        List<?> parts = Conversation.list(m, "parts", "messages[" + i + "].parts");
        for (int k = 0; k < parts.size(); k++) {
            String shown = "messages[" + i + "].parts[" + k + "]";
            Map<?, ?> part = Conversation.map(parts.get(k), shown);
            if (UiMessageStreamWriter.INPUT_PART.equals(part.get("type"))) {
                ToolInputResponse answer = answer(part, shown);
                if (answer != null) answers.add(answer);
                continue;
            }
            if (!(part.get("type") instanceof String type)
                    || !(type.startsWith("tool-") || type.equals("dynamic-tool"))
                    || !"approval-responded".equals(part.get("state"))) {
                continue;
            }
            Map<?, ?> approval = Conversation.map(part.get("approval"), shown + ".approval");
            String id = Conversation.required(approval, "id", shown + ".approval.id");
            if (!(approval.get("approved") instanceof Boolean approved)) {
                throw Conversation.invalid(shown + ".approval.approved must be true or false");
            }
            approvals.add(new ToolApprovalResponse(
                    id, approved, Conversation.string(approval, "reason", shown + ".approval.reason")));
        }
    }

    /** {@return the answer a {@code data-tool-input} part carries, or null when it carries none} */
    private static @Nullable ToolInputResponse answer(Map<?, ?> part, String shown) {
        if (!(part.get("data") instanceof Map<?, ?> data) || data.get("answer") == null) return null;
        Map<?, ?> answer = Conversation.map(data.get("answer"), shown + ".data.answer");
        String action = Conversation.string(answer, "action", shown + ".data.answer.action");
        Map<String, Object> content;
        if ("accept".equals(action)) {
            content = ToolInputResponse.content(answer.get("content"), shown + ".data.answer.content");
        } else if ("decline".equals(action)) {
            content = null;
        } else {
            throw Conversation.invalid(
                    shown + ".data.answer.action must be \"accept\" (with \"content\") or" + " \"decline\"");
        }
        String question = Conversation.required(data, "questionId", shown + ".data.questionId");
        ToolInputResponse response = ToolInputResponse.of(question, content);
        if (response == null) {
            throw Conversation.invalid(shown + ".data.questionId must be the one the part was sent with," + " not \""
                    + Conversation.shorten(question) + "\"");
        }
        return response;
    }

    /** {@return the text of a message's text parts, joined by a blank line} */
    private static String text(List<?> parts, int message) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < parts.size(); k++) {
            String shown = "messages[" + message + "].parts[" + k + "]";
            Map<?, ?> part = Conversation.map(parts.get(k), shown);
            if (!"text".equals(part.get("type"))) continue;
            String text = Conversation.string(part, "text", shown + ".text");
            if (text == null || text.isBlank()) continue;
            if (!sb.isEmpty()) sb.append("\n\n");
            sb.append(text);
        }
        return sb.toString();
    }
}
