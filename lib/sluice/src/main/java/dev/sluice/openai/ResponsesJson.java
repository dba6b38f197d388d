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
import java.util.List;
import java.util.Map;

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
            case "response.queued", "response.created", "response.in_progress", "response.completed",
                 "response.incomplete", "response.failed" -> n.get("response") instanceof Map<?, ?> r
                    ? new ResponseStreamEvent.Lifecycle(type, seq, response(r))
                    : new ResponseStreamEvent.Unknown(type, seq, event.data());
            case "response.output_item.added" -> n.get("item") instanceof Map<?, ?> i
                    ? new ResponseStreamEvent.OutputItemAdded(seq, integer(n, "output_index"), item(i))
                    : new ResponseStreamEvent.Unknown(type, seq, event.data());
            case "response.output_item.done" -> n.get("item") instanceof Map<?, ?> i
                    ? new ResponseStreamEvent.OutputItemDone(seq, integer(n, "output_index"), item(i))
                    : new ResponseStreamEvent.Unknown(type, seq, event.data());
            case "response.content_part.added", "response.content_part.done" -> new ResponseStreamEvent.ContentPart(
                    type, seq, text(n, "item_id"), integer(n, "output_index"), integer(n, "content_index"),
                    content(n.get("part")));
            case "response.output_text.delta" -> new ResponseStreamEvent.OutputTextDelta(seq, text(n, "item_id"),
                    integer(n, "output_index"), integer(n, "content_index"), text(n, "delta"));
            case "response.output_text.done" -> new ResponseStreamEvent.OutputTextDone(seq, text(n, "item_id"),
                    integer(n, "output_index"), integer(n, "content_index"), text(n, "text"));
            case "response.refusal.delta" -> new ResponseStreamEvent.RefusalDelta(seq, text(n, "item_id"),
                    integer(n, "output_index"), integer(n, "content_index"), text(n, "delta"));
            case "response.refusal.done" -> new ResponseStreamEvent.RefusalDone(seq, text(n, "item_id"),
                    integer(n, "output_index"), integer(n, "content_index"), text(n, "refusal"));
            case "response.function_call_arguments.delta" -> new ResponseStreamEvent.FunctionCallArgumentsDelta(seq,
                    text(n, "item_id"), integer(n, "output_index"), text(n, "delta"));
            case "response.function_call_arguments.done" -> new ResponseStreamEvent.FunctionCallArgumentsDone(seq,
                    text(n, "item_id"), integer(n, "output_index"), text(n, "arguments"));
            case "response.reasoning_summary_text.delta" -> new ResponseStreamEvent.ReasoningSummaryTextDelta(seq,
                    text(n, "item_id"), integer(n, "output_index"), integer(n, "summary_index"), text(n, "delta"));
            case "response.reasoning_summary_text.done" -> new ResponseStreamEvent.ReasoningSummaryTextDone(seq,
                    text(n, "item_id"), integer(n, "output_index"), integer(n, "summary_index"), text(n, "text"));
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
            usage = new ResponseUsage(number(u, "input_tokens"), number(u.get("input_tokens_details"), "cached_tokens"),
                    number(u, "output_tokens"), number(u.get("output_tokens_details"), "reasoning_tokens"),
                    number(u, "total_tokens"));
        }
        String incomplete = r.get("incomplete_details") instanceof Map<?, ?> d && d.get("reason") instanceof String reason
                ? reason : null;
        Response.ResponseError error = null;
        if (r.get("error") instanceof Map<?, ?> e) {
            String code = text(e, "code");
            error = new Response.ResponseError(code.isEmpty() ? "error" : code, text(e, "message"));
        }
        return new Response(text(r, "id"), text(r, "model"), text(r, "status"), number(r, "created_at"),
                asBoolean(r.get("background")), output, usage, incomplete, error);
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
                PartialJson.Result parsed = arguments.isEmpty() ? new PartialJson.Result(null, null) : PartialJson.parse(arguments);
                String problem = arguments.isEmpty() ? null : argumentsError(parsed);
                yield new ResponseOutputItem.FunctionCall(text(i, "id"), text(i, "call_id"), text(i, "name"), arguments,
                        text(i, "status"), parsed.value(), problem);
            }
            case "reasoning" -> {
                List<String> summary = new ArrayList<>();
                for (Object s : elements(i.get("summary"))) summary.add(text(s, "text"));
                String encrypted = i.get("encrypted_content") instanceof String e ? e : null;
                yield new ResponseOutputItem.Reasoning(text(i, "id"), summary, encrypted);
            }
            default -> new ResponseOutputItem.Other(type, text(i, "id"), object(i));
        };
    }

    /** {@return why the parse result is not a JSON object, or null when it is one} */
    static String argumentsError(PartialJson.Result parsed) {
        if (!parsed.isValid()) return parsed.error();
        if (!(parsed.value() instanceof Map)) return "the arguments are not a JSON object";
        return null;
    }

    /** @param c a content part as read (anything: a member of another type reads as absent) */
    static ResponseOutputItem.Content content(Object c) {
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
    private static Object member(Object n, String field) {
        return n instanceof Map<?, ?> m ? m.get(field) : null;
    }

    /** {@return an object's member values in order: an array's elements, an object's values, else nothing} */
    private static Collection<?> elements(Object v) {
        if (v instanceof List<?> list) return list;
        if (v instanceof Map<?, ?> m) return m.values();
        return List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<?, ?> m) {
        return (Map<String, Object>) m; // the value model's maps: unmodifiable, String keys
    }

    static String text(Object n, String field) {
        return member(n, field) instanceof String s ? s : "";
    }

    /** An integer in int range, or a decimal number in int range (its integer part); else 0. */
    static int integer(Object n, String field) {
        Object v = member(n, field);
        if (v instanceof Long l) return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (int) (long) l : 0;
        if (v instanceof BigDecimal d) return d.compareTo(MIN_INT) >= 0 && d.compareTo(MAX_INT) <= 0 ? d.intValue() : 0;
        return 0; // a BigInteger is beyond long's range, so beyond int's
    }

    static long number(Object n, String field) {
        return asLong(member(n, field), 0);
    }

    /** An integer in long range, or a decimal number in long range (its integer part); else {@code absent}. */
    private static long asLong(Object v, long absent) {
        if (v instanceof Long l) return l;
        if (v instanceof BigDecimal d) return d.compareTo(MIN_LONG) >= 0 && d.compareTo(MAX_LONG) <= 0 ? d.longValue() : absent;
        return absent; // a BigInteger is beyond long's range
    }

    /** true, a non-zero integer, or the string {@code "true"} (trimmed); anything else false. */
    private static boolean asBoolean(Object v) {
        if (v instanceof Boolean b) return b;
        if (v instanceof Long l) return l != 0;
        if (v instanceof BigInteger) return true; // beyond long's range, so not zero
        if (v instanceof String s) return s.trim().equals("true");
        return false;
    }

    private static ProtocolException invalid(SseEvent event, String what, Throwable cause) {
        return new ProtocolException("OpenAI response event '" + event.type() + "' of an unexpected shape: " + what
                + "; data: " + Json.truncate(event.data(), SHOWN_DATA_CHARS), cause);
    }
}
