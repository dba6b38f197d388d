package dev.sluice.relay;

import dev.sluice.chat.FinishReason;
import dev.sluice.relay.internal.Json;
import dev.sluice.sse.SseEvent;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The usage and the end an upstream's own events report, observed on the way through a passthrough
 * ({@link RelaySource#verbatim}): only the events that carry it are read — Anthropic's
 * {@code message_start} ({@code message.usage}) and {@code message_delta} ({@code usage}), the
 * Responses API's {@code response.completed} and {@code response.incomplete}
 * ({@code response.usage}), a Chat Completions chunk whose text has a {@code "usage"} object (the
 * usage chunk; the others have {@code "usage": null}, or none, and are not read), and a whole answer's
 * ({@link RelayEvent.Verbatim#ANSWER}: its {@code usage}, which Anthropic's message, the Responses API's
 * response and a {@code chat.completion} all carry); every other event passes unread. Counts are
 * {@code input_tokens} and {@code output_tokens}, or Chat Completions' {@code prompt_tokens} and
 * {@code completion_tokens}.
 *
 * <p>The end goes to the {@code done} event's finish reason (the access log's {@code end=done:…}),
 * in the chat layer's words: Anthropic's {@code stop_reason} ({@code message_delta}, a whole
 * message) as {@link FinishReason#fromAnthropic} maps it, a Chat Completions {@code finish_reason}
 * as it is (read from a chunk only when it is a string), the Responses API's
 * {@code response.completed} as {@code stop} ({@code tool_calls} when it calls a tool),
 * {@code response.incomplete} as {@code length} or {@code content_filter}, and
 * {@code response.failed} as {@code failed}.
 */
final class VerbatimUsage {
    private static final Set<String> TOOL_CALLS =
            Set.of("function_call", "custom_tool_call"); // Responses' output items

    private VerbatimUsage() {}

    static void observe(SseEvent event, ChunkEvents chunks) {
        Object usage = switch (event.type()) {
            case "message_start" -> member(member(Json.object(event.data()), "message"), "usage");
            case "message_delta" -> {
                Object delta = Json.object(event.data());
                if (member(member(delta, "delta"), "stop_reason") instanceof String stop)
                    chunks.finishReasonIfNone(anthropic(stop));
                yield member(delta, "usage");
            }
            case "response.completed", "response.incomplete", "response.failed" -> {
                Object response = member(Json.object(event.data()), "response");
                String end = responsesEnd(response);
                if (end != null) chunks.finishReasonIfNone(end);
                yield member(response, "usage");
            }
            case RelayEvent.Verbatim.ANSWER -> {
                Object answer = Json.object(event.data());
                String end = answerEnd(answer);
                if (end != null) chunks.finishReasonIfNone(end);
                yield member(answer, "usage");
            }
            case SseEvent.DEFAULT_TYPE -> {
                if (finishes(event.data())
                        && member(Json.object(event.data()), "choices") instanceof List<?> choices
                        && !choices.isEmpty()
                        && member(choices.getFirst(), "finish_reason") instanceof String finish)
                    chunks.finishReasonIfNone(finish);
                yield hasUsage(event.data()) ? member(Json.object(event.data()), "usage") : null;
            }
            default -> null;
        };
        if (usage instanceof Map<?, ?> u)
            chunks.observed(
                    Math.max(count(u, "input_tokens"), count(u, "prompt_tokens")),
                    Math.max(count(u, "output_tokens"), count(u, "completion_tokens")));
    }

    /** {@return the chat layer's name of an Anthropic {@code stop_reason}: its kind, else the reason itself} */
    private static String anthropic(String stopReason) {
        if (stopReason.isBlank()) return "other";
        FinishReason f = FinishReason.fromAnthropic(stopReason);
        return f.kind() == FinishReason.Kind.OTHER
                ? stopReason
                : f.kind().name().toLowerCase(Locale.ROOT);
    }

    /** {@return how a Responses API {@code response} object ended, by its {@code status}; null while it runs} */
    private static @Nullable String responsesEnd(@Nullable Object response) {
        if (!(member(response, "status") instanceof String status)) return null;
        return switch (status) {
            case "completed" -> {
                if (member(response, "output") instanceof List<?> output)
                    for (Object item : output) if (TOOL_CALLS.contains(member(item, "type"))) yield "tool_calls";
                yield "stop";
            }
            case "incomplete" ->
                "content_filter".equals(member(member(response, "incomplete_details"), "reason"))
                        ? "content_filter"
                        : "length";
            case "failed" -> "failed";
            case "cancelled" -> "cancelled";
            default -> null;
        };
    }

    /** {@return how a whole answer ended: an Anthropic message's, a {@code chat.completion}'s or a Responses response's} */
    private static @Nullable String answerEnd(@Nullable Object answer) {
        if (member(answer, "stop_reason") instanceof String stop) return anthropic(stop);
        if (member(answer, "choices") instanceof List<?> choices
                && !choices.isEmpty()
                && member(choices.getFirst(), "finish_reason") instanceof String finish) return finish;
        return responsesEnd(answer);
    }

    /**
     * {@return whether a Chat Completions chunk's {@code finish_reason} is a string (its last chunk)}
     * Not parsed: a chunk's {@code "finish_reason": null} is the rule.
     */
    private static boolean finishes(String data) {
        int at = data.indexOf("\"finish_reason\"");
        if (at < 0) return false;
        int i = at + "\"finish_reason\"".length();
        while (i < data.length() && (data.charAt(i) == ' ' || data.charAt(i) == ':' || data.charAt(i) == '\t')) i++;
        return i < data.length() && data.charAt(i) == '"';
    }

    /** {@return whether a Chat Completions chunk's top-level {@code usage} is an object} Not parsed. */
    private static boolean hasUsage(String data) {
        return Json.holdsObject(data, "usage");
    }

    private static @Nullable Object member(@Nullable Object object, String name) {
        return object instanceof Map<?, ?> m ? m.get(name) : null;
    }

    private static long count(Map<?, ?> usage, String name) {
        return usage.get(name) instanceof Long n && n >= 0 ? n : 0;
    }
}
