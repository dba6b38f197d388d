package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Token usage, keeping every field exactly as the API sent it — besides the counts below, for
 * example {@code server_tool_use}, {@code fallback_credit}, {@code inference_geo} or the
 * {@code cache_creation} breakdown — with typed accessors for the common counts, {@code speed},
 * {@code service_tier}, {@code output_tokens_details.thinking_tokens} and {@code iterations}.
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
    public @Nullable Long inputTokens() {
        return count("input_tokens");
    }

    /** {@return {@code output_tokens}, or null when absent} */
    public @Nullable Long outputTokens() {
        return count("output_tokens");
    }

    /** {@return {@code cache_creation_input_tokens}, or null when absent} */
    public @Nullable Long cacheCreationInputTokens() {
        return count("cache_creation_input_tokens");
    }

    /** {@return {@code cache_read_input_tokens}, or null when absent} */
    public @Nullable Long cacheReadInputTokens() {
        return count("cache_read_input_tokens");
    }

    /** {@return {@code speed} ({@code standard} or {@code fast}), or null when absent} */
    public @Nullable String speed() {
        return fields.get("speed") instanceof String s ? s : null;
    }

    /** {@return {@code service_tier}, or null when absent} */
    public @Nullable String serviceTier() {
        return fields.get("service_tier") instanceof String s ? s : null;
    }

    /**
     * {@return {@code output_tokens_details.thinking_tokens}: how many of the output tokens were
     * reasoning (raw, before any summarizing), or null when absent}
     */
    public @Nullable Long thinkingTokens() {
        return fields.get("output_tokens_details") instanceof Map<?, ?> d
                        && d.get("thinking_tokens") instanceof Number n
                ? n.longValue()
                : null;
    }

    /**
     * {@return {@code iterations}: the per-iteration breakdown, one per sampling, compaction,
     * advisor or fallback-model iteration, in order; empty when absent}
     */
    public List<Iteration> iterations() {
        if (!(fields.get("iterations") instanceof List<?> list)) return List.of();
        List<Iteration> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (o instanceof Map<?, ?> m) out.add(Iteration.of(m));
        }
        return List.copyOf(out);
    }

    /**
     * One entry of {@code usage.iterations}.
     *
     * @param type {@code message}, {@code compaction}, {@code advisor_message}, {@code fallback_message}
     *     or a type this version does not know; empty if absent
     * @param model the model of the iteration, or null (a compaction iteration names none)
     * @param inputTokens {@code input_tokens} (0 when absent)
     * @param outputTokens {@code output_tokens} (0 when absent)
     * @param cacheCreationInputTokens {@code cache_creation_input_tokens} (0 when absent)
     * @param cacheReadInputTokens {@code cache_read_input_tokens} (0 when absent)
     */
    public record Iteration(
            String type,
            @Nullable String model,
            long inputTokens,
            long outputTokens,
            long cacheCreationInputTokens,
            long cacheReadInputTokens) {
        /** @throws NullPointerException if type is null */
        public Iteration {
            Objects.requireNonNull(type, "type");
        }

        static Iteration of(Map<?, ?> m) {
            return new Iteration(
                    m.get("type") instanceof String t ? t : "",
                    m.get("model") instanceof String s ? s : null,
                    n(m.get("input_tokens")),
                    n(m.get("output_tokens")),
                    n(m.get("cache_creation_input_tokens")),
                    n(m.get("cache_read_input_tokens")));
        }

        private static long n(@Nullable Object o) {
            return o instanceof Number n ? n.longValue() : 0;
        }
    }

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

    private @Nullable Long count(String name) {
        return fields.get(name) instanceof Number n ? n.longValue() : null;
    }
}
