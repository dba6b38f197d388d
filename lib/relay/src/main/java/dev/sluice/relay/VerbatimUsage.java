package dev.sluice.relay;

import dev.sluice.internal.low.json.text.JsonText;
import dev.sluice.relay.internal.Json;
import dev.sluice.sse.SseEvent;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The usage an upstream's own events report, observed on the way through a passthrough
 * ({@link RelaySource#verbatim}): only the events that carry it are read — Anthropic's
 * {@code message_start} ({@code message.usage}) and {@code message_delta} ({@code usage}), the
 * Responses API's {@code response.completed} and {@code response.incomplete}
 * ({@code response.usage}), a Chat Completions chunk whose text has a {@code "usage"} object (the
 * usage chunk; the others have {@code "usage": null}, or none, and are not read), and a whole answer's
 * ({@link RelayEvent.Verbatim#ANSWER}: its {@code usage}, which Anthropic's message, the Responses API's
 * response and a {@code chat.completion} all carry); every other event passes unread. Counts are
 * {@code input_tokens} and {@code output_tokens}, or Chat Completions' {@code prompt_tokens} and
 * {@code completion_tokens}.
 */
final class VerbatimUsage {
    private VerbatimUsage() {}

    static void observe(SseEvent event, ChunkEvents chunks) {
        Object usage = switch (event.type()) {
            case "message_start" -> member(member(Json.object(event.data()), "message"), "usage");
            case "message_delta" -> member(Json.object(event.data()), "usage");
            case "response.completed", "response.incomplete" ->
                member(member(Json.object(event.data()), "response"), "usage");
            case RelayEvent.Verbatim.ANSWER -> member(Json.object(event.data()), "usage");
            case SseEvent.DEFAULT_TYPE -> hasUsage(event.data()) ? member(Json.object(event.data()), "usage") : null;
            default -> null;
        };
        if (usage instanceof Map<?, ?> u)
            chunks.observed(
                    Math.max(count(u, "input_tokens"), count(u, "prompt_tokens")),
                    Math.max(count(u, "output_tokens"), count(u, "completion_tokens")));
    }

    /** {@return whether a Chat Completions chunk's top-level {@code usage} is an object} Not parsed. */
    private static boolean hasUsage(String data) {
        String usage = JsonText.member(data, "usage");
        return usage != null && usage.startsWith("{");
    }

    private static @Nullable Object member(@Nullable Object object, String name) {
        return object instanceof Map<?, ?> m ? m.get(name) : null;
    }

    private static long count(Map<?, ?> usage, String name) {
        return usage.get(name) instanceof Long n && n >= 0 ? n : 0;
    }
}
