package dev.sluice.openai;

import dev.sluice.internal.low.json.JsonValues;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One item of a Responses API response's {@code output}: a {@link Message}, a
 * {@link FunctionCall}, {@link Reasoning}, a {@link CustomToolCall}, a {@link ShellCall}, an
 * {@link ApplyPatchCall}, an {@link McpApprovalRequest}, a {@link Compaction}, or any other item
 * ({@link Other}: the built-in tools' calls, {@code mcp_call}, {@code mcp_list_tools}, item types
 * added later), kept whole. Immutable and thread-safe.
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

        @Override
        public String type() {
            return "message";
        }

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
    record FunctionCall(
            String id,
            String callId,
            String name,
            String arguments,
            String status,
            @Nullable Object parsedArguments,
            @Nullable String argumentsError)
            implements ResponseOutputItem {
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

        @Override
        public String type() {
            return "function_call";
        }
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
    record Reasoning(
            String id, List<String> summary, @Nullable String encryptedContent) implements ResponseOutputItem {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if id or summary is null
         */
        public Reasoning {
            Objects.requireNonNull(id, "id");
            summary = List.copyOf(Objects.requireNonNull(summary, "summary"));
        }

        @Override
        public String type() {
            return "reasoning";
        }
    }

    /**
     * A call of a custom tool (a tool declared with {@code "type": "custom"}): its input is free
     * text (or text in the tool's grammar), not JSON. Answered by a {@code custom_tool_call_output}.
     *
     * @param id the item's id ({@code ctc_...}); empty if not sent
     * @param callId the call's id, which the output answering it names
     * @param name the tool's name
     * @param input the input as the model wrote it
     * @param namespace the tool's namespace, or null
     */
    record CustomToolCall(
            String id,
            String callId,
            String name,
            String input,
            @Nullable String namespace) implements ResponseOutputItem {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if id, callId, name or input is null
         */
        public CustomToolCall {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(input, "input");
        }

        @Override
        public String type() {
            return "custom_tool_call";
        }
    }

    /**
     * A call of the shell tool: commands for the application (or a hosted container) to run.
     *
     * @param id the item's id ({@code sh_...})
     * @param callId the call's id, which the {@code shell_call_output} answering it names
     * @param status {@code in_progress}, {@code completed} or {@code incomplete}; empty if not sent
     * @param commands the commands ({@code action.commands}), in order
     * @param json the whole item as received (its {@code action} limits, {@code environment}, ...);
     *     while it streams, as {@code output_item.added} sent it
     */
    record ShellCall(String id, String callId, String status, List<String> commands, Map<String, Object> json)
            implements ResponseOutputItem {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public ShellCall {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(status, "status");
            commands = List.copyOf(Objects.requireNonNull(commands, "commands"));
            json = JsonValues.copyObject(json, "json");
        }

        @Override
        public String type() {
            return "shell_call";
        }
    }

    /**
     * A call of the apply-patch tool: one file operation for the application to apply.
     *
     * @param id the item's id ({@code apc_...})
     * @param callId the call's id, which the {@code apply_patch_call_output} answering it names
     * @param status {@code in_progress} or {@code completed}; empty if not sent
     * @param operation the operation's type: {@code create_file}, {@code update_file} or {@code delete_file}
     * @param path the file's path
     * @param diff the diff to apply (empty for {@code delete_file})
     */
    record ApplyPatchCall(String id, String callId, String status, String operation, String path, String diff)
            implements ResponseOutputItem {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public ApplyPatchCall {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(diff, "diff");
        }

        @Override
        public String type() {
            return "apply_patch_call";
        }
    }

    /**
     * A remote MCP server's tool call waiting for the application's approval (answered by an
     * {@code mcp_approval_response} input item naming this id).
     *
     * @param id the request's id ({@code mcpr_...})
     * @param serverLabel the MCP server's label
     * @param name the tool's name
     * @param arguments the arguments (JSON text)
     */
    record McpApprovalRequest(String id, String serverLabel, String name, String arguments)
            implements ResponseOutputItem {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public McpApprovalRequest {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(serverLabel, "serverLabel");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arguments, "arguments");
        }

        @Override
        public String type() {
            return "mcp_approval_request";
        }
    }

    /**
     * A compaction of the conversation so far: opaque, to be passed back verbatim in place of the
     * items it replaces.
     *
     * @param id the item's id; empty if not sent
     * @param encryptedContent the encrypted compaction, exactly as received
     */
    record Compaction(String id, String encryptedContent) implements ResponseOutputItem {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public Compaction {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(encryptedContent, "encryptedContent");
        }

        @Override
        public String type() {
            return "compaction";
        }
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
