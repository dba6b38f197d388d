package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The result of a server tool's call, which the API runs itself: it arrives complete in its
 * {@code content_block_start} (no deltas follow) and refers to the {@link ServerToolUseBlock} by
 * {@link #toolUseId()}. Each kind is typed; every one also keeps its whole JSON ({@link #json()}),
 * written back exactly as it came. A failed call has an {@link #errorCode()} (its content is then
 * a {@code *_tool_result_error}).
 *
 * <ul>
 *   <li>{@link WebSearch} — {@code web_search_tool_result};
 *   <li>{@link WebFetch} — {@code web_fetch_tool_result};
 *   <li>{@link CodeExecution} — {@code code_execution_tool_result} and
 *       {@code bash_code_execution_tool_result};
 *   <li>{@link TextEditorCodeExecution} — {@code text_editor_code_execution_tool_result};
 *   <li>{@link ToolSearch} — {@code tool_search_tool_result};
 *   <li>{@link Advisor} — {@code advisor_tool_result}.
 * </ul>
 *
 * <p>Records are immutable and thread-safe.
 */
public sealed interface ServerToolResultBlock extends ContentBlock {

    /** {@return the id of the server-tool-use block this answers} */
    String toolUseId();

    /** {@return the error code of a failed call (e.g. {@code max_uses_exceeded}), or null when it succeeded} */
    @Nullable
    String errorCode();

    /** {@return every field of the block, {@code type} included, as it came} */
    Map<String, Object> json();

    /**
     * {@code web_search_tool_result}: the pages found.
     *
     * @param toolUseId the call answered
     * @param results the results, in order (empty for a failed call)
     * @param errorCode the error code, or null
     * @param json the whole block
     */
    record WebSearch(
            String toolUseId,
            List<WebSearchResult> results,
            @Nullable String errorCode,
            Map<String, Object> json) implements ServerToolResultBlock {
        /** @throws NullPointerException if toolUseId, results or json is null */
        public WebSearch {
            Objects.requireNonNull(toolUseId, "toolUseId");
            results = List.copyOf(results);
            json = JsonValues.copyObject(json, "block json");
        }

        @Override
        public String type() {
            return "web_search_tool_result";
        }
    }

    /**
     * One page a web search found.
     *
     * @param url its URL
     * @param title its title; may be empty
     * @param pageAge how old it is, as the API says (e.g. {@code "2 days ago"}), or null
     * @param encryptedContent the page content to pass back on the next turn (for citations)
     */
    record WebSearchResult(
            String url, String title, @Nullable String pageAge, String encryptedContent) {
        /** @throws NullPointerException if url, title or encryptedContent is null */
        public WebSearchResult {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(encryptedContent, "encryptedContent");
        }
    }

    /**
     * {@code web_fetch_tool_result}: one fetched page or document.
     *
     * @param toolUseId the call answered
     * @param url the URL fetched; empty for a failed call
     * @param retrievedAt when it was fetched, as the API wrote it, or null
     * @param document the fetched document block ({@code type} {@code document}, its {@code source},
     *     {@code title}, {@code citations}), or an empty map for a failed call
     * @param errorCode the error code, or null
     * @param json the whole block
     */
    record WebFetch(
            String toolUseId,
            String url,
            @Nullable String retrievedAt,
            Map<String, Object> document,
            @Nullable String errorCode,
            Map<String, Object> json)
            implements ServerToolResultBlock {
        /** @throws NullPointerException if toolUseId, url, document or json is null */
        public WebFetch {
            Objects.requireNonNull(toolUseId, "toolUseId");
            Objects.requireNonNull(url, "url");
            document = JsonValues.copyObject(document, "document");
            json = JsonValues.copyObject(json, "block json");
        }

        @Override
        public String type() {
            return "web_fetch_tool_result";
        }
    }

    /**
     * {@code code_execution_tool_result} or {@code bash_code_execution_tool_result}: what a program
     * printed, its exit code, and the files it wrote.
     *
     * @param type {@code code_execution_tool_result} or {@code bash_code_execution_tool_result}
     * @param toolUseId the call answered
     * @param stdout what it printed; empty for a failed call
     * @param stderr its error output
     * @param returnCode its exit code (0 for a failed call)
     * @param fileIds the ids of the files it wrote (download them with the Files API)
     * @param errorCode the error code, or null
     * @param json the whole block
     */
    record CodeExecution(
            String type,
            String toolUseId,
            String stdout,
            String stderr,
            long returnCode,
            List<String> fileIds,
            @Nullable String errorCode,
            Map<String, Object> json)
            implements ServerToolResultBlock {
        /** @throws NullPointerException if an argument other than errorCode is null */
        public CodeExecution {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(toolUseId, "toolUseId");
            Objects.requireNonNull(stdout, "stdout");
            Objects.requireNonNull(stderr, "stderr");
            fileIds = List.copyOf(fileIds);
            json = JsonValues.copyObject(json, "block json");
        }
    }

    /**
     * {@code text_editor_code_execution_tool_result}: what a file operation in the container did.
     *
     * @param toolUseId the call answered
     * @param resultType the content's type: {@code text_editor_code_execution_view_result},
     *     {@code ..._create_result}, {@code ..._str_replace_result}, or the error's
     * @param content the content's fields ({@code content} and {@code num_lines} of a view,
     *     {@code is_file_update} of a create, {@code lines} and {@code old_start} of a replace)
     * @param errorCode the error code, or null
     * @param json the whole block
     */
    record TextEditorCodeExecution(
            String toolUseId,
            String resultType,
            Map<String, Object> content,
            @Nullable String errorCode,
            Map<String, Object> json)
            implements ServerToolResultBlock {
        /** @throws NullPointerException if an argument other than errorCode is null */
        public TextEditorCodeExecution {
            Objects.requireNonNull(toolUseId, "toolUseId");
            Objects.requireNonNull(resultType, "resultType");
            content = JsonValues.copyObject(content, "content");
            json = JsonValues.copyObject(json, "block json");
        }

        @Override
        public String type() {
            return "text_editor_code_execution_tool_result";
        }
    }

    /**
     * {@code tool_search_tool_result}: the deferred tools a tool search found, which the model may
     * now call.
     *
     * @param toolUseId the call answered
     * @param toolNames the names of the tools found ({@code tool_reference} blocks), in order
     * @param errorCode the error code, or null
     * @param json the whole block
     */
    record ToolSearch(
            String toolUseId,
            List<String> toolNames,
            @Nullable String errorCode,
            Map<String, Object> json) implements ServerToolResultBlock {
        /** @throws NullPointerException if toolUseId, toolNames or json is null */
        public ToolSearch {
            Objects.requireNonNull(toolUseId, "toolUseId");
            toolNames = List.copyOf(toolNames);
            json = JsonValues.copyObject(json, "block json");
        }

        @Override
        public String type() {
            return "tool_search_tool_result";
        }
    }

    /**
     * {@code advisor_tool_result}: what the advisor tool's model answered: its text
     * ({@code advisor_result}), or its output encrypted ({@code advisor_redacted_result}), which
     * must go back verbatim, as the whole block ({@link #json()}) does.
     *
     * @param toolUseId the call answered
     * @param text the advisor's text, or null when redacted or failed
     * @param encryptedContent the advisor's redacted output, opaque, or null
     * @param stopReason the advisor's stop reason, or null
     * @param errorCode the error code, or null
     * @param json the whole block
     */
    record Advisor(
            String toolUseId,
            @Nullable String text,
            @Nullable String encryptedContent,
            @Nullable String stopReason,
            @Nullable String errorCode,
            Map<String, Object> json)
            implements ServerToolResultBlock {
        /** @throws NullPointerException if toolUseId or json is null */
        public Advisor {
            Objects.requireNonNull(toolUseId, "toolUseId");
            json = JsonValues.copyObject(json, "block json");
        }

        @Override
        public String type() {
            return "advisor_tool_result";
        }
    }

    /**
     * {@return the typed block of a server tool result's JSON, or null when the type is not one}
     * Fields of an unexpected shape read as empty: the block is never refused, its {@link #json()}
     * keeps everything.
     */
    static @Nullable ServerToolResultBlock of(String type, Map<String, Object> json) {
        String toolUseId = string(json.get("tool_use_id"), "");
        Object content = json.get("content");
        Map<String, Object> object = content instanceof Map<?, ?> ? cast(content) : Map.of();
        String errorCode = object.get("error_code") instanceof String s ? s : null;
        return switch (type) {
            case "web_search_tool_result" -> {
                List<WebSearchResult> results = new ArrayList<>();
                if (content instanceof List<?> list) {
                    for (Object o : list) {
                        if (o instanceof Map<?, ?> m && m.get("url") instanceof String url) {
                            results.add(new WebSearchResult(
                                    url,
                                    string(m.get("title"), ""),
                                    m.get("page_age") instanceof String age ? age : null,
                                    string(m.get("encrypted_content"), "")));
                        }
                    }
                }
                yield new WebSearch(toolUseId, results, errorCode, json);
            }
            case "web_fetch_tool_result" ->
                new WebFetch(
                        toolUseId,
                        string(object.get("url"), ""),
                        object.get("retrieved_at") instanceof String at ? at : null,
                        object.get("content") instanceof Map<?, ?> doc ? cast(doc) : Map.of(),
                        errorCode,
                        json);
            case "code_execution_tool_result", "bash_code_execution_tool_result" -> {
                List<String> files = new ArrayList<>();
                if (object.get("content") instanceof List<?> list) {
                    for (Object o : list)
                        if (o instanceof Map<?, ?> m && m.get("file_id") instanceof String id) files.add(id);
                }
                long code = object.get("return_code") instanceof Number n ? n.longValue() : 0;
                yield new CodeExecution(
                        type,
                        toolUseId,
                        string(object.get("stdout"), ""),
                        string(object.get("stderr"), ""),
                        code,
                        files,
                        errorCode,
                        json);
            }
            case "text_editor_code_execution_tool_result" ->
                new TextEditorCodeExecution(toolUseId, string(object.get("type"), ""), object, errorCode, json);
            case "tool_search_tool_result" -> {
                List<String> names = new ArrayList<>();
                if (object.get("tool_references") instanceof List<?> list) {
                    for (Object o : list)
                        if (o instanceof Map<?, ?> m && m.get("tool_name") instanceof String n) names.add(n);
                }
                yield new ToolSearch(toolUseId, names, errorCode, json);
            }
            case "advisor_tool_result" ->
                new Advisor(
                        toolUseId,
                        object.get("text") instanceof String t ? t : null,
                        object.get("encrypted_content") instanceof String e ? e : null,
                        object.get("stop_reason") instanceof String r ? r : null,
                        errorCode,
                        json);
            default -> null;
        };
    }

    private static String string(@Nullable Object value, String fallback) {
        return value instanceof String s ? s : fallback;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object map) {
        return (Map<String, Object>) map;
    }
}
