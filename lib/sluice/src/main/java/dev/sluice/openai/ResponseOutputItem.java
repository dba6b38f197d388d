package dev.sluice.openai;

import dev.sluice.internal.low.json.JsonValues;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One item of a Responses API response's {@code output}: a {@link Message}, a
 * {@link FunctionCall}, {@link Reasoning}, or any other item ({@link Other}: the built-in tools'
 * calls, item types added later), kept whole. Immutable and thread-safe.
 */
public sealed interface ResponseOutputItem {

    /** {@return the item's type, e.g. {@code message}, {@code function_call}, {@code reasoning}} */
    String type();

    /** {@return the item's id; empty when the server sent none} */
    String id();

    /**
     * A part of a message: {@code output_text} (its {@code text}) or {@code refusal} (the refusal
     * text in {@code text}), or another part type with its text, if any.
     *
     * @param type the part's type
     * @param text its text (for a refusal, the refusal); may be empty
     * @param annotations the text's annotations (citations, file paths), as JSON values
     */
    record Content(String type, String text, List<Object> annotations) {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public Content {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(text, "text");
            annotations = List.copyOf(Objects.requireNonNull(annotations, "annotations"));
        }

        /** {@return whether this part is a refusal} */
        public boolean isRefusal() {
            return type.equals("refusal");
        }
    }

    /**
     * A message of the model.
     *
     * @param id the item's id
     * @param role its role, {@code assistant}
     * @param status {@code in_progress}, {@code completed} or {@code incomplete}; empty if not sent
     * @param content its parts, in order
     */
    record Message(String id, String role, String status, List<Content> content) implements ResponseOutputItem {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public Message {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(status, "status");
            content = List.copyOf(Objects.requireNonNull(content, "content"));
        }

        @Override public String type() { return "message"; }

        /** {@return the text of the {@code output_text} parts, joined} */
        public String text() {
            StringBuilder b = new StringBuilder();
            for (Content c : content) if (c.type().equals("output_text")) b.append(c.text());
            return b.toString();
        }

        /** {@return the text of the refusal parts, joined; empty when the model did not refuse} */
        public String refusal() {
            StringBuilder b = new StringBuilder();
            for (Content c : content) if (c.isRefusal()) b.append(c.text());
            return b.toString();
        }
    }

    /**
     * A call of a function tool.
     *
     * @param id the item's id ({@code fc_...})
     * @param callId the call's id, which the {@code function_call_output} answering it names
     * @param name the function's name
     * @param arguments the arguments as the model wrote them (JSON text; may be cut off or invalid)
     * @param status {@code in_progress}, {@code completed} or {@code incomplete}; empty if not sent
     * @param parsedArguments the arguments parsed (best effort while they stream; null when they
     *     are malformed)
     * @param argumentsError why the arguments are not a valid JSON object, or null when they are
     */
    record FunctionCall(String id, String callId, String name, String arguments, String status,
                        Object parsedArguments, String argumentsError) implements ResponseOutputItem {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if a string is null
         */
        public FunctionCall {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arguments, "arguments");
            Objects.requireNonNull(status, "status");
            parsedArguments = JsonValues.copy(parsedArguments, "parsedArguments");
        }

        @Override public String type() { return "function_call"; }
    }

    /**
     * The model's reasoning: its summary parts (when asked for with {@code reasoning.summary}) and,
     * when asked for with {@code include: ["reasoning.encrypted_content"]}, the encrypted reasoning
     * to pass back on the next turn.
     *
     * @param id the item's id
     * @param summary the summary parts' text, in order
     * @param encryptedContent the encrypted reasoning, or null
     */
    record Reasoning(String id, List<String> summary, String encryptedContent) implements ResponseOutputItem {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if id or summary is null
         */
        public Reasoning {
            Objects.requireNonNull(id, "id");
            summary = List.copyOf(Objects.requireNonNull(summary, "summary"));
        }

        @Override public String type() { return "reasoning"; }
    }

    /**
     * An item of another type (a web search call, a file search call, an MCP call, ...), kept whole.
     *
     * @param type its type
     * @param id its id; empty if none
     * @param json the whole item as a JSON object
     */
    record Other(String type, String id, Map<String, Object> json) implements ResponseOutputItem {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public Other {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(id, "id");
            json = JsonValues.copyObject(json, "json");
        }
    }
}
