package dev.sluice.relay.http;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Whether a request to a route (a fallback chain whose targets all speak the door's API) passes
 * through rather than being translated, on the Messages door ({@link MessagesDoor#routePassesThrough}): when its answer carries opaque state the client will send
 * back — thinking, whose blocks' signatures a translation would drop — or it already carries such
 * state. A translated answer can go on where it broke on the next target (a prefill); an answer
 * with thinking never can, so passing it through loses nothing.
 */
final class RouteState {
    private RouteState() {}

    /**
     * {@return whether a Messages request asks for, or carries, the state of a model's thinking}
     * The chain knows Anthropic's signatures only: the Responses API's encrypted reasoning is
     * translated, so the other doors have no such rule.
     *
     * @param body the request's JSON
     */
    static boolean carried(Map<?, ?> body) {
        return (body.get("thinking") instanceof Map<?, ?> t && !"disabled".equals(t.get("type")))
                || holds(body.get("messages"), "thinking", "redacted_thinking");
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
