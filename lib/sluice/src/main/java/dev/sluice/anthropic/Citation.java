package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One citation of a text block, kept whole so that it is written back exactly as it came. The
 * fields depend on the type: {@code char_location}, {@code page_location},
 * {@code content_block_location}, {@code web_search_result_location},
 * {@code search_result_location}… — read them from {@link #json()}, for example
 * {@code json().get("cited_text")}.
 *
 * @param type the citation's {@code type}
 * @param json every field of the citation, {@code type} included, in arrival order
 */
public record Citation(String type, Map<String, Object> json) {
    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code json} is not a JSON object of the value model, or
     *     its {@code type} differs from {@code type}
     */
    public Citation {
        Objects.requireNonNull(type, "type");
        json = JsonValues.copyObject(json, "citation json");
        if (json.containsKey("type") && !type.equals(json.get("type"))) {
            throw new IllegalArgumentException(
                    "citation type '" + type + "' differs from its json's type: " + json.get("type"));
        }
    }

    /**
     * {@return a citation from its JSON object, typed by its {@code type} field}
     *
     * @throws IllegalArgumentException if the object has no string {@code type}
     */
    public static Citation of(Map<String, ?> json) {
        Objects.requireNonNull(json, "json");
        if (!(json.get("type") instanceof String t)) {
            throw new IllegalArgumentException("a citation needs a string 'type' field: " + json.keySet());
        }
        return new Citation(t, JsonValues.copyObject(json, "citation json"));
    }

    /** {@return the cited text, when the citation has one} */
    public @Nullable String citedText() {
        return json.get("cited_text") instanceof String s ? s : null;
    }
}
