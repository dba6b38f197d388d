package dev.sluice.testkit.internal.wire.openai;

import dev.sluice.testkit.internal.answer.ReplyPlanner;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.internal.wire.ApiError;
import org.jspecify.annotations.Nullable;

/**
 * How the fake's Chat Completions endpoint streams reasoning, as OpenAI-compatible servers do,
 * chosen by the model name (OpenAI's own models stream none there):
 *
 * <ul>
 *   <li>{@code deepseek-...}: DeepSeek's thinking mode, on unless the request says
 *       {@code "thinking":{"type":"disabled"}} ({@code deepseek-chat}: off unless it says
 *       {@code enabled}): {@code delta.reasoning_content}, and DeepSeek's rule, strictly: an assistant
 *       message of a tool-call turn (from a user message to the next, a turn in which the model
 *       called a tool) without {@code reasoning_content} is a 400 with DeepSeek's text, and one
 *       with an empty {@code reasoning_content} a 400 with the V4 models' text;
 *   <li>{@code fake-reasoning-content}: {@code delta.reasoning_content} (older vLLM, LM Studio),
 *       nothing checked;
 *   <li>{@code fake-reasoning}: {@code delta.reasoning} (vLLM, Ollama's {@code /v1}), nothing checked;
 *   <li>{@code fake-reasoning-details}: OpenRouter with a Claude model behind it:
 *       {@code delta.reasoning} with {@code reasoning_details} ({@code reasoning.text} pieces, then
 *       its {@code signature}, then a {@code reasoning.encrypted} entry), and Anthropic's rules as
 *       OpenRouter passes them on: an altered signature or encrypted {@code data} is a 400, and so
 *       is a tool loop's last assistant message with tool calls sent back without its
 *       {@code reasoning_details}.
 * </ul>
 * Each 400 adds to {@link dev.sluice.testkit.FakeLlmServer#opaqueRejections()}.
 */
public enum CompatibleReasoning {
    NONE,
    REASONING_CONTENT,
    REASONING,
    DETAILS;

    static final String CONTENT_MODEL = "fake-reasoning-content";
    static final String REASONING_MODEL = "fake-reasoning";
    static final String DETAILS_MODEL = "fake-reasoning-details";
    /** The format OpenRouter names Claude's reasoning with. */
    static final String FORMAT = "anthropic-claude-v1";

    /** {@return whether a {@code fake-} model name is one of these} */
    public static boolean names(String model) {
        return model.equals(CONTENT_MODEL) || model.equals(REASONING_MODEL) || model.equals(DETAILS_MODEL);
    }

    /** {@return whether the model is DeepSeek's (its rule is checked)} */
    static boolean deepSeek(String model) {
        return model.startsWith("deepseek-");
    }

    /** {@return how a request for the model streams reasoning; DeepSeek's as its {@code thinking} field says} */
    static CompatibleReasoning of(String model, @Nullable JsonNode body) {
        if (deepSeek(model)) {
            String thinking =
                    body == null ? "" : body.path("thinking").path("type").asText("");
            boolean on = model.equals("deepseek-chat") ? thinking.equals("enabled") : !thinking.equals("disabled");
            return on ? REASONING_CONTENT : NONE;
        }
        return switch (model) {
            case CONTENT_MODEL -> REASONING_CONTENT;
            case REASONING_MODEL -> REASONING;
            case DETAILS_MODEL -> DETAILS;
            default -> NONE;
        };
    }

    /** {@return how a stream for the model writes the thinking the planner gave it (planned only when reasoning is on)} */
    static CompatibleReasoning rendering(String model) {
        return deepSeek(model) ? REASONING_CONTENT : of(model, null);
    }

    /** {@return the encrypted entry's data for a thinking text: derived from it, so an altered one is seen} */
    public static String encrypted(String thinking) {
        return ReplyPlanner.signature("encrypted:" + thinking);
    }

    /**
     * Checks the assistant messages of a request for this shape's rules.
     *
     * @throws ApiError a 400, marked {@linkplain ApiError#opaque() opaque}, with the real API's text
     */
    void check(String model, JsonNode messages) throws ApiError {
        if (this == REASONING_CONTENT && deepSeek(model)) checkDeepSeek(messages);
        if (this == DETAILS) checkDetails(messages);
    }

    private static void checkDeepSeek(JsonNode messages) throws ApiError {
        int start = 0;
        for (int i = 0; i <= messages.size(); i++) {
            if (i < messages.size()
                    && !messages.required(i).path("role").asText().equals("user")) continue;
            boolean calls = false;
            for (int k = start; k < i; k++) calls |= toolCalls(messages.required(k));
            if (calls) {
                for (int k = start; k < i; k++) {
                    JsonNode m = messages.required(k);
                    if (!m.path("role").asText().equals("assistant")) continue;
                    if (!m.path("reasoning_content").isTextual()) {
                        throw ApiError.opaqueRejected(
                                "Missing `reasoning_content` field in the assistant message at message index " + k
                                        + ". For more information, please refer to https://api-docs.deepseek.com/guides/thinking_mode#tool-calls",
                                null);
                    }
                    if (m.path("reasoning_content").asText().isEmpty()) { // the V4 models refuse an empty one too
                        throw ApiError.opaqueRejected(
                                "The `reasoning_content` in the thinking mode must be passed back to the API.", null);
                    }
                }
            }
            start = i;
        }
    }

    private static void checkDetails(JsonNode messages) throws ApiError {
        int lastCalls = -1;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.required(i);
            if (!m.path("role").asText().equals("assistant")) continue;
            if (toolCalls(m)) lastCalls = i;
            JsonNode details = m.path("reasoning_details");
            String text = "";
            for (int k = 0; k < details.size(); k++) {
                JsonNode d = details.required(k);
                switch (d.path("type").asText()) {
                    case "reasoning.text" -> {
                        text = d.path("text").asText("");
                        if (!ReplyPlanner.signatureMatches(
                                text, d.path("signature").asText())) {
                            throw ApiError.opaqueRejected(
                                    "messages." + i + ".content." + k + ": Invalid `signature` in `thinking` block",
                                    null);
                        }
                    }
                    case "reasoning.encrypted" -> {
                        if (!encrypted(text).equals(d.path("data").asText())) {
                            throw ApiError.opaqueRejected(
                                    "messages." + i + ".content." + k + ": Invalid `data` in `redacted_thinking` block",
                                    null);
                        }
                    }
                    default -> {}
                }
            }
        }
        boolean inLoop = lastCalls >= 0
                && lastCalls < messages.size() - 1
                && messages.required(messages.size() - 1).path("role").asText().equals("tool");
        if (inLoop && messages.required(lastCalls).path("reasoning_details").isEmpty()) {
            throw ApiError.opaqueRejected(
                    "messages." + lastCalls + ".content.0.type: Expected `thinking` or `redacted_thinking`, but found"
                            + " `tool_use`. When `thinking` is enabled, a final `assistant` message must start with a thinking block.",
                    null);
        }
    }

    private static boolean toolCalls(JsonNode m) {
        return m.path("tool_calls").isArray() && !m.path("tool_calls").isEmpty();
    }
}
