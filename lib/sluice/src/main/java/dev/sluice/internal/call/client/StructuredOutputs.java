package dev.sluice.internal.call.client;

import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ResponseFormat;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolChoice;
import dev.sluice.client.StructuredOutputMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The provider-neutral half of structured output, for every client's request mapping: whether a
 * request's {@link ResponseFormat} goes natively or as a forced tool call ({@link #plan}), and the
 * request as the forced tool call. The provider's half — which models have native support, and
 * the wire shape — stays in the provider's package. Stateless.
 */
public final class StructuredOutputs {
    private StructuredOutputs() {}

    /**
     * How a request is sent.
     *
     * @param request the request to map: its response format is the one to send natively (null when
     *     there is none, or it goes as a tool); its tools and tool choice are the ones to send
     * @param formatTool the response format sent as a forced tool call (its tool is the last of the
     *     request's tools, named as the format), or null
     */
    public record Plan(ChatRequest request, @Nullable ResponseFormat formatTool) {}

    /**
     * {@return how the request is sent} A response format goes as a forced tool call when the mode
     * is {@link StructuredOutputMode#TOOL}, or {@link StructuredOutputMode#AUTO} and the model has no
     * native support, or the request's tool choice names the format or is {@code required} without
     * other tools (whatever the mode); otherwise natively. A request without a response format is sent as it is.
     *
     * @param request the request
     * @param mode the client's mode
     * @param nativeSupport whether a model (its name as the request gives it) has native structured output
     * @throws IllegalArgumentException if the format goes as a tool call and the tool choice is
     *     {@code none}, which would forbid the call that carries the answer
     */
    public static Plan plan(ChatRequest request, StructuredOutputMode mode, Predicate<String> nativeSupport) {
        Objects.requireNonNull(request, "request");
        ResponseFormat format = request.responseFormat();
        if (format == null) return new Plan(request, null);
        boolean asTool = switch (mode) {
                    case TOOL -> true;
                    case NATIVE -> false;
                    case AUTO -> !nativeSupport.test(request.model());
                }
                || (request.toolChoice() instanceof ToolChoice.Named(String name) && name.equals(format.name()))
                || (request.toolChoice() instanceof ToolChoice.Required
                        && request.tools().isEmpty());
        return asTool ? new Plan(asToolCall(request), format) : new Plan(request, null);
    }

    /**
     * {@return the request with its response format as a forced tool call} The format's tool is added
     * after the request's tools and the response format removed. The tool choice: the request's when
     * it has one (a model told {@code auto} may answer in text instead); else the format's tool when
     * the request has no other tools, and {@code required} when it has (the model may call them and
     * then answers through the format's tool).
     */
    private static ChatRequest asToolCall(ChatRequest r) {
        ResponseFormat format = Objects.requireNonNull(
                r.responseFormat(), "only a request with a response format is sent as a tool call");
        ToolChoice choice = r.toolChoice();
        if (choice instanceof ToolChoice.None) {
            throw new IllegalArgumentException(
                    "the tool choice 'none' forbids the tool call that carries the response format "
                            + format.name() + " on model " + r.model()
                            + " (which has no native structured output here): leave the"
                            + " tool choice out, or send the format natively (StructuredOutputMode.NATIVE)");
        }
        if (choice == null) choice = r.tools().isEmpty() ? ToolChoice.named(format.name()) : ToolChoice.required();
        List<Tool> tools = new ArrayList<>(r.tools());
        tools.add(format.asTool());
        return new ChatRequest(
                r.model(),
                r.system(),
                r.messages(),
                tools,
                r.maxTokens(),
                r.temperature(),
                r.stopSequences(),
                r.thinkingBudget(),
                null,
                choice,
                r.effort(),
                r.promptCache(),
                r.showThinking());
    }

    /**
     * {@return the model's own name, lower case: the part after the last {@code /}} A router's
     * prefix ({@code openai/gpt-4o}) or Gemini's resource name ({@code models/gemini-3.8-flash}) is
     * left out, so that one rule reads every spelling.
     */
    public static String modelName(String model) {
        return model.substring(model.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    }
}
