package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code fallback}: where, within one response, a model that declined (a server-side fallback of
 * the request's {@code fallbacks}) gives way to the next. It comes whole in its
 * {@code content_block_start} and has no deltas. The message's {@link Message#model()} becomes
 * {@link #toModel()}, as the official SDKs relabel it. Send it back verbatim and in place on the
 * next request: the API uses it to validate the thinking on either side.
 *
 * @param fromModel {@code from.model}: the model whose output ends here; empty if absent
 * @param toModel {@code to.model}: the model whose output follows; empty if absent
 * @param triggerType {@code trigger.type} (e.g. {@code refusal}), or null
 * @param triggerCategory {@code trigger.category} (e.g. {@code cyber}), or null
 * @param json every field of the block, {@code type} included, as it came
 */
public record FallbackBlock(
        String fromModel,
        String toModel,
        @Nullable String triggerType,
        @Nullable String triggerCategory,
        Map<String, Object> json)
        implements ContentBlock {
    /**
     * @throws NullPointerException if fromModel, toModel or json is null
     * @throws IllegalArgumentException if {@code json} is not a JSON object of the value model
     */
    public FallbackBlock {
        Objects.requireNonNull(fromModel, "fromModel");
        Objects.requireNonNull(toModel, "toModel");
        json = JsonValues.copyObject(json, "fallback block json");
    }

    /** {@return the block read from its JSON object; fields of the wrong shape read as absent} */
    static FallbackBlock of(Map<String, Object> json) {
        Map<?, ?> trigger = json.get("trigger") instanceof Map<?, ?> t ? t : Map.of();
        return new FallbackBlock(
                model(json.get("from")),
                model(json.get("to")),
                trigger.get("type") instanceof String s ? s : null,
                trigger.get("category") instanceof String s ? s : null,
                json);
    }

    private static String model(@Nullable Object info) {
        return info instanceof Map<?, ?> m && m.get("model") instanceof String s ? s : "";
    }

    @Override
    public String type() {
        return "fallback";
    }
}
