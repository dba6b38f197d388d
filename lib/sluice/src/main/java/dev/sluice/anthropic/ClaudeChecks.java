package dev.sluice.anthropic;

import dev.sluice.models.ModelCapabilities;
import dev.sluice.models.ModelCatalog;

/**
 * What a Messages API request may ask of its model, checked where every request to the API is sent
 * ({@link AnthropicClient}'s stream and create), so a request built with {@link MessageRequest.Builder}
 * meets the same guard as one mapped from a neutral request: the model's row of the
 * {@link ModelCatalog} ({@link ModelCapabilities}) on {@code max_tokens}, {@code output_config.effort},
 * {@code thinking.type} (with the effort it goes with), a forced {@code tool_choice}, a text prefill and
 * {@code output_config.format}. A model the catalog does not know, or one not Claude, passes. Stateless.
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
        MessageParam last = request.messages().getLast();
        if (last.role() == MessageParam.Role.ASSISTANT
                && !last.content().isEmpty()
                && last.content().stream().allMatch(b -> b instanceof TextParam)) caps.checkPrefill(request.model());
        if (request.outputFormat().isPresent()) caps.checkStructuredOutput("output_config.format");
    }
}
