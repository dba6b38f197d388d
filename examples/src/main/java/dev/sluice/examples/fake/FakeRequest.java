package dev.sluice.examples.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * A validated request, whatever its wire format: what the fake server needs to plan an answer.
 * Each {@link WireFormat} reads its API's body into one.
 *
 * @param prompt the text of the last user message (text blocks joined), for choosing the answer
 * @param promptChars the characters of the system prompt, the messages and the tool definitions,
 *     for the input-token estimate
 * @param answersToolResult whether the last user message carries a {@code tool_result} block
 * @param tools the tools offered, in order
 * @param thinkingBudget the thinking budget, or 0 when thinking is not enabled
 * @param stream whether the answer is streamed
 * @param stopSequences texts that end the answer
 * @param streamUsage whether a stream reports usage (OpenAI: {@code stream_options.include_usage})
 * @param toolResults the contents of the tool results of the last user turn, in order (an error
 *     result's prefixed {@code error: }); empty when it has none
 * @param prefill the text of a last assistant message (Anthropic: a prefill the answer continues);
 *     empty when the conversation ends with a user message
 */
record FakeRequest(String model, int maxTokens, String prompt, int promptChars, boolean answersToolResult,
        List<Tool> tools, int thinkingBudget, boolean stream, List<String> stopSequences, boolean streamUsage,
        List<String> toolResults, String prefill) {

    /** A request without prefill. */
    FakeRequest(String model, int maxTokens, String prompt, int promptChars, boolean answersToolResult,
            List<Tool> tools, int thinkingBudget, boolean stream, List<String> stopSequences, boolean streamUsage,
            List<String> toolResults) {
        this(model, maxTokens, prompt, promptChars, answersToolResult, tools, thinkingBudget, stream, stopSequences,
                streamUsage, toolResults, "");
    }

    /** A tool offered by the request: its name and its input schema (an empty object when absent). */
    record Tool(String name, JsonNode inputSchema) {
        Tool {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(inputSchema, "inputSchema");
        }
    }

    FakeRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prompt, "prompt");
        tools = List.copyOf(tools);
        stopSequences = List.copyOf(stopSequences);
        toolResults = List.copyOf(toolResults);
        Objects.requireNonNull(prefill, "prefill");
    }
}
