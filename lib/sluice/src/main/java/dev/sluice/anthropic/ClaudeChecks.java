package dev.sluice.anthropic;

import dev.sluice.models.ModelCapabilities;
import dev.sluice.models.ModelCatalog;
import java.util.List;

/**
 * What a Messages API request may ask of its model, checked where every request to the API is sent
 * ({@link AnthropicClient}'s stream and create), so a request built with {@link MessageRequest.Builder}
 * meets the same guard as one mapped from a neutral request: the model's row of the
 * {@link ModelCatalog} ({@link ModelCapabilities}) on {@code max_tokens}, {@code output_config.effort},
 * {@code thinking.type} (with the effort it goes with), a forced {@code tool_choice}, a text prefill and
 * {@code output_config.format}, and a system message's own {@code output_config.effort} (on a model
 * whose row takes no per-message effort change, or a value it does not take; under {@code between_tools}
 * thinking whatever the model). Otherwise a model the catalog does not know, or one
 * not Claude, passes. Stateless.
 */
final class ClaudeChecks {
    private ClaudeChecks() {}

    /**
     * Checks the request against its model's row.
     *
     * @param request the request about to be sent
     * @throws IllegalArgumentException naming the model and the field it cannot take, before any request
     */
    static void check(MessageRequest request) {
        checkEffortChanges(request);
        ModelCapabilities caps = ModelCatalog.find(request.model())
                .filter(c -> c.maker() == ModelCapabilities.Maker.ANTHROPIC)
                .orElse(null);
        if (caps == null) return;
        caps.checkMaxOutputTokens(request.maxTokens(), "max_tokens");
        String effort = request.effort().orElse(null);
        if (effort != null) caps.checkEffortValue("output_config.effort", effort);
        request.thinking().ifPresent(t -> caps.checkThinkingType(t.type(), effort));
        request.toolChoice()
                .filter(c -> c.type().equals("any") || c.type().equals("tool"))
                .ifPresent(c -> caps.checkForcedToolChoice(request.model(), "tool_choice " + c.type()));
        List<MessageParam> messages = request.messages();
        for (int i = 0; i < messages.size(); i++) {
            String changed = messages.get(i).effort();
            if (changed == null) continue;
            caps.checkEffortPerMessage(request.model(), "messages." + i + ".output_config.effort " + changed);
            caps.checkEffortValue("messages." + i + ".output_config.effort", changed);
        }
        MessageParam last = request.lastTurnOrNull(); // a system message after it does not end the prefill
        if (last != null
                && last.role() == MessageParam.Role.ASSISTANT
                && !last.content().isEmpty()
                && last.content().stream().allMatch(b -> b instanceof TextParam)) caps.checkPrefill(request.model());
        if (request.outputFormat().isPresent()) caps.checkStructuredOutput("output_config.format");
    }

    /**
     * Checks that a conversation with {@code thinking: {"type": "between_tools"}} keeps its effort: a
     * system message's own {@code output_config.effort} (a per-message effort change,
     * build-with-claude/effort-per-message) is refused there, as Claude Sonnet 5.5's migration notes say
     * (whats-new-sonnet-5-5, "Turn off up-front thinking"); adaptive thinking takes the change. The rule
     * is the thinking type's, so it holds for a model the catalog does not know too. The test kit's
     * {@code ClaudeRules.checkEffortMidConversation} answers the same request with the API's 400.
     *
     * @throws IllegalArgumentException naming the model and the message's field
     */
    private static void checkEffortChanges(MessageRequest request) {
        if (!request.thinking().map(t -> t.type().equals("between_tools")).orElse(false)) return;
        List<MessageParam> messages = request.messages();
        for (int i = 0; i < messages.size(); i++) {
            String changed = messages.get(i).effort();
            if (changed == null) continue;
            throw new IllegalArgumentException("model " + request.model() + " cannot change the effort"
                    + " mid-conversation with thinking.type between_tools: messages." + i + ".output_config.effort "
                    + changed + " is refused; keep the request's output_config.effort for the whole conversation,"
                    + " or think adaptively (ThinkingConfig.adaptive()) to change it per message");
        }
    }
}
