package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.Map;
import java.util.Objects;

/**
 * A tool the API runs, passed through as its JSON object, for example
 * {@code Map.of("type", "web_search_20250305", "name", "web_search", "max_uses", 5)}.
 *
 * @param json the tool's JSON object, with string {@code type} and {@code name}
 */
public record ServerTool(Map<String, Object> json) implements ToolParam {
    /**
     * @throws NullPointerException if {@code json} is null
     * @throws IllegalArgumentException if it lacks a string {@code type} or {@code name}, or is not of
     *     the JSON value model
     */
    public ServerTool {
        json = JsonValues.copyObject(json, "json");
        if (!(json.get("type") instanceof String) || !(json.get("name") instanceof String)) {
            throw new IllegalArgumentException("a server tool needs string 'type' and 'name' fields: " + json.keySet());
        }
    }

    /** {@return a server tool from its JSON object} */
    public static ServerTool of(Map<String, ?> json) {
        return new ServerTool(JsonValues.copyObject(json, "json"));
    }

    @Override
    public String name() {
        return (String) Objects.requireNonNull(json.get("name"), "checked by the constructor");
    }
}
