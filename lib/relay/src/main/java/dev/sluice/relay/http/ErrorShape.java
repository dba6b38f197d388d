package dev.sluice.relay.http;

import static dev.sluice.relay.http.HttpAnswers.json;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Whose shape a refusal takes: the relay's own, or a gateway door's ({@link Door#errorJson}), by the
 * path asked.
 *
 * @param door the door whose error body it is; null for the relay's own
 */
record ErrorShape(@Nullable Door door) {
    /** The relay's own shape, {@code {"error":{"type","message"}}} ({@link HttpRefusal#json}). */
    static final ErrorShape RELAY = new ErrorShape(null);

    /**
     * {@return the shape of a refusal of this request} Outside {@code /v1/}, the relay's; at a door's
     * path or under it, the door's; {@code GET /v1/models} asked as Anthropic's clients ask it (with
     * {@code anthropic-version}), the Messages door's; elsewhere under {@code /v1/}, OpenAI's (the
     * Chat Completions door's).
     */
    static ErrorShape of(HttpExchange exchange) {
        String path = exchange.path();
        if (!path.startsWith("/v1/")) return RELAY;
        for (Door door : Doors.ALL)
            if (path.equals(door.path()) || path.startsWith(door.path() + "/")) return new ErrorShape(door);
        if (path.equals("/v1/models") && exchange.header("anthropic-version") != null)
            return new ErrorShape(Doors.MESSAGES);
        return new ErrorShape(Doors.CHAT_COMPLETIONS);
    }

    /** {@return whether it is a gateway door's shape (a path under {@code /v1/})} */
    boolean gateway() {
        return door != null;
    }

    /** Answers the refusal in this shape, with the headers it carries. */
    void error(HttpExchange exchange, HttpRefusal refusal) throws IOException {
        refusal.headers().forEach(exchange::header);
        json(exchange, refusal.status(), door == null ? refusal.json() : door.errorJson(refusal));
    }
}
