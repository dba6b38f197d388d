package dev.sluice.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.ProtocolException;
import dev.sluice.internal.low.json.Json;
import dev.sluice.openai.ChatCompletionChunk.ChunkChoice;
import dev.sluice.openai.ChatCompletionChunk.Delta;
import dev.sluice.openai.ChatCompletionChunk.ToolCallChunk;
import dev.sluice.sse.SseEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decodes one Server-Sent Event of a Chat Completions stream. Every chunk goes through Jackson's
 * streaming parser straight into the records, with no tree and no binding (only
 * {@code logprobs}, rare and free-form, and {@code error} are read into the value model with
 * {@link Json#readValue(JsonParser, JsonToken)}). Unknown fields are skipped.
 *
 * <ul>
 *   <li>{@code [DONE]} → {@link DoneEvent};
 *   <li>an object with an {@code error} member → {@link ChatCompletionErrorEvent};
 *   <li>an object with {@code choices}, {@code usage} or {@code object: "chat.completion.chunk"}
 *       → {@link ChatCompletionChunk} (an OpenAI-compatible server's reasoning fields,
 *       {@code reasoning_content}, {@code reasoning} and {@code reasoning_details}, included);
 *   <li>a whole completion ({@code chat.completion}, the answer to a request not streamed) → one
 *       {@link ChatCompletionChunk}, each choice's {@code message} read as its {@code delta};
 *   <li>an event with another SSE event name, or an object of another shape → {@link UnknownChatCompletionEvent}.
 * </ul>
 * Data that is not JSON, or a chunk whose known fields have the wrong JSON types, is a
 * {@link ProtocolException} naming the event and showing its data, truncated.
 *
 * <p>Stateless and thread-safe.
 */
final class OpenAiEventDecoder {
    static final int SHOWN_DATA_CHARS = 200;

    private static final DoneEvent DONE = new DoneEvent();

    /** @throws ProtocolException if the data is not JSON or a chunk of an impossible shape */
    ChatCompletionEvent decode(SseEvent event) {
        String data = event.data();
        if (data.equals("[DONE]")) return DONE;
        boolean named = !event.type().equals(SseEvent.DEFAULT_TYPE);
        if (named && !event.type().equals("error")) return new UnknownChatCompletionEvent(event.type(), data);
        try (JsonParser p = Json.FACTORY.createParser(data)) {
            JsonToken first = p.nextToken();
            if (first == null) throw invalid(event, "the data is empty", null);
            if (first != JsonToken.START_OBJECT) {
                p.skipChildren();
                if (p.nextToken() != null) throw invalid(event, "the data is not one JSON value", null);
                return new UnknownChatCompletionEvent(event.type(), data);
            }
            return readObject(p, event);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(
                    "malformed JSON in OpenAI chat completion event '" + event.type() + "' (" + e.getOriginalMessage()
                            + "); data: " + Json.truncate(data, SHOWN_DATA_CHARS),
                    e);
        } catch (Shape e) {
            throw invalid(event, e.getMessage(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does not fail
        }
    }

    private static ChatCompletionEvent readObject(JsonParser p, SseEvent event) throws IOException, Shape {
        String id = "";
        String object = "";
        long created = 0;
        String model = "";
        String fingerprint = null;
        String tier = null;
        List<ChunkChoice> choices = null;
        boolean sawChoices = false;
        CompletionUsage usage = null;
        boolean sawUsage = false;
        ChatCompletionErrorEvent error = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "id" -> id = stringOr(p, v, "", "id");
                case "object" -> object = stringOr(p, v, "", "object");
                case "created" -> created = longOr(p, v, 0, "created");
                case "model" -> model = stringOr(p, v, "", "model");
                case "system_fingerprint" -> fingerprint = stringOrNull(p, v, "system_fingerprint");
                case "service_tier" -> tier = stringOrNull(p, v, "service_tier");
                case "choices" -> {
                    sawChoices = true;
                    choices = v == JsonToken.VALUE_NULL ? List.of() : choices(p, v);
                }
                case "usage" -> {
                    sawUsage = true;
                    usage = v == JsonToken.VALUE_NULL ? null : usage(p, v);
                }
                case "error" -> error = error(p, v);
                default -> p.skipChildren();
            }
        }
        if (p.nextToken() != null) throw new Shape("trailing data after the JSON object");
        if (error != null) return error;
        if (!sawChoices && !sawUsage && !object.equals("chat.completion.chunk")) {
            return new UnknownChatCompletionEvent(event.type(), event.data());
        }
        return new ChatCompletionChunk(
                id, object, created, model, fingerprint, tier, choices == null ? List.of() : choices, usage);
    }

    private static List<ChunkChoice> choices(JsonParser p, JsonToken v) throws IOException, Shape {
        if (v != JsonToken.START_ARRAY) throw new Shape("choices is not an array");
        List<ChunkChoice> list = new ArrayList<>(1);
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) throw new Shape("a choice is not an object");
            int index = 0;
            Delta delta = Delta.EMPTY;
            String finish = null;
            Object logprobs = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken fv = p.nextToken();
                switch (name) {
                    case "index" -> index = index(p, fv, "choices[].index");
                    // a whole completion's (not streamed) message: read as one delta holding all of it
                    case "delta", "message" -> delta = fv == JsonToken.VALUE_NULL ? Delta.EMPTY : delta(p, fv);
                    case "finish_reason" -> {
                        finish = stringOrNull(p, fv, "choices[].finish_reason");
                        if (finish != null && finish.isBlank()) finish = null;
                    }
                    case "logprobs" -> logprobs = Json.readValue(p, fv);
                    default -> p.skipChildren();
                }
            }
            list.add(new ChunkChoice(index, delta, finish, logprobs));
        }
        return list;
    }

    private static Delta delta(JsonParser p, JsonToken v) throws IOException, Shape {
        if (v != JsonToken.START_OBJECT) throw new Shape("choices[].delta is not an object");
        String role = null;
        String content = null;
        String refusal = null;
        String reasoningContent = null;
        String reasoning = null;
        List<Object> details = List.of();
        List<ToolCallChunk> calls = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken fv = p.nextToken();
            switch (name) {
                case "role" -> role = stringOrNull(p, fv, "delta.role");
                case "content" -> content = stringOrNull(p, fv, "delta.content");
                case "refusal" -> refusal = stringOrNull(p, fv, "delta.refusal");
                case "tool_calls" -> calls = fv == JsonToken.VALUE_NULL ? List.of() : toolCalls(p, fv);
                case "reasoning_content" -> reasoningContent = stringOrNull(p, fv, "delta.reasoning_content");
                case "reasoning" -> reasoning = stringOrNull(p, fv, "delta.reasoning");
                case "reasoning_details" -> details = fv == JsonToken.VALUE_NULL ? List.of() : reasoningDetails(p, fv);
                default -> p.skipChildren(); // function_call (deprecated), audio, annotations, ...
            }
        }
        return new Delta(role, content, refusal, calls, reasoningContent, reasoning, details);
    }

    /** OpenRouter's typed reasoning entries, each kept whole in the value model (an entry of a type added later too). */
    private static List<Object> reasoningDetails(JsonParser p, JsonToken v) throws IOException, Shape {
        if (v != JsonToken.START_ARRAY) throw new Shape("delta.reasoning_details is not an array");
        List<Object> list = new ArrayList<>(1);
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) throw new Shape("a reasoning_details entry is not an object");
            list.add(Json.readValue(p, t));
        }
        return list;
    }

    private static List<ToolCallChunk> toolCalls(JsonParser p, JsonToken v) throws IOException, Shape {
        if (v != JsonToken.START_ARRAY) throw new Shape("delta.tool_calls is not an array");
        List<ToolCallChunk> list = new ArrayList<>(1);
        JsonToken t;
        int position = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) throw new Shape("a tool call is not an object");
            int index = position; // a server that omits the index: the position in the array
            String id = null;
            String type = null;
            String name = null;
            String arguments = "";
            boolean custom = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken fv = p.nextToken();
                switch (field) {
                    case "index" -> index = index(p, fv, "tool_calls[].index");
                    case "id" -> id = blankToNull(stringOrNull(p, fv, "tool_calls[].id"));
                    case "type" -> type = blankToNull(stringOrNull(p, fv, "tool_calls[].type"));
                    case "function" -> {
                        if (fv == JsonToken.VALUE_NULL) break;
                        if (fv != JsonToken.START_OBJECT) throw new Shape("tool_calls[].function is not an object");
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken ffv = p.nextToken();
                            switch (f) {
                                case "name" -> name = blankToNull(stringOrNull(p, ffv, "function.name"));
                                case "arguments" -> arguments = stringOr(p, ffv, "", "function.arguments");
                                default -> p.skipChildren();
                            }
                        }
                    }
                    case "custom" -> { // a custom tool's call: free-text input instead of JSON arguments
                        if (fv == JsonToken.VALUE_NULL) break;
                        if (fv != JsonToken.START_OBJECT) throw new Shape("tool_calls[].custom is not an object");
                        custom = true;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken ffv = p.nextToken();
                            switch (f) {
                                case "name" -> name = blankToNull(stringOrNull(p, ffv, "custom.name"));
                                case "input" -> arguments = stringOr(p, ffv, "", "custom.input");
                                default -> p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (custom && type == null) type = ToolCallChunk.CUSTOM;
            list.add(new ToolCallChunk(index, id, type, name, arguments));
            position++;
        }
        return list;
    }

    private static CompletionUsage usage(JsonParser p, JsonToken v) throws IOException, Shape {
        if (v != JsonToken.START_OBJECT) throw new Shape("usage is not an object");
        long prompt = 0, completion = 0, total = 0, cached = 0, reasoning = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken fv = p.nextToken();
            switch (name) {
                case "prompt_tokens" -> prompt = count(p, fv, "usage.prompt_tokens");
                case "completion_tokens" -> completion = count(p, fv, "usage.completion_tokens");
                case "total_tokens" -> total = count(p, fv, "usage.total_tokens");
                case "prompt_tokens_details", "completion_tokens_details" -> {
                    if (fv == JsonToken.VALUE_NULL) break;
                    if (fv != JsonToken.START_OBJECT) throw new Shape("usage." + name + " is not an object");
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String d = p.currentName();
                        JsonToken dv = p.nextToken();
                        if (name.startsWith("prompt") && d.equals("cached_tokens"))
                            cached = count(p, dv, "usage.cached_tokens");
                        else if (name.startsWith("completion") && d.equals("reasoning_tokens"))
                            reasoning = count(p, dv, "usage.reasoning_tokens");
                        else p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new CompletionUsage(prompt, completion, total, cached, reasoning);
    }

    private static @Nullable ChatCompletionErrorEvent error(JsonParser p, JsonToken v) throws IOException {
        Object value = Json.readValue(p, v);
        if (value == null) return null;
        if (value instanceof String s) return new ChatCompletionErrorEvent("unknown", s, null, null);
        if (!(value instanceof Map<?, ?> node))
            return new ChatCompletionErrorEvent("unknown", Json.write(value), null, null);
        String type = textOf(node, "type");
        Object c = node.get("code"); // a string, number or boolean, as its text
        String code = c instanceof String || c instanceof Number || c instanceof Boolean ? c.toString() : null;
        String message = textOf(node, "message");
        return new ChatCompletionErrorEvent(
                type != null ? type : code != null ? code : "unknown",
                message == null ? "" : message,
                code,
                textOf(node, "param"));
    }

    private static @Nullable String textOf(Map<?, ?> node, String field) {
        return node.get(field) instanceof String s && !s.isBlank() ? s : null;
    }

    // ------------------------------------------------------------------ scalars

    private static String stringOr(JsonParser p, JsonToken v, String absent, String what) throws IOException, Shape {
        String s = stringOrNull(p, v, what);
        return s == null ? absent : s;
    }

    private static @Nullable String stringOrNull(JsonParser p, JsonToken v, String what) throws IOException, Shape {
        if (v == JsonToken.VALUE_NULL) return null;
        if (v != JsonToken.VALUE_STRING) throw new Shape(what + " is not a string");
        return p.getText();
    }

    private static long longOr(JsonParser p, JsonToken v, long absent, String what) throws IOException, Shape {
        if (v == JsonToken.VALUE_NULL) return absent;
        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new Shape(what + " is not an integer");
        }
        return p.getLongValue();
    }

    private static long count(JsonParser p, JsonToken v, String what) throws IOException, Shape {
        long n = longOr(p, v, 0, what);
        if (n < 0) throw new Shape(what + " is negative");
        return n;
    }

    private static int index(JsonParser p, JsonToken v, String what) throws IOException, Shape {
        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() < 0) {
            throw new Shape(what + " is not a non-negative int");
        }
        return p.getIntValue();
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static ProtocolException invalid(SseEvent event, @Nullable String what, @Nullable Throwable cause) {
        return new ProtocolException(
                "OpenAI chat completion event '" + event.type() + "' of an unexpected shape: " + what + "; data: "
                        + Json.truncate(event.data(), SHOWN_DATA_CHARS),
                cause);
    }

    /** A known field with a JSON type the protocol does not allow. */
    private static final class Shape extends Exception {
        private static final long serialVersionUID = 1L;

        Shape(String message) {
            super(message, null, false, false);
        }
    }
}
