package dev.sluice.openai;

import dev.sluice.models.ModelCapabilities;
import dev.sluice.models.ModelCatalog;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a Responses or Chat Completions request may ask of its model, checked where every request
 * to each API is sent ({@link OpenAiClient}), so a request built with {@link ResponseRequest.Builder}
 * or {@link ChatCompletionRequest.Builder} meets the same guard as one mapped from a neutral request:
 * the model's row of the {@link ModelCatalog} ({@link ModelCapabilities}) on the output limit
 * ({@code max_output_tokens}; {@code max_completion_tokens} or {@code max_tokens}), the reasoning
 * effort ({@code reasoning.effort}; {@code reasoning_effort}) and a {@code json_schema} format
 * ({@code text.format}; {@code response_format}). A model the catalog does not know, or one not
 * OpenAI's, passes. Stateless.
 */
final class OpenAiChecks {
    private OpenAiChecks() {}

    private static Optional<ModelCapabilities> caps(String model) {
        return ModelCatalog.find(model).filter(c -> c.maker() == ModelCapabilities.Maker.OPENAI);
    }

    /**
     * Checks a Responses API request against its model's row.
     *
     * @param request the request about to be sent
     * @throws IllegalArgumentException naming the model and the field it cannot take, before any request
     */
    static void responses(ResponseRequest request) {
        ModelCapabilities caps = caps(request.model()).orElse(null);
        if (caps == null) return;
        Map<String, Object> body = request.body();
        if (body.get("max_output_tokens") instanceof Number max)
            caps.checkMaxOutputTokens(max.intValue(), "max_output_tokens");
        if (body.get("reasoning") instanceof Map<?, ?> reasoning && reasoning.get("effort") instanceof String effort)
            checkEffort(caps, "reasoning.effort", effort);
        if (body.get("text") instanceof Map<?, ?> text
                && text.get("format") instanceof Map<?, ?> format
                && "json_schema".equals(format.get("type"))) caps.checkStructuredOutput("text.format");
    }

    /**
     * Checks a Chat Completions request against its model's row.
     *
     * @param request the request about to be sent
     * @throws IllegalArgumentException naming the model and the field it cannot take, before any request
     */
    static void chat(ChatCompletionRequest request) {
        ModelCapabilities caps = caps(request.model()).orElse(null);
        if (caps == null) return;
        if (request.maxCompletionTokens() != null)
            caps.checkMaxOutputTokens(request.maxCompletionTokens(), "max_completion_tokens");
        if (request.maxTokens() != null) caps.checkMaxOutputTokens(request.maxTokens(), "max_tokens");
        if (request.extra().get("reasoning_effort") instanceof String effort)
            checkEffort(caps, "reasoning_effort", effort);
        Map<String, Object> format = request.responseFormat();
        if (format != null && "json_schema".equals(format.get("type"))) caps.checkStructuredOutput("response_format");
    }

    /** {@code none} on a model without reasoning is no reasoning at all, which it takes. */
    private static void checkEffort(ModelCapabilities caps, String parameter, @Nullable String effort) {
        if (effort == null || (effort.equals("none") && caps.efforts().isEmpty())) return;
        caps.checkEffortValue(parameter, effort);
    }
}
