package dev.sluice.testkit.internal.wire;

import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.spi.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
 * @param turns the conversation's text, message by message (user and assistant; messages without
 *     text, such as tool results, left out), for answers that refer to earlier turns
 * @param toolChoice which tools the model may or must call
 * @param output the structured output asked for (JSON against a schema, natively or through a forced
 *     tool call), or null for a free answer
 * @param streamToolArguments whether a tool call's arguments are to stream in pieces where the API
 *     sends them whole unless asked (Vertex AI's Gemini: {@code streamFunctionCallArguments})
 * @param answeredCalls the model's tool calls in the conversation that a tool result answers, in
 *     order (read on the Messages wire; empty elsewhere), so that the model does not make one twice
 */
public record FakeRequest(
        String model,
        int maxTokens,
        String prompt,
        int promptChars,
        boolean answersToolResult,
        List<Tool> tools,
        int thinkingBudget,
        boolean stream,
        List<String> stopSequences,
        boolean streamUsage,
        List<String> toolResults,
        String prefill,
        List<Turn> turns,
        ToolChoice toolChoice,
        @Nullable Output output,
        boolean streamToolArguments,
        List<Answered> answeredCalls) {

    /**
     * A tool call of the conversation that a tool result answers.
     *
     * @param name the tool's name
     * @param input its input, as {@link Json#write} writes it
     */
    public record Answered(String name, String input) {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public Answered {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(input, "input");
        }
    }

    /**
     * {@return a builder of a request for this model} Unset, a request has no limit on its tokens,
     * no prompt, no tools, no thinking, no stop sequences, no tool results, no prefill and no turns;
     * it is not streamed, reports no stream usage, leaves the tool choice to the provider
     * ({@link ToolChoice#AUTO}), asks for no structured output and streams a tool call's arguments
     * as the API does by default.
     */
    public static Builder builder(String model) {
        return new Builder(model);
    }

    /** {@return a builder holding this request's components, to change some of them} */
    public Builder toBuilder() {
        return new Builder(model)
                        .maxTokens(maxTokens)
                        .prompt(prompt)
                        .promptChars(promptChars)
                        .answersToolResult(answersToolResult)
                        .tools(tools)
                        .thinkingBudget(thinkingBudget)
                        .stream(stream)
                        .stopSequences(stopSequences)
                        .streamUsage(streamUsage)
                        .toolResults(toolResults)
                        .prefill(prefill)
                        .turns(turns)
                        .toolChoice(toolChoice)
                        .output(output)
                        .streamToolArguments(streamToolArguments)
                        .answeredCalls(answeredCalls);
    }

    /** {@return a request read leniently for a scripted answer: no prompt, no tools, no limit} */
    public static FakeRequest lenient(String model, JsonNode body, boolean stream, boolean streamUsage) {
        return builder(model.isBlank() ? "fake-model" : model)
                .promptChars(body.isMissingNode() ? 0 : body.toString().length())
                .stream(stream)
                .streamUsage(streamUsage)
                .build();
    }

    /** {@return this request with the conversation's turns} */
    public FakeRequest withTurns(List<Turn> turns) {
        return toBuilder().turns(turns).build();
    }

    /**
     * {@return this request with its tool choice and the structured output it asks for: {@code format}
     * (a native JSON Schema format, or null), else the tool that {@code choice} forces, whose input
     * schema is then the output's} A choice of a tool the request does not offer is read as the
     * default (the API refuses it: a wire format's {@code parse} checks that first).
     */
    public FakeRequest withOutput(ToolChoice choice, @Nullable Output format) {
        @Nullable Output out = format;
        ToolChoice c = choice;
        if (c.kind() == ToolChoice.Kind.TOOL) {
            Tool forced = tools.stream()
                    .filter(t -> t.name().equals(choice.name()))
                    .findFirst()
                    .orElse(null);
            if (forced == null) c = ToolChoice.AUTO;
            else if (out == null) out = new Output(forced.name(), forced.inputSchema(), true);
        }
        return toBuilder().toolChoice(c).output(out).build();
    }

    /** {@return this request, read leniently, with these tools, these turns and the last user turn's text as its prompt} */
    public FakeRequest withConversation(List<Tool> tools, List<Turn> turns) {
        String last = "";
        for (Turn t : turns) if (t.user()) last = t.text();
        return toBuilder().prompt(last).tools(tools).turns(turns).build();
    }

    /** Builds a {@link FakeRequest}; each component as {@link #builder} says until set. */
    public static final class Builder {
        private final String model;
        private int maxTokens = Integer.MAX_VALUE;
        private String prompt = "";
        private int promptChars;
        private boolean answersToolResult;
        private List<Tool> tools = List.of();
        private int thinkingBudget;
        private boolean stream;
        private List<String> stopSequences = List.of();
        private boolean streamUsage;
        private List<String> toolResults = List.of();
        private String prefill = "";
        private List<Turn> turns = List.of();
        private ToolChoice toolChoice = ToolChoice.AUTO;
        private @Nullable Output output;
        private boolean streamToolArguments;
        private List<Answered> answeredCalls = List.of();

        private Builder(String model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        public Builder maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        public Builder prompt(String prompt) {
            this.prompt = Objects.requireNonNull(prompt, "prompt");
            return this;
        }

        public Builder promptChars(int promptChars) {
            this.promptChars = promptChars;
            return this;
        }

        public Builder answersToolResult(boolean answersToolResult) {
            this.answersToolResult = answersToolResult;
            return this;
        }

        public Builder tools(List<Tool> tools) {
            this.tools = List.copyOf(tools);
            return this;
        }

        public Builder thinkingBudget(int thinkingBudget) {
            this.thinkingBudget = thinkingBudget;
            return this;
        }

        public Builder stream(boolean stream) {
            this.stream = stream;
            return this;
        }

        public Builder stopSequences(List<String> stopSequences) {
            this.stopSequences = List.copyOf(stopSequences);
            return this;
        }

        public Builder streamUsage(boolean streamUsage) {
            this.streamUsage = streamUsage;
            return this;
        }

        public Builder toolResults(List<String> toolResults) {
            this.toolResults = List.copyOf(toolResults);
            return this;
        }

        public Builder prefill(String prefill) {
            this.prefill = Objects.requireNonNull(prefill, "prefill");
            return this;
        }

        public Builder turns(List<Turn> turns) {
            this.turns = List.copyOf(turns);
            return this;
        }

        public Builder toolChoice(ToolChoice toolChoice) {
            this.toolChoice = Objects.requireNonNull(toolChoice, "toolChoice");
            return this;
        }

        public Builder output(@Nullable Output output) {
            this.output = output;
            return this;
        }

        public Builder streamToolArguments(boolean streamToolArguments) {
            this.streamToolArguments = streamToolArguments;
            return this;
        }

        public Builder answeredCalls(List<Answered> answeredCalls) {
            this.answeredCalls = List.copyOf(answeredCalls);
            return this;
        }

        public FakeRequest build() {
            return new FakeRequest(
                    model,
                    maxTokens,
                    prompt,
                    promptChars,
                    answersToolResult,
                    tools,
                    thinkingBudget,
                    stream,
                    stopSequences,
                    streamUsage,
                    toolResults,
                    prefill,
                    turns,
                    toolChoice,
                    output,
                    streamToolArguments,
                    answeredCalls);
        }
    }

    /**
     * Which tools the model may or must call: the provider's default ({@code AUTO}), none, any of
     * them, or the one named.
     */
    public record ToolChoice(Kind kind, @Nullable String name) {
        public enum Kind {
            AUTO,
            NONE,
            ANY,
            TOOL
        }

        public static final ToolChoice AUTO = new ToolChoice(Kind.AUTO, null);
        public static final ToolChoice NONE = new ToolChoice(Kind.NONE, null);
        public static final ToolChoice ANY = new ToolChoice(Kind.ANY, null);

        public ToolChoice {
            Objects.requireNonNull(kind, "kind");
            if ((kind == Kind.TOOL) != (name != null))
                throw new IllegalArgumentException("a name goes with TOOL only: " + kind);
        }

        public static ToolChoice tool(String name) {
            return new ToolChoice(Kind.TOOL, name);
        }
    }

    /**
     * The structured output a request asks for.
     *
     * @param name the format's or the forced tool's name ({@code "json"} when the API names none)
     * @param schema the JSON Schema the answer must match, or null for any JSON object (JSON mode)
     * @param viaTool whether the answer is the input of a forced call of the tool {@code name},
     *     rather than the message's text
     */
    public record Output(String name, @Nullable JsonNode schema, boolean viaTool) {
        public Output {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * {@return the turns of an array of messages} Tolerant: a message's role is read from
     * {@code roleField} ({@code user} is the user, {@code assistant} and {@code model} the
     * model, others skipped), its text from {@code contentField}, a string or an array of
     * parts with {@code text} (thoughts left out).
     */
    public static List<Turn> turns(JsonNode messages, String roleField, String contentField) {
        List<Turn> out = new ArrayList<>();
        if (messages == null || !messages.isArray()) return out;
        for (JsonNode m : messages) {
            String role = m.path(roleField).asText("");
            boolean user = role.equals("user");
            if (!user && !role.equals("assistant") && !role.equals("model")) continue;
            String text = text(m.path(contentField));
            if (!text.isBlank()) out.add(new Turn(user, text));
        }
        return out;
    }

    private static String text(JsonNode content) {
        if (content.isTextual()) return content.text();
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("thought").asBoolean(false)) continue;
            JsonNode t = part.get("text");
            if (t != null && t.isTextual()) sb.append(t.textValue());
        }
        return sb.toString();
    }

    /** A tool offered by the request: its name and its input schema (an empty object when absent). */
    public record Tool(String name, JsonNode inputSchema) {
        public Tool {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(inputSchema, "inputSchema");
        }

        /**
         * {@return the tools of some declarations, read leniently: each with a {@code name}, its schema
         * the first of {@code schemaFields} that holds an object, else {@code {}}}
         */
        public static List<Tool> of(Iterable<JsonNode> declarations, String... schemaFields) {
            List<Tool> tools = new ArrayList<>();
            for (JsonNode d : declarations) {
                if (!d.path("name").isTextual()) continue;
                JsonNode schema = Json.object();
                for (String f : schemaFields) {
                    if (d.path(f).isObject()) {
                        schema = d.required(f);
                        break;
                    }
                }
                tools.add(new Tool(d.required("name").text(), schema));
            }
            return tools;
        }
    }

    public FakeRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prompt, "prompt");
        tools = List.copyOf(tools);
        stopSequences = List.copyOf(stopSequences);
        toolResults = List.copyOf(toolResults);
        Objects.requireNonNull(prefill, "prefill");
        turns = List.copyOf(turns);
        Objects.requireNonNull(toolChoice, "toolChoice");
    }
}
