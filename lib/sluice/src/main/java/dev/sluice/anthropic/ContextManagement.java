package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What context management did to the conversation before the model answered
 * ({@code context_management}): the edits it applied, such as clearing old tool uses.
 *
 * @param appliedEdits each applied edit as a JSON object ({@code type}, e.g.
 *     {@code clear_tool_uses_20250919}, and its counts such as {@code cleared_input_tokens})
 * @param json every field, as it came
 */
public record ContextManagement(List<Map<String, Object>> appliedEdits, Map<String, Object> json) {
    /** @throws NullPointerException if an argument is null */
    public ContextManagement {
        List<Map<String, Object>> copy = new ArrayList<>(
                Objects.requireNonNull(appliedEdits, "appliedEdits").size());
        for (Map<String, Object> edit : appliedEdits) copy.add(JsonValues.copyObject(edit, "applied edit"));
        appliedEdits = List.copyOf(copy);
        json = JsonValues.copyObject(json, "context_management json");
    }

    /** {@return the record read from its JSON object; edits that are not objects are skipped} */
    @SuppressWarnings("unchecked")
    static ContextManagement of(Map<String, Object> json) {
        List<Map<String, Object>> edits = new ArrayList<>();
        if (json.get("applied_edits") instanceof List<?> list) {
            for (Object e : list) if (e instanceof Map<?, ?> m) edits.add((Map<String, Object>) m);
        }
        return new ContextManagement(edits, json);
    }
}
