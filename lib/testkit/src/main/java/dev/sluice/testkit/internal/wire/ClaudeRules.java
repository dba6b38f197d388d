package dev.sluice.testkit.internal.wire;

import dev.sluice.testkit.internal.json.JsonNode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a Claude model refuses, by its row of the shared table ({@link ModelRules}), for every route
 * that carries Claude's own request fields: the Messages API (Anthropic, Vertex AI, Bedrock's
 * InvokeModel) and Bedrock Converse, whose {@code additionalModelRequestFields} carry the same
 * {@code thinking} and {@code output_config}. The texts are Anthropic's where its documentation
 * quotes them; the others are written in the same voice and say the same thing. A model the table
 * does not know is refused none of these.
 */
public final class ClaudeRules {
    private static final List<String> EFFORTS = List.of("low", "medium", "high", "xhigh", "max");

    private ClaudeRules() {}

    /**
     * Checks {@code thinking.type} against the model's row: a budget ({@code enabled}) on a model
     * that thinks only adaptively (Claude Opus 4.7 and later), {@code adaptive} on one before Claude
     * 4.6, thinking turned off where it cannot be (Claude Opus 5.5, Fable 5 and 5.1),
     * {@code disabled} where the model takes {@code between_tools} instead (Claude Sonnet 5.5),
     * {@code between_tools} on any other model, and either at an effort above the one it goes with
     * (Claude Haiku 5.5, Opus 5 and Sonnet 5.5: {@code high}). The field's shape is the caller's to check.
     *
     * @param model the model id
     * @param fields the object holding {@code thinking} and {@code output_config}: the request's body,
     *     or Converse's {@code additionalModelRequestFields}
     * @throws ApiError a 400 with the API's text
     */
    public static void checkThinking(String model, JsonNode fields) throws ApiError {
        String type = fields.path("thinking").path("type").asText("");
        ModelRules rules = ModelRules.of(model).orElse(null);
        if (rules == null) return;
        if (type.equals("enabled") && rules.adaptiveOnly()) {
            throw ApiError.invalid("\"thinking.type.enabled\" is not supported for this model. Use"
                    + " \"thinking.type.adaptive\" and \"output_config.effort\" to control thinking behavior.");
        }
        if (type.equals("adaptive") && !rules.takesAdaptive())
            throw ApiError.invalid("adaptive thinking is not supported on this model");
        if ((!type.equals("disabled") && !type.equals("between_tools"))
                || rules.thinking().equals("none")) return;
        if (type.equals("disabled") && !rules.canTurnOff()) {
            throw ApiError.invalid("\"thinking.type.disabled\" is not supported for this model. Use"
                    + " \"thinking.type.adaptive\" and \"output_config.effort\" to control thinking behavior.");
        }
        if (type.equals("disabled") && "between_tools".equals(rules.off())) {
            throw ApiError.invalid("\"thinking.type.disabled\" is not supported for this model. Use"
                    + " \"thinking.type.between_tools\" to turn off up-front thinking, or \"thinking.type.adaptive\""
                    + " and \"output_config.effort\" to control thinking behavior.");
        }
        if (type.equals("between_tools") && !"between_tools".equals(rules.off())) {
            throw ApiError.invalid("\"thinking.type.between_tools\" is not supported for this model. Use"
                    + " \"thinking.type.adaptive\" and \"output_config.effort\" to control thinking behavior.");
        }
        JsonNode effort = fields.path("output_config").path("effort");
        String asked = effort.isTextual() ? effort.text() : null;
        if (!rules.offAllows(asked)) {
            throw ApiError.invalid("\"thinking.type." + type + "\" is not supported with output_config.effort \""
                    + (asked != null ? asked : rules.defaultEffort()) + "\" for this model. Use effort \""
                    + rules.offUpTo() + "\" or lower, or \"thinking.type.adaptive\" to run at a higher effort.");
        }
    }

    /** The beta a system message's own {@code output_config} needs (build-with-claude/effort-per-message). */
    public static final String MID_CONVERSATION_OUTPUT_CONFIG_BETA = "mid-conversation-output-config-2026-07-01";

    /**
     * Claude Code's name for the same beta (its per-turn effort: a mid-conversation system message's
     * {@code output_config.effort}), sent since 2.1.289 in place of {@value #MID_CONVERSATION_OUTPUT_CONFIG_BETA};
     * the API takes either.
     */
    public static final String PER_TURN_CONTROL_BETA = "per-turn-control-2026-07-01";

    /**
     * Checks a {@code "role": "system"} message carrying {@code output_config.effort} (a per-message
     * effort change, platform.claude.com's effort-per-message): refused on a model whose row takes no
     * per-message effort (the table's {@code per_message_effort} column: the beta's supported models),
     * and, whatever the model, in a conversation with {@code thinking: {"type": "between_tools"}},
     * where the effort cannot change mid-conversation, as Claude Sonnet 5.5's migration notes say
     * (whats-new-sonnet-5-5, "Turn off up-front thinking"); adaptive thinking takes the change. Only
     * Claude Sonnet 5.5 takes {@code between_tools} ({@link #checkThinking} refuses it elsewhere), so
     * only its conversations meet that rule. Neither text is quoted in Anthropic's documentation; both
     * are written in its voice. Sluice's own client refuses the same requests before sending them
     * ({@code dev.sluice.anthropic.ClaudeChecks}); the test kit cannot share its code, as it depends on
     * the JDK only.
     *
     * @param model the model id
     * @param body the Messages request's body
     * @throws ApiError a 400 naming the message
     */
    public static void checkEffortMidConversation(String model, JsonNode body) throws ApiError {
        boolean betweenTools =
                "between_tools".equals(body.path("thinking").path("type").asText(""));
        ModelRules rules = ModelRules.of(model)
                .filter(r -> r.maker() == ModelRules.Maker.ANTHROPIC)
                .orElse(null);
        JsonNode messages = body.path("messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.required(i);
            if ("system".equals(m.path("role").asText("")) && m.has("output_config"))
                checkMessageOutputConfig(i, m.required("output_config"), rules);
            int at = effortChange(messages, i);
            if (at < 0) continue;
            if (rules != null && !rules.effortPerMessage()) {
                throw ApiError.invalid("messages." + at + ".output_config.effort: per-message effort is not supported"
                        + " for this model. Set the request's output_config.effort instead.");
            }
            if (betweenTools) {
                throw ApiError.invalid("messages." + at + ".output_config.effort: the effort cannot change"
                        + " mid-conversation with \"thinking.type.between_tools\". Keep the request's"
                        + " output_config.effort for the whole conversation, or use \"thinking.type.adaptive\" to"
                        + " change it per message.");
            }
        }
    }

    /**
     * Checks a system message's {@code output_config} as the API's schema reads it: an object whose
     * only field is {@code effort} ({@code format} stays top-level; an empty one is taken), one of the
     * effort values, and one the model takes.
     */
    private static void checkMessageOutputConfig(int at, JsonNode config, @Nullable ModelRules rules) throws ApiError {
        String where = "messages." + at + ".output_config";
        if (config.isNull()) return;
        if (!config.isObject()) throw ApiError.invalid(where + ": Input should be a valid dictionary");
        for (Map.Entry<String, JsonNode> field : config.properties()) {
            if (!field.getKey().equals("effort"))
                throw ApiError.invalid(where + "." + field.getKey() + ": Extra inputs are not permitted");
        }
        JsonNode effort = config.path("effort");
        if (effort.isMissingNode() || effort.isNull()) return;
        if (!effort.isTextual()) throw ApiError.invalid(where + ".effort: Input should be a valid string");
        if (!EFFORTS.contains(effort.text())) {
            throw ApiError.invalid(where + ".effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'");
        }
        if (rules != null && !rules.efforts().isEmpty() && !rules.efforts().contains(effort.text())) {
            throw ApiError.invalid(where + ".effort: '" + effort.text() + "' is not supported for this model."
                    + " Supported values: " + String.join(", ", rules.efforts()));
        }
    }

    /**
     * Checks that a request whose system message carries an {@code output_config} names a beta that
     * opens that field in its {@code anthropic-beta} header ({@value #MID_CONVERSATION_OUTPUT_CONFIG_BETA},
     * or Claude Code's {@value #PER_TURN_CONTROL_BETA}): without one the field is one the API does
     * not know, and it answers as it answers any unknown field ({@code messages.N.output_config: Extra
     * inputs are not permitted}). Messages and {@code count_tokens} alike.
     *
     * @param betas the request's {@code anthropic-beta} header, or null
     * @param body the request's body; not a JSON object: not checked here
     * @throws ApiError a 400 naming the message's field
     */
    public static void checkEffortBeta(@Nullable String betas, JsonNode body) throws ApiError {
        if (betas != null) {
            for (String beta : betas.split(",")) {
                String name = beta.strip();
                if (name.equals(MID_CONVERSATION_OUTPUT_CONFIG_BETA) || name.equals(PER_TURN_CONTROL_BETA)) return;
            }
        }
        JsonNode messages = body.path("messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.required(i);
            if ("system".equals(m.path("role").asText("")) && m.has("output_config"))
                throw ApiError.invalid("messages." + i + ".output_config: Extra inputs are not permitted");
        }
    }

    /** {@return {@code i} if message {@code i} is a system message carrying {@code output_config.effort}, else -1} */
    private static int effortChange(JsonNode messages, int i) {
        JsonNode m = messages.required(i);
        if (!"system".equals(m.path("role").asText(""))) return -1;
        JsonNode effort = m.path("output_config").path("effort");
        return effort.isMissingNode() || effort.isNull() ? -1 : i;
    }

    /**
     * Checks Claude's native structured output ({@code output_config.format}, or the beta's
     * {@code output_format}) against the model's row: a model without it (Claude Opus 4.1 and
     * earlier) answers as the Messages API answers an unknown field, "{@code output_config.format:
     * Extra inputs are not permitted}" (quoted for a Claude without it on Bedrock in
     * anomalyco/models.dev#1765).
     *
     * @param model the model id
     * @param body the Messages request's body
     * @throws ApiError a 400 naming the field
     */
    public static void checkStructuredOutput(String model, JsonNode body) throws ApiError {
        ModelRules rules = ModelRules.of(model)
                .filter(r -> r.maker() == ModelRules.Maker.ANTHROPIC)
                .orElse(null);
        if (rules == null || rules.nativeStructured()) return;
        for (String field : List.of("output_config.format", "output_format")) {
            JsonNode f = field.equals("output_format")
                    ? body.path("output_format")
                    : body.path("output_config").path("format");
            if (!f.isMissingNode() && !f.isNull()) throw ApiError.invalid(field + ": Extra inputs are not permitted");
        }
    }

    /**
     * Checks {@code max_tokens} against the model's output limit, with Anthropic's text
     * ({@code max_tokens: 128001 > 64000, which is the maximum allowed number of output tokens for
     * claude-opus-4-5-20251101}, as anthropics/claude-code#24451 quotes it).
     *
     * @param model the model id, as the request names it
     * @param maxTokens the request's {@code max_tokens}
     * @throws ApiError a 400 with the API's text
     */
    public static void checkMaxTokens(String model, int maxTokens) throws ApiError {
        ModelRules rules = ModelRules.of(model)
                .filter(r -> r.maker() == ModelRules.Maker.ANTHROPIC)
                .orElse(null);
        if (rules != null && rules.maxOutput() > 0 && maxTokens > rules.maxOutput()) {
            throw ApiError.invalid("max_tokens: " + maxTokens + " > " + rules.maxOutput()
                    + ", which is the maximum allowed number of output tokens for " + model);
        }
    }

    /**
     * Checks {@code output_config.effort}: one of the five levels, and one the model takes.
     *
     * @param model the model id
     * @param fields the object holding {@code output_config}
     * @throws ApiError a 400 with the API's text
     */
    public static void checkEffort(String model, JsonNode fields) throws ApiError {
        JsonNode effort = fields.path("output_config").get("effort");
        if (effort == null || effort.isNull()) return;
        if (!effort.isTextual()) throw ApiError.invalid("output_config.effort: Input should be a valid string");
        if (!EFFORTS.contains(effort.text())) {
            throw ApiError.invalid("output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'");
        }
        ModelRules rules = ModelRules.of(model).orElse(null);
        if (rules != null && rules.efforts().isEmpty())
            throw ApiError.invalid("This model does not support the effort parameter.");
        if (rules != null && !rules.efforts().contains(effort.text())) {
            throw ApiError.invalid("output_config.effort: '" + effort.text() + "' is not supported for this model."
                    + " Supported values: " + String.join(", ", rules.efforts()));
        }
    }

    /**
     * Checks the rest of the row: a sampling parameter other than the default, a forced tool choice,
     * an assistant prefill.
     *
     * @param model the model id
     * @param sampling the name of a sampling parameter the request sets ({@code temperature},
     *     {@code top_p}, {@code top_k}), or null
     * @param forcedTool whether the tool choice forces a tool
     * @param prefilled whether the conversation ends with the assistant's text
     * @throws ApiError a 400 with the API's text
     */
    public static void checkRow(String model, @Nullable String sampling, boolean forcedTool, boolean prefilled)
            throws ApiError {
        ModelRules rules = ModelRules.of(model).orElse(null);
        if (rules == null) return;
        if (!rules.sampling() && sampling != null)
            throw ApiError.invalid("`" + sampling + "` is deprecated for this model.");
        if (!rules.forcedTool() && forcedTool) {
            throw ApiError.invalid("tool_choice: forced tool use is not supported for this model. Use"
                    + " tool_choice {\"type\": \"auto\"} or {\"type\": \"none\"}.");
        }
        if (!rules.prefill() && prefilled) {
            throw ApiError.invalid("This model does not support assistant message prefill. The conversation must end"
                    + " with a user message.");
        }
    }
}
