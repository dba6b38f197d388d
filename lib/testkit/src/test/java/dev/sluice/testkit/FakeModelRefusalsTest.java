package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.clouds.FakeBedrock;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each refusal rule of the model table (lib/sluice's models.tsv, copied into the test kit) fires on
 * the wrong form, with the API's status and text, and not on the right one; a model the table does
 * not know keeps the old behaviour.
 */
class FakeModelRefusalsTest {
    private static FakeLlmServer server;
    private static TestClient client;

    @BeforeAll
    static void start() {
        server = FakeLlmServer.builder().tokensPerSecond(0).start();
        client = new TestClient(server);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static final String USER = "{\"role\":\"user\",\"content\":\"Tell me about the ocean\"}";
    private static final String TOOL = "\"tools\":[{\"name\":\"lookup\",\"input_schema\":{\"type\":\"object\"}}]";
    private static final String FN_TOOL =
            "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"parameters\":{\"type\":\"object\"}}}]";

    /** An effort-only system message: platform.claude.com's per-message effort. */
    private static final String EFFORT_LOW =
            "{\"role\":\"system\",\"content\":[],\"output_config\":{\"effort\":\"low\"}}";

    private static final String SCHEMA_FORMAT = "{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\","
            + "\"properties\":{\"depth\":{\"type\":\"string\"}},\"required\":[\"depth\"],"
            + "\"additionalProperties\":false}}";

    private static final String STRICT_SCHEMA = "\"strict\":true,\"schema\":{\"type\":\"object\","
            + "\"properties\":{\"depth\":{\"type\":\"string\"}},\"required\":[\"depth\"],"
            + "\"additionalProperties\":false}";

    private static String claude(String model, String fields, String... messages) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":2048,\"stream\":false,"
                + (fields.isEmpty() ? "" : fields + ",") + "\"messages\":[" + String.join(",", messages) + "]}";
    }

    private static final String CONVERSE_USER =
            "{\"role\":\"user\",\"content\":[{\"text\":\"Tell me about the ocean\"}]}";
    private static final String CONVERSE_TOOL =
            "\"toolConfig\":{\"tools\":[{\"toolSpec\":{\"name\":\"lookup\",\"inputSchema\":{\"json\":{\"type\":\"object\"}}}}]";

    private static String converse(String fields, String... messages) {
        return "{" + (fields.isEmpty() ? "" : fields + ",") + "\"messages\":[" + String.join(",", messages) + "]}";
    }

    private static String converseAt(String model) {
        return "/model/" + model + "/converse-stream";
    }

    private static String responses(String fields) {
        return responsesOf("gpt-6.1-terra", fields);
    }

    private static String gemini(String thinkingOrConfig) {
        return "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],\"generationConfig\":{"
                + thinkingOrConfig + "}}";
    }

    private static String responsesOf(String model, String fields) {
        return "{\"model\":\"" + model + "\",\"stream\":false,\"input\":\"Tell me about the ocean\"," + fields + "}";
    }

    private static String chat(String model, String fields) {
        return "{\"model\":\"" + model + "\",\"stream\":false," + (fields.isEmpty() ? "" : fields + ",")
                + "\"messages\":[" + USER + "]}";
    }

    /** rule, path, wrong body, the refusal's text, right body. */
    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of(
                        "a budget on an adaptive-only Claude",
                        "/v1/messages",
                        claude("claude-opus-4-7", "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}", USER),
                        "\"thinking.type.enabled\" is not supported for this model. Use \"thinking.type.adaptive\"",
                        claude(
                                "claude-opus-4-7",
                                "\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":\"xhigh\"}",
                                USER)),
                Arguments.of(
                        "thinking off on a Claude that always thinks",
                        "/v1/messages",
                        claude("claude-opus-5-5", "\"thinking\":{\"type\":\"disabled\"}", USER),
                        "\"thinking.type.disabled\" is not supported for this model.",
                        claude(
                                "claude-opus-5-5",
                                "\"thinking\":{\"type\":\"adaptive\",\"display\":\"summarized\"}",
                                USER)),
                Arguments.of(
                        "thinking off on Fable 5, which always thinks",
                        "/v1/messages",
                        claude("claude-fable-5", "\"thinking\":{\"type\":\"disabled\"}", USER),
                        "\"thinking.type.disabled\" is not supported for this model. Use \"thinking.type.adaptive\"",
                        claude("claude-fable-5", "\"output_config\":{\"effort\":\"low\"}", USER)),
                Arguments.of(
                        "disabled on Sonnet 5.5, which turns thinking off with between_tools",
                        "/v1/messages",
                        claude("claude-sonnet-5-5", "\"thinking\":{\"type\":\"disabled\"}", USER),
                        "Use \"thinking.type.between_tools\" to turn off up-front thinking",
                        claude("claude-sonnet-5-5", "\"thinking\":{\"type\":\"between_tools\"}", USER)),
                Arguments.of(
                        "between_tools on a model other than Sonnet 5.5",
                        "/v1/messages",
                        claude("claude-opus-4-7", "\"thinking\":{\"type\":\"between_tools\"}", USER),
                        "\"thinking.type.between_tools\" is not supported for this model.",
                        claude("claude-opus-4-7", "\"thinking\":{\"type\":\"disabled\"}", USER)),
                Arguments.of(
                        "between_tools at xhigh on Sonnet 5.5",
                        "/v1/messages",
                        claude(
                                "claude-sonnet-5-5",
                                "\"thinking\":{\"type\":\"between_tools\"},\"output_config\":{\"effort\":\"xhigh\"}",
                                USER),
                        "\"thinking.type.between_tools\" is not supported with output_config.effort \"xhigh\"",
                        claude(
                                "claude-sonnet-5-5",
                                "\"thinking\":{\"type\":\"between_tools\"},\"output_config\":{\"effort\":\"high\"}",
                                USER)),
                Arguments.of(
                        "thinking off at max on Haiku 5.5",
                        "/v1/messages",
                        claude(
                                "claude-haiku-5-5",
                                "\"thinking\":{\"type\":\"disabled\"},\"output_config\":{\"effort\":\"max\"}",
                                USER),
                        "\"thinking.type.disabled\" is not supported with output_config.effort \"max\"",
                        claude(
                                "claude-haiku-5-5",
                                "\"thinking\":{\"type\":\"disabled\"},\"output_config\":{\"effort\":\"medium\"}",
                                USER)),
                Arguments.of(
                        "adaptive thinking on a Claude before 4.6",
                        "/v1/messages",
                        claude("claude-sonnet-4-5", "\"thinking\":{\"type\":\"adaptive\"}", USER),
                        "adaptive thinking is not supported on this model",
                        claude(
                                "claude-sonnet-4-5",
                                "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}",
                                USER)),
                Arguments.of(
                        "output_config.effort on Haiku 4.5",
                        "/v1/messages",
                        claude("claude-haiku-4-5", "\"output_config\":{\"effort\":\"low\"}", USER),
                        "This model does not support the effort parameter.",
                        claude("claude-haiku-5-5", "\"output_config\":{\"effort\":\"low\"}", USER)),
                Arguments.of(
                        "an effort level the model lacks",
                        "/v1/messages",
                        claude("claude-opus-4-6", "\"output_config\":{\"effort\":\"xhigh\"}", USER),
                        "'xhigh' is not supported for this model",
                        claude("claude-opus-4-6", "\"output_config\":{\"effort\":\"max\"}", USER)),
                Arguments.of(
                        "sampling on a Claude that refuses it",
                        "/v1/messages",
                        claude("claude-fable-5-1", "\"temperature\":0.2", USER),
                        "`temperature` is deprecated for this model.",
                        claude("claude-sonnet-4-6", "\"temperature\":0.2", USER)),
                Arguments.of(
                        "a forced tool choice on Opus 5.5",
                        "/v1/messages",
                        claude("claude-opus-5-5", TOOL + ",\"tool_choice\":{\"type\":\"any\"}", USER),
                        "forced tool use is not supported for this model",
                        claude("claude-opus-5-5", TOOL + ",\"tool_choice\":{\"type\":\"auto\"}", USER)),
                Arguments.of(
                        "a prefill on Claude 4.6+",
                        "/v1/messages",
                        claude("claude-opus-4-6", "", USER, "{\"role\":\"assistant\",\"content\":\"The ocean\"}"),
                        "This model does not support assistant message prefill.",
                        claude("claude-sonnet-4-5", "", USER, "{\"role\":\"assistant\",\"content\":\"The ocean\"}")),
                Arguments.of(
                        "disabled on Sonnet 5.5 through Bedrock Converse",
                        converseAt("us.anthropic.claude-sonnet-5-5"),
                        converse(
                                "\"additionalModelRequestFields\":{\"thinking\":{\"type\":\"disabled\"}}",
                                CONVERSE_USER),
                        "Use \"thinking.type.between_tools\" to turn off up-front thinking",
                        converse(
                                "\"additionalModelRequestFields\":{\"thinking\":{\"type\":\"between_tools\"}}",
                                CONVERSE_USER)),
                Arguments.of(
                        "a forced tool choice on Sonnet 5.5 through Bedrock Converse",
                        converseAt("us.anthropic.claude-sonnet-5-5"),
                        converse(CONVERSE_TOOL + ",\"toolChoice\":{\"any\":{}}}", CONVERSE_USER),
                        "forced tool use is not supported for this model",
                        converse(CONVERSE_TOOL + ",\"toolChoice\":{\"auto\":{}}}", CONVERSE_USER)),
                Arguments.of(
                        "a temperature on Opus 4.7 through Bedrock Converse",
                        converseAt("anthropic.claude-opus-4-7"),
                        converse("\"inferenceConfig\":{\"temperature\":0.2}", CONVERSE_USER),
                        "`temperature` is deprecated for this model.",
                        converse("\"inferenceConfig\":{\"maxTokens\":100}", CONVERSE_USER)),
                Arguments.of(
                        "a prefill on Claude 4.6+ through Bedrock Converse",
                        converseAt("global.anthropic.claude-opus-4-6-v1"),
                        converse("", CONVERSE_USER, "{\"role\":\"assistant\",\"content\":[{\"text\":\"The ocean\"}]}"),
                        "This model does not support assistant message prefill.",
                        converse("", CONVERSE_USER)),
                Arguments.of(
                        "a latency Bedrock lacks in performanceConfig",
                        converseAt("us.anthropic.claude-sonnet-5-5"),
                        converse("\"performanceConfig\":{\"latency\":\"fast\"}", CONVERSE_USER),
                        "at 'performanceConfig.latency' failed to satisfy constraint",
                        converse(
                                "\"performanceConfig\":{\"latency\":\"optimized\"},\"requestMetadata\":{\"tenant\":\"acme-42\"}",
                                CONVERSE_USER)),
                Arguments.of(
                        "a requestMetadata key outside Bedrock's pattern",
                        converseAt("us.anthropic.claude-sonnet-5-5"),
                        converse("\"requestMetadata\":{\"tenant#id\":\"acme\"}", CONVERSE_USER),
                        "Value at 'requestMetadata' failed to satisfy constraint",
                        converse("\"requestMetadata\":{\"tenant_id\":\"acme\"}", CONVERSE_USER)),
                Arguments.of(
                        "a safety_identifier over 64 characters",
                        "/v1/responses",
                        responses("\"safety_identifier\":\"" + "u".repeat(65) + "\""),
                        "Invalid 'safety_identifier': string too long. Expected a string with maximum length 64",
                        responses("\"safety_identifier\":\"user-5f2c9a\",\"parallel_tool_calls\":false,"
                                + "\"reasoning\":{\"effort\":\"high\",\"mode\":\"pro\"}")),
                Arguments.of(
                        "max_tokens above the model's output limit",
                        "/v1/messages",
                        "{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":64001,\"stream\":false,\"messages\":["
                                + USER + "]}",
                        "max_tokens: 64001 > 64000, which is the maximum allowed number of output tokens for"
                                + " claude-sonnet-4-5-20250929",
                        "{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":64000,\"stream\":false,\"messages\":["
                                + USER + "]}"),
                Arguments.of(
                        "maxTokens above a Claude's output limit through Bedrock Converse",
                        converseAt("anthropic.claude-haiku-4-5"),
                        converse("\"inferenceConfig\":{\"maxTokens\":64001}", CONVERSE_USER),
                        "max_tokens: 64001 > 64000, which is the maximum allowed number of output tokens",
                        converse("\"inferenceConfig\":{\"maxTokens\":64000}", CONVERSE_USER)),
                Arguments.of(
                        "max_completion_tokens above the model's output limit",
                        "/v1/chat/completions",
                        chat("gpt-4o-mini", "\"max_completion_tokens\":16385"),
                        "max_completion_tokens is too large: 16385. This model supports at most 16384 completion tokens,"
                                + " whereas you provided 16385.",
                        chat("gpt-4o-mini", "\"max_completion_tokens\":16384")),
                Arguments.of(
                        "a conversation ending with the model's turn on Gemini",
                        "/v1beta/models/gemini-3.7-flash:generateContent",
                        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]},"
                                + "{\"role\":\"model\",\"parts\":[{\"text\":\"Once upon\"}]}]}",
                        "Requests ending with a model turn are not supported.",
                        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]},"
                                + "{\"role\":\"model\",\"parts\":[{\"text\":\"Once upon\"}]},"
                                + "{\"role\":\"user\",\"parts\":[{\"text\":\"go on\"}]}]}"),
                Arguments.of(
                        "a media resolution Gemini lacks",
                        "/v1beta/models/gemini-3.5-flash:generateContent",
                        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],"
                                + "\"generationConfig\":{\"mediaResolution\":\"ULTRA\"}}",
                        "Invalid value at 'generation_config.media_resolution'",
                        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],"
                                + "\"tools\":[{\"googleSearch\":{}},{\"urlContext\":{}}],"
                                + "\"generationConfig\":{\"mediaResolution\":\"MEDIA_RESOLUTION_LOW\"}}"),
                Arguments.of(
                        "a reasoning effort the model lacks",
                        "/v1/chat/completions",
                        chat("gpt-6.1-sol", "\"reasoning_effort\":\"none\""),
                        "Unsupported value: 'none' is not supported with the 'gpt-6.1-sol' model.",
                        chat("gpt-6.1-sol", "\"reasoning_effort\":\"low\"")),
                Arguments.of(
                        "function tools with an effort on Chat Completions",
                        "/v1/chat/completions",
                        chat("gpt-5.6-luna", FN_TOOL + ",\"reasoning_effort\":\"high\""),
                        "Function tools with reasoning_effort are not supported for gpt-5.6-luna in /v1/chat/completions.",
                        chat("gpt-5.6-luna", FN_TOOL + ",\"reasoning_effort\":\"none\"")),
                Arguments.of(
                        "max_tokens on a reasoning model",
                        "/v1/chat/completions",
                        chat("gpt-5-mini", "\"max_tokens\":100"),
                        "Unsupported parameter: 'max_tokens' is not supported with this model.",
                        chat("gpt-5-mini", "\"max_completion_tokens\":100")),
                Arguments.of(
                        "a temperature where only the default is supported",
                        "/v1/chat/completions",
                        chat("gpt-5.6-terra", "\"temperature\":0.8"),
                        "Only the default (1) value is supported.",
                        chat("gpt-5.6-terra", "\"temperature\":1")),
                Arguments.of(
                        "a per-message effort change with between_tools on Sonnet 5.5",
                        "/v1/messages",
                        claude(
                                "claude-sonnet-5-5",
                                "\"thinking\":{\"type\":\"between_tools\"},\"output_config\":{\"effort\":\"high\"}",
                                USER,
                                "{\"role\":\"assistant\",\"content\":\"Waves.\"}",
                                EFFORT_LOW,
                                "{\"role\":\"user\",\"content\":\"More?\"}"),
                        "messages.2.output_config.effort: the effort cannot change mid-conversation with"
                                + " \"thinking.type.between_tools\"",
                        claude(
                                "claude-sonnet-5-5",
                                "\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":\"high\"}",
                                USER,
                                "{\"role\":\"assistant\",\"content\":\"Waves.\"}",
                                EFFORT_LOW,
                                "{\"role\":\"user\",\"content\":\"More?\"}")),
                Arguments.of(
                        "a per-message effort change on Fable 5, which the beta does not list",
                        "/v1/messages",
                        claude(
                                "claude-fable-5",
                                "\"output_config\":{\"effort\":\"high\"}",
                                USER,
                                "{\"role\":\"assistant\",\"content\":\"Waves.\"}",
                                EFFORT_LOW,
                                "{\"role\":\"user\",\"content\":\"More?\"}"),
                        "messages.2.output_config.effort: per-message effort is not supported for this model.",
                        claude(
                                "claude-fable-5-1",
                                "\"output_config\":{\"effort\":\"high\"}",
                                USER,
                                "{\"role\":\"assistant\",\"content\":\"Waves.\"}",
                                EFFORT_LOW,
                                "{\"role\":\"user\",\"content\":\"More?\"}")),
                Arguments.of(
                        "a per-message effort change on Opus 4.8, which the beta does not list",
                        "/v1/messages",
                        claude(
                                "claude-opus-4-8",
                                "\"thinking\":{\"type\":\"adaptive\"}",
                                USER,
                                "{\"role\":\"assistant\",\"content\":\"Waves.\"}",
                                EFFORT_LOW,
                                "{\"role\":\"user\",\"content\":\"More?\"}"),
                        "messages.2.output_config.effort: per-message effort is not supported for this model.",
                        claude(
                                "claude-opus-5",
                                "\"thinking\":{\"type\":\"adaptive\"}",
                                USER,
                                "{\"role\":\"assistant\",\"content\":\"Waves.\"}",
                                EFFORT_LOW,
                                "{\"role\":\"user\",\"content\":\"More?\"}")),
                Arguments.of(
                        "a per-message effort change counted on a model the beta does not list",
                        "/v1/messages/count_tokens",
                        "{\"model\":\"claude-sonnet-5\",\"messages\":[" + USER + "," + EFFORT_LOW
                                + ",{\"role\":\"user\",\"content\":\"More?\"}]}",
                        "messages.1.output_config.effort: per-message effort is not supported for this model.",
                        "{\"model\":\"claude-sonnet-5-5\",\"messages\":[" + USER + "," + EFFORT_LOW
                                + ",{\"role\":\"user\",\"content\":\"More?\"}]}"),
                Arguments.of(
                        "Claude's structured output on a Claude without it",
                        "/v1/messages",
                        claude("claude-opus-4-1", "\"output_config\":{\"format\":" + SCHEMA_FORMAT + "}", USER),
                        "output_config.format: Extra inputs are not permitted",
                        claude("claude-opus-4-5", "\"output_config\":{\"format\":" + SCHEMA_FORMAT + "}", USER)),
                Arguments.of(
                        "the beta's output_format on a Claude without structured output",
                        "/v1/messages",
                        claude("claude-3-5-haiku", "\"output_format\":" + SCHEMA_FORMAT, USER),
                        "output_format: Extra inputs are not permitted",
                        claude("claude-haiku-4-5", "\"output_format\":" + SCHEMA_FORMAT, USER)),
                Arguments.of(
                        "max_output_tokens above the model's limit on the Responses API",
                        "/v1/responses",
                        responses("\"max_output_tokens\":128001"),
                        "max_output_tokens is too large: 128001. This model supports at most 128000 output tokens,"
                                + " whereas you provided 128001.",
                        responses("\"max_output_tokens\":128000")),
                Arguments.of(
                        "text.format json_schema on a model without structured outputs",
                        "/v1/responses",
                        "{\"model\":\"gpt-4-turbo\",\"stream\":false,\"input\":\"Tell me about the ocean\","
                                + "\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"facts\","
                                + STRICT_SCHEMA + "}}}",
                        "Invalid parameter: 'text.format' of type 'json_schema' is not supported with this model.",
                        responses("\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"facts\"," + STRICT_SCHEMA
                                + "}}")),
                Arguments.of(
                        "response_format json_schema on a model without structured outputs",
                        "/v1/chat/completions",
                        chat(
                                "gpt-4-turbo",
                                "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"facts\","
                                        + STRICT_SCHEMA + "}}"),
                        "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
                        chat(
                                "gpt-4o",
                                "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"facts\","
                                        + STRICT_SCHEMA + "}}")),
                Arguments.of(
                        "thinkingLevel and thinkingBudget together on Gemini",
                        "/v1beta/models/gemini-3.5-flash:generateContent",
                        gemini("\"thinkingConfig\":{\"thinkingLevel\":\"LOW\",\"thinkingBudget\":1024}"),
                        "thinking_budget and thinking_level cannot be set together",
                        gemini("\"thinkingConfig\":{\"thinkingLevel\":\"LOW\"}")),
                Arguments.of(
                        "a thinkingLevel on Gemini 2.5, which thinks by budget",
                        "/v1beta/models/gemini-2.5-flash-lite:generateContent",
                        gemini("\"thinkingConfig\":{\"thinkingLevel\":\"LOW\"}"),
                        "thinking_level is not supported by this model",
                        gemini("\"thinkingConfig\":{\"thinkingBudget\":1024}")),
                Arguments.of(
                        "a thinkingLevel the model lacks on Gemini 3 Pro",
                        "/v1beta/models/gemini-3-pro:generateContent",
                        gemini("\"thinkingConfig\":{\"thinkingLevel\":\"MEDIUM\"}"),
                        "thinking_level MEDIUM is not supported by this model.",
                        gemini("\"thinkingConfig\":{\"thinkingLevel\":\"HIGH\"}")),
                Arguments.of(
                        "thinking off on Gemini 2.5 Pro, which always thinks",
                        "/v1beta/models/gemini-2.5-pro:generateContent",
                        gemini("\"thinkingConfig\":{\"thinkingBudget\":0}"),
                        "This model only works in thinking mode",
                        gemini("\"thinkingConfig\":{\"thinkingBudget\":128}")),
                Arguments.of(
                        "a cachedContent with a system instruction on Gemini",
                        "/v1beta/models/gemini-3.5-flash:generateContent",
                        "{\"cachedContent\":\"cachedContents/abc123\","
                                + "\"systemInstruction\":{\"parts\":[{\"text\":\"Be terse.\"}]},"
                                + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}",
                        "Tool config, tools and system instruction should not be set in the request when using cached"
                                + " content.",
                        "{\"cachedContent\":\"cachedContents/abc123\","
                                + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}"),
                Arguments.of(
                        "a reasoning effort the model lacks on the Responses API",
                        "/v1/responses",
                        responsesOf("gpt-6.1-sol", "\"reasoning\":{\"effort\":\"none\"}"),
                        "Unsupported value: 'reasoning.effort' does not support 'none' with this model.",
                        responsesOf("gpt-6.1-sol", "\"reasoning\":{\"effort\":\"low\"}")),
                Arguments.of(
                        "a reasoning effort on a model that does not reason, on the Responses API",
                        "/v1/responses",
                        responsesOf("gpt-4.1", "\"reasoning\":{\"effort\":\"low\"}"),
                        "Unsupported parameter: 'reasoning.effort' is not supported with this model.",
                        responsesOf("gpt-4.1", "\"reasoning\":{\"effort\":\"none\"}")),
                Arguments.of(
                        "a temperature where only the default is supported, on the Responses API",
                        "/v1/responses",
                        responsesOf("gpt-6-luna", "\"temperature\":0.8"),
                        "Only the default (1) value is supported.",
                        responsesOf("gpt-6-luna", "\"temperature\":1")),
                Arguments.of(
                        "parallel_tool_calls not a boolean on the Responses API",
                        "/v1/responses",
                        responses("\"parallel_tool_calls\":\"no\""),
                        "Invalid type for 'parallel_tool_calls': expected a boolean.",
                        responses("\"parallel_tool_calls\":false")),
                Arguments.of(
                        "response_format json_schema on GPT-4o's first snapshot",
                        "/v1/chat/completions",
                        chat(
                                "gpt-4o-2024-05-13",
                                "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"facts\","
                                        + STRICT_SCHEMA + "}}"),
                        "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
                        chat(
                                "gpt-4o-2024-08-06",
                                "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"facts\","
                                        + STRICT_SCHEMA + "}}")),
                Arguments.of(
                        "max_tokens above the model's limit on Chat Completions",
                        "/v1/chat/completions",
                        chat("gpt-4o-mini", "\"max_tokens\":16385"),
                        "max_tokens is too large: 16385. This model supports at most 16384 completion tokens",
                        chat("gpt-4o-mini", "\"max_tokens\":16384")),
                Arguments.of(
                        "an output_config.effort that is not a level",
                        "/v1/messages",
                        claude("claude-opus-5-5", "\"output_config\":{\"effort\":\"huge\"}", USER),
                        "output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'",
                        claude("claude-opus-5-5", "\"output_config\":{\"effort\":\"max\"}", USER)),
                Arguments.of(
                        "output_config.effort on Haiku 4.5 through Bedrock Converse",
                        converseAt("us.anthropic.claude-haiku-4-5"),
                        converse(
                                "\"additionalModelRequestFields\":{\"output_config\":{\"effort\":\"low\"}}",
                                CONVERSE_USER),
                        "This model does not support the effort parameter.",
                        converse(
                                "\"additionalModelRequestFields\":{\"thinking\":{\"type\":\"enabled\","
                                        + "\"budget_tokens\":1024}}",
                                CONVERSE_USER)),
                Arguments.of(
                        "a budget on an adaptive-only Claude through Bedrock Converse",
                        converseAt("global.anthropic.claude-opus-5"),
                        converse(
                                "\"additionalModelRequestFields\":{\"thinking\":{\"type\":\"enabled\","
                                        + "\"budget_tokens\":1024}}",
                                CONVERSE_USER),
                        "\"thinking.type.enabled\" is not supported for this model.",
                        converse(
                                "\"additionalModelRequestFields\":{\"thinking\":{\"type\":\"adaptive\"},"
                                        + "\"output_config\":{\"effort\":\"xhigh\"}}",
                                CONVERSE_USER)),
                Arguments.of(
                        "a service tier Bedrock lacks",
                        converseAt("us.anthropic.claude-sonnet-5-5"),
                        converse("\"serviceTier\":{\"type\":\"turbo\"}", CONVERSE_USER),
                        "at 'serviceTier.type' failed to satisfy constraint",
                        converse("\"serviceTier\":{\"type\":\"flex\"}", CONVERSE_USER)),
                Arguments.of(
                        "maxOutputTokens above the model's limit on Gemini",
                        "/v1beta/models/gemini-3.5-flash:generateContent",
                        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],"
                                + "\"generationConfig\":{\"maxOutputTokens\":65537}}",
                        "Unable to submit request because it has a maxOutputTokens value of 65537 but the supported"
                                + " range is from 1 (inclusive) to 65537 (exclusive).",
                        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],"
                                + "\"generationConfig\":{\"maxOutputTokens\":65536}}"),
                Arguments.of(
                        "a PDF to a model that reads none (Chat Completions)",
                        "/v1/chat/completions",
                        chatWith("gpt-4", PDF_PART),
                        "The model gpt-4 does not support PDF input.",
                        chatWith("gpt-4o", PDF_PART)),
                Arguments.of(
                        "audio to a model that hears none (Chat Completions)",
                        "/v1/chat/completions",
                        chatWith("gpt-4o", AUDIO_PART),
                        "The model gpt-4o does not support audio input.",
                        chatWith("gpt-audio", AUDIO_PART)),
                Arguments.of(
                        "audio to a model that hears none (Responses)",
                        "/v1/responses",
                        "{\"model\":\"gpt-6.1-terra\",\"stream\":false,\"input\":[{\"role\":\"user\",\"content\":["
                                + AUDIO_PART + ",{\"type\":\"input_text\",\"text\":\"What is said?\"}]}]}",
                        "The model gpt-6.1-terra does not support audio input.",
                        "{\"model\":\"gpt-6.1-terra\",\"stream\":false,\"input\":[{\"role\":\"user\",\"content\":["
                                + "{\"type\":\"input_file\",\"filename\":\"a.pdf\",\"file_data\":\"data:application/pdf;"
                                + "base64,JVBERi0=\"},{\"type\":\"input_text\",\"text\":\"Summarize\"}]}]}"),
                Arguments.of(
                        "audio to Claude through Bedrock Converse",
                        converseAt("us.anthropic.claude-sonnet-5-5"),
                        converse(
                                "",
                                "{\"role\":\"user\",\"content\":[{\"audio\":{\"format\":\"wav\",\"source\":"
                                        + "{\"bytes\":\"UklGRg==\"}}},{\"text\":\"What is said?\"}]}"),
                        "The model us.anthropic.claude-sonnet-5-5 does not support audio input.",
                        converse(
                                "",
                                "{\"role\":\"user\",\"content\":[{\"document\":{\"format\":\"pdf\",\"name\":\"a\","
                                        + "\"source\":{\"bytes\":\"JVBERi0=\"}}},{\"text\":\"Summarize\"}]}")));
    }

    private static final String PDF_PART = "{\"type\":\"file\",\"file\":{\"filename\":\"a.pdf\","
            + "\"file_data\":\"data:application/pdf;base64,JVBERi0=\"}}";
    private static final String AUDIO_PART =
            "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"UklGRg==\",\"format\":\"wav\"}}";

    private static String chatWith(String model, String part) {
        return "{\"model\":\"" + model + "\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":[" + part
                + ",{\"type\":\"text\",\"text\":\"What is in it?\"}]}]}";
    }

    /** The beta a system message's {@code output_config} needs, sent with every Messages request here. */
    private static final String MID_CONVERSATION_BETA = "mid-conversation-output-config-2026-07-01";

    private static HttpResponse<String> post(String path, String body) {
        return post(path, body, MID_CONVERSATION_BETA);
    }

    private static HttpResponse<String> post(String path, String body, String anthropicBeta) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.baseUrl().resolve(path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (path.startsWith("/v1/messages")) {
            b.header("x-api-key", "fake").header("anthropic-version", "2023-06-01");
            if (!anthropicBeta.isEmpty()) b.header("anthropic-beta", anthropicBeta);
        } else if (path.startsWith("/model/")) b.header("authorization", "Bearer " + FakeBedrock.API_KEY);
        else if (path.startsWith("/v1beta/")) b.header("x-goog-api-key", "fake");
        else b.header("authorization", "Bearer fake");
        return client.send(b.build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void post_wrongFormForTheModel_400WithTheApisTextAndRightFormAccepted(
            String rule, String path, String wrong, String refusal, String right) {
        HttpResponse<String> refused = post(path, wrong);
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains(refusal.replace("\"", "\\\"")), refused.body());
        if (path.startsWith("/model/")) {
            String type = refused.headers().firstValue("x-amzn-ErrorType").orElse("");
            assertTrue(type.startsWith("ValidationException"), type);
        } else if (path.startsWith("/v1beta/")) {
            assertTrue(refused.body().contains("INVALID_ARGUMENT"), refused.body());
        } else {
            assertTrue(refused.body().contains("invalid_request_error"), refused.body());
        }
        HttpResponse<String> accepted = post(path, right);
        assertEquals(200, accepted.statusCode(), accepted.body());
    }

    @Test
    void post_modelTheTableDoesNotKnow_oldBehaviourKept() {
        assertEquals(
                200,
                post(
                                "/v1/messages",
                                claude(
                                        "claude-test",
                                        "\"temperature\":0.2," + TOOL + ",\"tool_choice\":{\"type\":\"any\"}",
                                        USER))
                        .statusCode());
        assertEquals(
                200,
                post("/v1/chat/completions", chat("my-local-model", FN_TOOL + ",\"reasoning_effort\":\"high\""))
                        .statusCode());
    }

    @Test
    void post_systemMessageMidConversation_accepted() {
        HttpResponse<String> r = post(
                "/v1/messages",
                claude(
                        "claude-opus-5-5",
                        "\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":\"high\"}",
                        USER,
                        "{\"role\":\"assistant\",\"content\":\"Waves.\"}",
                        "{\"role\":\"system\",\"content\":\"Answer in one line.\"}",
                        "{\"role\":\"user\",\"content\":\"More?\"}"));
        assertEquals(200, r.statusCode(), r.body());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/v1/messages", "/v1/messages/count_tokens"})
    void post_systemMessageEffortWithoutItsBeta_400UnknownFieldAndAcceptedWithIt(String path) {
        String body = path.endsWith("count_tokens")
                ? "{\"model\":\"claude-opus-5-5\",\"messages\":[" + USER + "," + EFFORT_LOW
                        + ",{\"role\":\"user\",\"content\":\"More?\"}]}"
                : claude("claude-opus-5-5", "", USER, EFFORT_LOW, "{\"role\":\"user\",\"content\":\"More?\"}");
        HttpResponse<String> refused = post(path, body, "");
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("messages.1.output_config: Extra inputs are not permitted"), refused.body());
        assertTrue(refused.body().contains("invalid_request_error"), refused.body());
        HttpResponse<String> otherBetas = post(path, body, "context-management-2025-06-27");
        assertEquals(400, otherBetas.statusCode(), otherBetas.body());
        HttpResponse<String> accepted = post(path, body, "context-management-2025-06-27, " + MID_CONVERSATION_BETA);
        assertEquals(200, accepted.statusCode(), accepted.body());
    }
    /**
     * Claude Code 2.1.328's first request, as it sends it: its beta list, whose name for the
     * per-message effort is {@code per-turn-control-2026-07-01}, and the effort set again by a system
     * message with content after the first user turn.
     */
    private static final String CLAUDE_CODE_BETAS = "claude-code-20250219,interleaved-thinking-2025-05-14,"
            + "thinking-token-count-2026-05-13,context-management-2025-06-27,prompt-caching-scope-2026-01-05,"
            + "mid-conversation-system-2026-04-07,per-turn-control-2026-07-01,"
            + "mid-conversation-tool-changes-2026-07-01,effort-2025-11-24";

    private static String claudeCodeFirst(String systemOutputConfig) {
        return claude(
                "claude-sonnet-5-5",
                "\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":\"medium\"}",
                "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"<system-reminder>context"
                        + "</system-reminder>\"},{\"type\":\"text\",\"text\":\"Read README.md and say what the"
                        + " project is\"}]}",
                "{\"role\":\"system\",\"content\":[{\"type\":\"text\",\"text\":\"Effort for this turn.\"}],"
                        + "\"output_config\":" + systemOutputConfig + "}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/v1/messages", "/v1/messages/count_tokens"})
    void post_claudeCodePerTurnEffortWithItsBeta_accepted(String path) {
        String body = claudeCodeFirst("{\"effort\":\"medium\"}");
        if (path.endsWith("count_tokens")) body = body.replace("\"max_tokens\":2048,\"stream\":false,", "");
        HttpResponse<String> r = post(path, body, CLAUDE_CODE_BETAS);
        assertEquals(200, r.statusCode(), r.body());
        HttpResponse<String> withoutIt =
                post(path, body, CLAUDE_CODE_BETAS.replace("per-turn-control-2026-07-01,", ""));
        assertEquals(400, withoutIt.statusCode(), withoutIt.body());
        assertTrue(
                withoutIt.body().contains("messages.1.output_config: Extra inputs are not permitted"),
                withoutIt.body());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"effort\":\"extreme\"}|messages.1.output_config.effort: Input should be 'low', 'medium',"
                        + " 'high', 'xhigh' or 'max'",
                "{\"effort\":3}|messages.1.output_config.effort: Input should be a valid string",
                "{\"effort\":\"low\",\"format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\"}}}"
                        + "|messages.1.output_config.format: Extra inputs are not permitted",
                "\"low\"|messages.1.output_config: Input should be a valid dictionary"
            })
    void post_claudeCodePerTurnEffortMalformed_400NamingTheField(String outputConfig, String refusal) {
        HttpResponse<String> r = post("/v1/messages", claudeCodeFirst(outputConfig), CLAUDE_CODE_BETAS);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains(refusal.replace("\"", "\\\"")), r.body());
        assertTrue(r.body().contains("invalid_request_error"), r.body());
    }
}
