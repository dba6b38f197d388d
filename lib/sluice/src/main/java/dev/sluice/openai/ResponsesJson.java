package dev.sluice.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.ProtocolException;
import dev.sluice.chat.PartialJson;
import dev.sluice.internal.low.json.Json;
import dev.sluice.sse.SseEvent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decodes the Server-Sent Events of a Responses API stream into {@link ResponseStreamEvent}s, and
 * reads response objects and output items. The data is read into the value model
 * ({@link Json#readValue(String)}: maps, lists, strings, numbers) and navigated leniently. The
 * event's type is its {@code type} member, else the SSE event name. Members of the wrong JSON type
 * read as absent (empty text, index 0, no value); a decimal number where an integer belongs counts
 * as its integer part; data that is not a JSON object is a {@link ProtocolException} naming the
 * event and showing its data, truncated. Stateless and thread-safe.
 */
final class ResponsesJson {
    static final int SHOWN_DATA_CHARS = 200;

    private ResponsesJson() {}

    /** @throws ProtocolException if the data is not a JSON object */
    static ResponseStreamEvent decode(SseEvent event) {
        Object data;
        try {
            data = Json.readValue(event.data());
        } catch (JsonProcessingException e) {
            throw invalid(event, "the data is not JSON: " + e.getOriginalMessage(), e);
        }
        if (!(data instanceof Map<?, ?> n)) throw invalid(event, "the data is not a JSON object", null);
        String type = n.get("type") instanceof String t ? t : event.type();
        long seq = asLong(n.get("sequence_number"), -1);
        return switch (type) {
            case "response.queued",
                    "response.created",
                    "response.in_progress",
                    "response.completed",
                    "response.incomplete",
                    "response.failed" ->
                n.get("response") instanceof Map<?, ?> r
                        ? new ResponseStreamEvent.Lifecycle(type, seq, response(r))
                        : new ResponseStreamEvent.Unknown(type, seq, event.data());
            case "response.output_item.added" ->
                n.get("item") instanceof Map<?, ?> i
                        ? new ResponseStreamEvent.OutputItemAdded(seq, integer(n, "output_index"), item(i))
                        : new ResponseStreamEvent.Unknown(type, seq, event.data());
            case "response.output_item.done" ->
                n.get("item") instanceof Map<?, ?> i
                        ? new ResponseStreamEvent.OutputItemDone(seq, integer(n, "output_index"), item(i))
                        : new ResponseStreamEvent.Unknown(type, seq, event.data());
            case "response.content_part.added", "response.content_part.done" ->
                new ResponseStreamEvent.ContentPart(
                        type,
                        seq,
                        text(n, "item_id"),
                        integer(n, "output_index"),
                        integer(n, "content_index"),
                        content(n.get("part")));
            case "response.output_text.delta" ->
                new ResponseStreamEvent.OutputTextDelta(
                        seq,
                        text(n, "item_id"),
                        integer(n, "output_index"),
                        integer(n, "content_index"),
                        text(n, "delta"));
            case "response.output_text.done" ->
                new ResponseStreamEvent.OutputTextDone(
                        seq,
                        text(n, "item_id"),
                        integer(n, "output_index"),
                        integer(n, "content_index"),
                        text(n, "text"));
            case "response.refusal.delta" ->
                new ResponseStreamEvent.RefusalDelta(
                        seq,
                        text(n, "item_id"),
                        integer(n, "output_index"),
                        integer(n, "content_index"),
                        text(n, "delta"));
            case "response.refusal.done" ->
                new ResponseStreamEvent.RefusalDone(
                        seq,
                        text(n, "item_id"),
                        integer(n, "output_index"),
                        integer(n, "content_index"),
                        text(n, "refusal"));
            case "response.function_call_arguments.delta" ->
                new ResponseStreamEvent.FunctionCallArgumentsDelta(
                        seq, text(n, "item_id"), integer(n, "output_index"), text(n, "delta"));
            case "response.function_call_arguments.done" ->
                new ResponseStreamEvent.FunctionCallArgumentsDone(
                        seq, text(n, "item_id"), integer(n, "output_index"), text(n, "arguments"));
            case "response.reasoning_summary_text.delta" ->
                new ResponseStreamEvent.ReasoningSummaryTextDelta(
                        seq,
                        text(n, "item_id"),
                        integer(n, "output_index"),
                        integer(n, "summary_index"),
                        text(n, "delta"));
            case "response.reasoning_summary_text.done" ->
                new ResponseStreamEvent.ReasoningSummaryTextDone(
                        seq,
                        text(n, "item_id"),
                        integer(n, "output_index"),
                        integer(n, "summary_index"),
                        text(n, "text"));
            case "response.custom_tool_call_input.delta" ->
                new ResponseStreamEvent.CustomToolCallInputDelta(
                        seq, text(n, "item_id"), integer(n, "output_index"), text(n, "delta"));
            case "response.custom_tool_call_input.done" ->
                new ResponseStreamEvent.CustomToolCallInputDone(
                        seq, text(n, "item_id"), integer(n, "output_index"), text(n, "input"));
            case "response.shell_call_command.added", "response.shell_call_command.done" ->
                new ResponseStreamEvent.ShellCallCommand(
                        type, seq, integer(n, "output_index"), integer(n, "command_index"), text(n, "command"));
            case "response.shell_call_command.delta" ->
                new ResponseStreamEvent.ShellCallCommand(
                        type, seq, integer(n, "output_index"), integer(n, "command_index"), text(n, "delta"));
            case "response.apply_patch_call_operation_diff.delta" ->
                new ResponseStreamEvent.ApplyPatchDiff(
                        type, seq, text(n, "item_id"), integer(n, "output_index"), text(n, "delta"));
            case "response.apply_patch_call_operation_diff.done" ->
                new ResponseStreamEvent.ApplyPatchDiff(
                        type, seq, text(n, "item_id"), integer(n, "output_index"), text(n, "diff"));
            case "response.mcp_call_arguments.delta" ->
                new ResponseStreamEvent.McpCallArguments(
                        type, seq, text(n, "item_id"), integer(n, "output_index"), text(n, "delta"));
            case "response.mcp_call_arguments.done" ->
                new ResponseStreamEvent.McpCallArguments(
                        type, seq, text(n, "item_id"), integer(n, "output_index"), text(n, "arguments"));
            case "response.mcp_call.in_progress",
                    "response.mcp_call.completed",
                    "response.mcp_call.failed",
                    "response.mcp_list_tools.in_progress",
                    "response.mcp_list_tools.completed",
                    "response.mcp_list_tools.failed" ->
                new ResponseStreamEvent.McpProgress(type, seq, text(n, "item_id"), integer(n, "output_index"));
            case "response.rate_limits.updated" -> {
                List<ResponseStreamEvent.RateLimit> limits = new ArrayList<>();
                for (Object l : elements(n.get("rate_limits"))) {
                    Object reset = member(l, "reset_seconds");
                    limits.add(new ResponseStreamEvent.RateLimit(
                            text(l, "name"),
                            asLong(member(l, "limit"), -1),
                            asLong(member(l, "remaining"), -1),
                            reset instanceof Number x ? x.doubleValue() : -1));
                }
                yield new ResponseStreamEvent.RateLimitsUpdated(seq, limits);
            }
            case "keepalive" -> new ResponseStreamEvent.Keepalive(seq);
            case "error" -> error(n, seq);
            default -> new ResponseStreamEvent.Unknown(type, seq, event.data());
        };
    }

    /** The error event: {@code code}/{@code message} at the top, or (as some servers send it) inside {@code error}. */
    private static ResponseStreamEvent.Error error(Map<?, ?> n, long seq) {
        Map<?, ?> e = n.get("error") instanceof Map<?, ?> inner ? inner : n;
        String code = text(e, "code");
        if (code.isEmpty()) code = text(e, "type");
        if (code.isEmpty() || code.equals("error")) code = "error";
        String param = e.get("param") instanceof String p ? p : null;
        return new ResponseStreamEvent.Error(seq, code, text(e, "message"), param);
    }

    static Response response(Map<?, ?> r) {
        List<ResponseOutputItem> output = new ArrayList<>();
        for (Object item : elements(r.get("output"))) if (item instanceof Map<?, ?> m) output.add(item(m));
        ResponseUsage usage = null;
        if (r.get("usage") instanceof Map<?, ?> u) {
            usage = new ResponseUsage(
                    number(u, "input_tokens"),
                    number(u.get("input_tokens_details"), "cached_tokens"),
                    number(u, "output_tokens"),
                    number(u.get("output_tokens_details"), "reasoning_tokens"),
                    number(u, "total_tokens"));
        }
        String incomplete =
                r.get("incomplete_details") instanceof Map<?, ?> d && d.get("reason") instanceof String reason
                        ? reason
                        : null;
        Response.ResponseError error = null;
        if (r.get("error") instanceof Map<?, ?> e) {
            String code = text(e, "code");
            error = new Response.ResponseError(code.isEmpty() ? "error" : code, text(e, "message"));
        }
        return new Response(
                text(r, "id"),
                text(r, "model"),
                text(r, "status"),
                number(r, "created_at"),
                asBoolean(r.get("background")),
                output,
                usage,
                incomplete,
                error);
    }

    static ResponseOutputItem item(Map<?, ?> i) {
        String type = text(i, "type");
        return switch (type) {
            case "message" -> {
                List<ResponseOutputItem.Content> content = new ArrayList<>();
                for (Object c : elements(i.get("content"))) content.add(content(c));
                yield new ResponseOutputItem.Message(text(i, "id"), text(i, "role"), text(i, "status"), content);
            }
            case "function_call" -> {
                String arguments = text(i, "arguments");
                PartialJson.Result parsed =
                        arguments.isEmpty() ? new PartialJson.Result(null, null) : PartialJson.parse(arguments);
                String problem = arguments.isEmpty() ? null : argumentsError(parsed);
                yield new ResponseOutputItem.FunctionCall(
                        text(i, "id"),
                        text(i, "call_id"),
                        text(i, "name"),
                        arguments,
                        text(i, "status"),
                        parsed.value(),
                        problem);
            }
            case "reasoning" -> {
                List<String> summary = new ArrayList<>();
                for (Object s : elements(i.get("summary"))) summary.add(text(s, "text"));
                String encrypted = i.get("encrypted_content") instanceof String e ? e : null;
                yield new ResponseOutputItem.Reasoning(text(i, "id"), summary, encrypted);
            }
            case "custom_tool_call" ->
                new ResponseOutputItem.CustomToolCall(
                        text(i, "id"),
                        text(i, "call_id"),
                        text(i, "name"),
                        text(i, "input"),
                        i.get("namespace") instanceof String ns ? ns : null);
            case "shell_call" -> {
                List<String> commands = new ArrayList<>();
                for (Object c : elements(member(i.get("action"), "commands")))
                    if (c instanceof String command) commands.add(command);
                yield new ResponseOutputItem.ShellCall(
                        text(i, "id"), text(i, "call_id"), text(i, "status"), commands, object(i));
            }
            case "apply_patch_call" -> {
                Object op = i.get("operation");
                yield new ResponseOutputItem.ApplyPatchCall(
                        text(i, "id"),
                        text(i, "call_id"),
                        text(i, "status"),
                        text(op, "type"),
                        text(op, "path"),
                        text(op, "diff"));
            }
            case "mcp_approval_request" ->
                new ResponseOutputItem.McpApprovalRequest(
                        text(i, "id"), text(i, "server_label"), text(i, "name"), text(i, "arguments"));
            case "compaction" -> new ResponseOutputItem.Compaction(text(i, "id"), text(i, "encrypted_content"));
            default -> new ResponseOutputItem.Other(type, text(i, "id"), object(i));
        };
    }

    // ------------------------------------------------------------------ writing, in the API's own shape

    /** {@return a response object as the API writes it: its output items in their own shapes, opaque strings as received} */
    static Map<String, Object> responseJson(Response r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("object", "response");
        m.put("created_at", r.createdAt());
        m.put("status", r.status());
        m.put("background", r.background());
        m.put("model", r.model());
        List<Object> output = new ArrayList<>();
        for (ResponseOutputItem item : r.output()) output.add(itemJson(item));
        m.put("output", output);
        m.put("incomplete_details", r.incompleteReason() == null ? null : Map.of("reason", r.incompleteReason()));
        if (r.error() == null) {
            m.put("error", null);
        } else {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("code", r.error().code());
            e.put("message", r.error().message());
            m.put("error", e);
        }
        if (r.usage() == null) {
            m.put("usage", null);
        } else {
            ResponseUsage u = r.usage();
            Map<String, Object> usage = new LinkedHashMap<>();
            usage.put("input_tokens", u.inputTokens());
            usage.put("input_tokens_details", Map.of("cached_tokens", u.cachedTokens()));
            usage.put("output_tokens", u.outputTokens());
            usage.put("output_tokens_details", Map.of("reasoning_tokens", u.reasoningTokens()));
            usage.put("total_tokens", u.totalTokens());
            m.put("usage", usage);
        }
        return m;
    }

    /** {@return an output item as the API writes it (and takes it back as an input item)} */
    static Map<String, Object> itemJson(ResponseOutputItem item) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (item) {
            case ResponseOutputItem.Other o -> {
                return o.json();
            }
            case ResponseOutputItem.ShellCall c -> {
                Map<String, Object> whole = new LinkedHashMap<>(c.json());
                Map<String, Object> action = whole.get("action") instanceof Map<?, ?> a
                        ? new LinkedHashMap<>(object(a))
                        : new LinkedHashMap<>();
                action.put("commands", c.commands());
                whole.put("type", "shell_call");
                whole.put("id", c.id());
                whole.put("call_id", c.callId());
                whole.put("action", action);
                if (!c.status().isEmpty()) whole.put("status", c.status());
                return whole;
            }
            case ResponseOutputItem.Message msg -> {
                m.put("type", "message");
                m.put("id", msg.id());
                if (!msg.status().isEmpty()) m.put("status", msg.status());
                m.put("role", msg.role());
                List<Object> content = new ArrayList<>();
                for (ResponseOutputItem.Content c : msg.content()) {
                    Map<String, Object> part = new LinkedHashMap<>();
                    part.put("type", c.type());
                    if (c.isRefusal()) {
                        part.put("refusal", c.text());
                    } else {
                        part.put("text", c.text());
                        part.put("annotations", c.annotations());
                    }
                    content.add(part);
                }
                m.put("content", content);
            }
            case ResponseOutputItem.FunctionCall f -> {
                m.put("type", "function_call");
                m.put("id", f.id());
                m.put("call_id", f.callId());
                m.put("name", f.name());
                m.put("arguments", f.arguments());
                if (!f.status().isEmpty()) m.put("status", f.status());
                if (f.argumentsError() != null) m.put("arguments_error", f.argumentsError());
            }
            case ResponseOutputItem.Reasoning r -> {
                m.put("type", "reasoning");
                m.put("id", r.id());
                List<Object> summary = new ArrayList<>();
                for (String t : r.summary()) {
                    Map<String, Object> part = new LinkedHashMap<>();
                    part.put("type", "summary_text");
                    part.put("text", t);
                    summary.add(part);
                }
                m.put("summary", summary);
                if (r.encryptedContent() != null) m.put("encrypted_content", r.encryptedContent());
            }
            case ResponseOutputItem.CustomToolCall c -> {
                m.put("type", "custom_tool_call");
                if (!c.id().isEmpty()) m.put("id", c.id());
                m.put("call_id", c.callId());
                if (c.namespace() != null) m.put("namespace", c.namespace());
                m.put("name", c.name());
                m.put("input", c.input());
            }
            case ResponseOutputItem.ApplyPatchCall c -> {
                m.put("type", "apply_patch_call");
                m.put("id", c.id());
                m.put("call_id", c.callId());
                if (!c.status().isEmpty()) m.put("status", c.status());
                Map<String, Object> op = new LinkedHashMap<>();
                op.put("type", c.operation());
                op.put("path", c.path());
                if (!c.operation().equals("delete_file")) op.put("diff", c.diff());
                m.put("operation", op);
            }
            case ResponseOutputItem.McpApprovalRequest a -> {
                m.put("type", "mcp_approval_request");
                m.put("id", a.id());
                m.put("server_label", a.serverLabel());
                m.put("name", a.name());
                m.put("arguments", a.arguments());
            }
            case ResponseOutputItem.Compaction c -> {
                m.put("type", "compaction");
                if (!c.id().isEmpty()) m.put("id", c.id());
                m.put("encrypted_content", c.encryptedContent());
            }
        }
        return m;
    }

    /** {@return why the parse result is not a JSON object, or null when it is one} */
    static @Nullable String argumentsError(PartialJson.Result parsed) {
        if (!parsed.isValid()) return parsed.error();
        if (!(parsed.value() instanceof Map)) return "the arguments are not a JSON object";
        return null;
    }

    /** @param c a content part as read (anything: a member of another type reads as absent) */
    static ResponseOutputItem.Content content(@Nullable Object c) {
        String type = text(c, "type");
        String text = type.equals("refusal") ? text(c, "refusal") : text(c, "text");
        List<Object> annotations = new ArrayList<>(elements(member(c, "annotations")));
        return new ResponseOutputItem.Content(type, text, annotations);
    }

    // ------------------------------------------------------------------ lenient navigation of the value model

    private static final BigDecimal MIN_LONG = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal MAX_LONG = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal MIN_INT = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal MAX_INT = BigDecimal.valueOf(Integer.MAX_VALUE);

    /** {@return the member of an object, or null when {@code n} is not an object or has no such member} */
    static @Nullable Object member(@Nullable Object n, String field) {
        return n instanceof Map<?, ?> m ? m.get(field) : null;
    }

    /** {@return an object's member values in order: an array's elements, an object's values, else nothing} */
    private static Collection<?> elements(@Nullable Object v) {
        if (v instanceof List<?> list) return list;
        if (v instanceof Map<?, ?> m) return m.values();
        return List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<?, ?> m) {
        return (Map<String, Object>) m; // the value model's maps: unmodifiable, String keys
    }

    static String text(@Nullable Object n, String field) {
        return member(n, field) instanceof String s ? s : "";
    }

    /** An integer in int range, or a decimal number in int range (its integer part); else 0. */
    static int integer(Object n, String field) {
        Object v = member(n, field);
        if (v instanceof Long l) return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (int) (long) l : 0;
        if (v instanceof BigDecimal d) return d.compareTo(MIN_INT) >= 0 && d.compareTo(MAX_INT) <= 0 ? d.intValue() : 0;
        return 0; // a BigInteger is beyond long's range, so beyond int's
    }

    static long number(@Nullable Object n, String field) {
        return asLong(member(n, field), 0);
    }

    /** An integer in long range, or a decimal number in long range (its integer part); else {@code absent}. */
    static long asLong(@Nullable Object v, long absent) {
        if (v instanceof Long l) return l;
        if (v instanceof BigDecimal d)
            return d.compareTo(MIN_LONG) >= 0 && d.compareTo(MAX_LONG) <= 0 ? d.longValue() : absent;
        return absent; // a BigInteger is beyond long's range
    }

    /** true, a non-zero integer, or the string {@code "true"} (trimmed); anything else false. */
    private static boolean asBoolean(@Nullable Object v) {
        if (v instanceof Boolean b) return b;
        if (v instanceof Long l) return l != 0;
        if (v instanceof BigInteger) return true; // beyond long's range, so not zero
        if (v instanceof String s) return s.trim().equals("true");
        return false;
    }

    private static ProtocolException invalid(SseEvent event, String what, @Nullable Throwable cause) {
        return new ProtocolException(
                "OpenAI response event '" + event.type() + "' of an unexpected shape: " + what + "; data: "
                        + Json.truncate(event.data(), SHOWN_DATA_CHARS),
                cause);
    }
}
