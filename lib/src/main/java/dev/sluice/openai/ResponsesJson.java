package dev.sluice.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.ProtocolException;
import dev.sluice.chat.PartialJson;
import dev.sluice.internal.json.Json;
import dev.sluice.internal.json.JsonTrees;
import dev.sluice.sse.SseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes the Server-Sent Events of a Responses API stream into {@link ResponseStreamEvent}s, and
 * reads response objects and output items. The event's type is its {@code type} member, else the
 * SSE event name. Members of the wrong JSON type read as absent (empty text, index 0, no value);
 * data that is not a JSON object is a {@link ProtocolException} naming the event and showing its
 * data, truncated. Stateless and thread-safe.
 */
final class ResponsesJson {
    static final int SHOWN_DATA_CHARS = 200;

    private ResponsesJson() {}

    /** @throws ProtocolException if the data is not a JSON object */
    static ResponseStreamEvent decode(SseEvent event) {
        JsonNode n;
        try {
            n = JsonTrees.readTree(event.data());
        } catch (JsonProcessingException e) {
            throw invalid(event, "the data is not JSON: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) { // nested past the depth limit
            throw invalid(event, e.getMessage(), e);
        }
        if (!n.isObject()) throw invalid(event, "the data is not a JSON object", null);
        String type = n.path("type").isTextual() ? n.get("type").textValue() : event.type();
        long seq = n.path("sequence_number").canConvertToLong() ? n.get("sequence_number").longValue() : -1;
        try {
            return switch (type) {
                case "response.queued", "response.created", "response.in_progress", "response.completed",
                     "response.incomplete", "response.failed" -> n.path("response").isObject()
                        ? new ResponseStreamEvent.Lifecycle(type, seq, response(n.get("response")))
                        : new ResponseStreamEvent.Unknown(type, seq, event.data());
                case "response.output_item.added" -> n.path("item").isObject()
                        ? new ResponseStreamEvent.OutputItemAdded(seq, integer(n, "output_index"), item(n.get("item")))
                        : new ResponseStreamEvent.Unknown(type, seq, event.data());
                case "response.output_item.done" -> n.path("item").isObject()
                        ? new ResponseStreamEvent.OutputItemDone(seq, integer(n, "output_index"), item(n.get("item")))
                        : new ResponseStreamEvent.Unknown(type, seq, event.data());
                case "response.content_part.added", "response.content_part.done" -> new ResponseStreamEvent.ContentPart(
                        type, seq, text(n, "item_id"), integer(n, "output_index"), integer(n, "content_index"),
                        content(n.path("part")));
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
        } catch (IllegalArgumentException e) { // a value nested past the depth limit
            throw invalid(event, e.getMessage(), e);
        }
    }

    /** The error event: {@code code}/{@code message} at the top, or (as some servers send it) inside {@code error}. */
    private static ResponseStreamEvent.Error error(JsonNode n, long seq) {
        JsonNode e = n.path("error").isObject() ? n.get("error") : n;
        String code = text(e, "code");
        if (code.isEmpty()) code = text(e, "type");
        if (code.isEmpty() || code.equals("error")) code = "error";
        String param = e.path("param").isTextual() ? e.get("param").textValue() : null;
        return new ResponseStreamEvent.Error(seq, code, text(e, "message"), param);
    }

    static Response response(JsonNode r) {
        List<ResponseOutputItem> output = new ArrayList<>();
        for (JsonNode item : r.path("output")) if (item.isObject()) output.add(item(item));
        ResponseUsage usage = null;
        JsonNode u = r.path("usage");
        if (u.isObject()) {
            usage = new ResponseUsage(number(u, "input_tokens"), number(u.path("input_tokens_details"), "cached_tokens"),
                    number(u, "output_tokens"), number(u.path("output_tokens_details"), "reasoning_tokens"),
                    number(u, "total_tokens"));
        }
        String incomplete = r.path("incomplete_details").path("reason").isTextual()
                ? r.get("incomplete_details").get("reason").textValue() : null;
        Response.ResponseError error = null;
        if (r.path("error").isObject()) {
            String code = text(r.get("error"), "code");
            error = new Response.ResponseError(code.isEmpty() ? "error" : code, text(r.get("error"), "message"));
        }
        return new Response(text(r, "id"), text(r, "model"), text(r, "status"), number(r, "created_at"),
                r.path("background").asBoolean(false), output, usage, incomplete, error);
    }

    static ResponseOutputItem item(JsonNode i) {
        String type = text(i, "type");
        return switch (type) {
            case "message" -> {
                List<ResponseOutputItem.Content> content = new ArrayList<>();
                for (JsonNode c : i.path("content")) content.add(content(c));
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
                for (JsonNode s : i.path("summary")) summary.add(text(s, "text"));
                String encrypted = i.path("encrypted_content").isTextual() ? i.get("encrypted_content").textValue() : null;
                yield new ResponseOutputItem.Reasoning(text(i, "id"), summary, encrypted);
            }
            default -> new ResponseOutputItem.Other(type, text(i, "id"), JsonTrees.toMap(i));
        };
    }

    /** {@return why the parse result is not a JSON object, or null when it is one} */
    static String argumentsError(PartialJson.Result parsed) {
        if (!parsed.isValid()) return parsed.error();
        if (!(parsed.value() instanceof Map)) return "the arguments are not a JSON object";
        return null;
    }

    static ResponseOutputItem.Content content(JsonNode c) {
        String type = text(c, "type");
        String text = type.equals("refusal") ? text(c, "refusal") : text(c, "text");
        List<Object> annotations = new ArrayList<>();
        for (JsonNode a : c.path("annotations")) annotations.add(JsonTrees.toValue(a));
        return new ResponseOutputItem.Content(type, text, annotations);
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() ? v.textValue() : "";
    }

    static int integer(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.canConvertToInt() ? v.intValue() : 0;
    }

    static long number(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.canConvertToLong() ? v.longValue() : 0;
    }

    private static ProtocolException invalid(SseEvent event, String what, Throwable cause) {
        return new ProtocolException("OpenAI response event '" + event.type() + "' of an unexpected shape: " + what
                + "; data: " + Json.truncate(event.data(), SHOWN_DATA_CHARS), cause);
    }
}
