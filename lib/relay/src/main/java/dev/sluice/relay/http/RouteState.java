package dev.sluice.relay.http;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Whether a request to a route (a fallback chain whose targets all speak the door's API) passes
 * through rather than being translated: when its answer carries opaque state the client will send
 * back, or it already carries such state — on the Messages door thinking, whose blocks' signatures a
 * translation would drop ({@link #thinking}); on the Responses door encrypted reasoning
 * ({@code include} asks for {@code reasoning.encrypted_content}, or an input item carries
 * {@code encrypted_content}), which a translation drops too ({@link #encryptedReasoning}). Each door
 * applies its own ({@link Door#routePassesThrough}). The chain sends each target only the state it
 * issued. A translated answer can go on where it broke on the next target (a prefill); an answer
 * with thinking never can, and the Responses API takes no prefill, so passing it through loses nothing.
 */
final class RouteState {
    private RouteState() {}

    /**
     * {@return whether a Messages request asks for, or carries, the state of a model's thinking}
     *
     * @param body the request's JSON
     */
    static boolean thinking(Map<?, ?> body) {
        return (body.get("thinking") instanceof Map<?, ?> t && !"disabled".equals(t.get("type")))
                || holds(body.get("messages"), "thinking", "redacted_thinking");
    }

    /**
     * {@return whether a Responses request asks for, or carries, encrypted reasoning}
     *
     * @param body the request's JSON
     */
    static boolean encryptedReasoning(Map<?, ?> body) {
        return (body.get("include") instanceof List<?> include && include.contains("reasoning.encrypted_content"))
                || encrypted(body.get("input"));
    }

    /** {@return whether a list of Responses input items holds one with {@code encrypted_content}} */
    private static boolean encrypted(@Nullable Object input) {
        if (!(input instanceof List<?> items)) return false;
        for (Object item : items) {
            if (item instanceof Map<?, ?> m && m.get("encrypted_content") instanceof String) return true;
        }
        return false;
    }

    /** {@return whether a list of messages holds an item or content block of either type} */
    private static boolean holds(@Nullable Object list, String type, String other) {
        if (!(list instanceof List<?> items)) return false;
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> m)) continue;
            if (type.equals(m.get("type")) || other.equals(m.get("type"))) return true;
            if (m.get("content") instanceof List<?> blocks)
                for (Object block : blocks)
                    if (block instanceof Map<?, ?> b && (type.equals(b.get("type")) || other.equals(b.get("type"))))
                        return true;
        }
        return false;
    }
}
