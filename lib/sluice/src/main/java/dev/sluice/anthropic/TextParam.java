package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A text block of a request.
 *
 * @param text the text
 * @param citations citations to send with it (as received in an earlier {@link TextBlock}); empty for none
 * @param cacheControl the {@code cache_control} object, such as {@code {"type": "ephemeral"}}, or null
 */
public record TextParam(
        String text, List<Citation> citations, @Nullable Map<String, Object> cacheControl)
        implements ContentBlockParam {
    /**
     * @throws NullPointerException if {@code text} or {@code citations} is null
     * @throws IllegalArgumentException if {@code cacheControl} is not a JSON object of the value model
     */
    public TextParam {
        Objects.requireNonNull(text, "text");
        citations = List.copyOf(citations);
        cacheControl = cacheControl == null ? null : JsonValues.copyObject(cacheControl, "cacheControl");
    }

    /** {@return a text block without citations or cache control} */
    public static TextParam of(String text) {
        return new TextParam(text, List.of(), null);
    }

    /** {@return this block with the given {@code cache_control} object} */
    public TextParam withCacheControl(Map<String, ?> cacheControl) {
        return new TextParam(text, citations, JsonValues.copyObject(cacheControl, "cacheControl"));
    }

    /** {@return this block with the given citations} */
    public TextParam withCitations(List<Citation> citations) {
        return new TextParam(text, citations, cacheControl);
    }

    @Override
    public String type() {
        return "text";
    }
}
