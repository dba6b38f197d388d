package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.Map;
import java.util.Objects;

/**
 * The code-execution container a message ran in ({@code container} of a message or of a
 * {@code message_delta}'s {@code delta}): pass its id back ({@link MessageRequest.Builder#container(String)} in the next
 * request) to reuse it until it expires.
 *
 * @param id the container's id
 * @param expiresAt when it expires, as the API wrote it (RFC 3339); empty if not sent
 * @param json every field, as it came ({@code skills} included)
 */
public record Container(String id, String expiresAt, Map<String, Object> json) {
    /** @throws NullPointerException if an argument is null */
    public Container {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(expiresAt, "expiresAt");
        json = JsonValues.copyObject(json, "container json");
    }

    /** {@return the container read from its JSON object; fields of the wrong type read as empty} */
    static Container of(Map<String, Object> json) {
        return new Container(
                json.get("id") instanceof String s ? s : "", json.get("expires_at") instanceof String s ? s : "", json);
    }
}
