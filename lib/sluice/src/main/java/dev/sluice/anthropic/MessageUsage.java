package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Token usage, keeping every field exactly as the API sent it — besides the counts below, for
 * example {@code server_tool_use}, {@code service_tier} or the {@code cache_creation} breakdown —
 * with typed accessors for the common counts.
 *
 * @param fields every usage field in arrival order; read others with {@code fields().get(name)}
 */
public record MessageUsage(Map<String, Object> fields) {
    private static final MessageUsage EMPTY = new MessageUsage(Map.of());

    /**
     * @throws NullPointerException if {@code fields} is null
     * @throws IllegalArgumentException if {@code fields} is not a JSON object of the value model
     */
    public MessageUsage {
        fields = JsonValues.copyObject(fields, "usage fields");
    }

    /** {@return usage without any field} */
    public static MessageUsage empty() {
        return EMPTY;
    }

    /** {@return usage with only the input and output token counts} */
    public static MessageUsage of(long inputTokens, long outputTokens) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input_tokens", inputTokens);
        m.put("output_tokens", outputTokens);
        return new MessageUsage(m);
    }

    /** {@return {@code input_tokens}, or null when absent} */
    public Long inputTokens() { return count("input_tokens"); }

    /** {@return {@code output_tokens}, or null when absent} */
    public Long outputTokens() { return count("output_tokens"); }

    /** {@return {@code cache_creation_input_tokens}, or null when absent} */
    public Long cacheCreationInputTokens() { return count("cache_creation_input_tokens"); }

    /** {@return {@code cache_read_input_tokens}, or null when absent} */
    public Long cacheReadInputTokens() { return count("cache_read_input_tokens"); }

    /**
     * {@return this usage updated by a {@code message_delta}'s usage: each field of {@code update}
     * with a value replaces this one's (the API sends cumulative values); others are kept, and so is
     * a field whose update is JSON null (the API declares them nullable, and every official SDK
     * keeps the {@code message_start} value then)}
     */
    public MessageUsage withUpdates(MessageUsage update) {
        Objects.requireNonNull(update, "update");
        if (update.fields.isEmpty()) return this;
        Map<String, Object> m = new LinkedHashMap<>(fields);
        for (Map.Entry<String, Object> e : update.fields.entrySet()) {
            if (e.getValue() != null) m.put(e.getKey(), e.getValue());
            else m.putIfAbsent(e.getKey(), null);
        }
        return new MessageUsage(m);
    }

    private Long count(String name) {
        return fields.get(name) instanceof Number n ? n.longValue() : null;
    }
}
