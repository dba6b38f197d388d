package dev.sluice.relay.http;

import static dev.sluice.relay.http.HttpAnswers.json;

import java.io.IOException;

/** Whose shape a refusal takes: the relay's own, OpenAI's or Anthropic's (by the front door asked). */
enum ErrorShape {
    RELAY,
    OPENAI,
    ANTHROPIC;

    static ErrorShape of(HttpExchange exchange) {
        String path = exchange.path();
        if (!path.startsWith("/v1/")) return RELAY;
        // Anthropic's clients, and GET /v1/models asked as Anthropic's clients ask it
        if (path.equals("/v1/messages")
                || path.startsWith("/v1/messages/")
                || (path.equals("/v1/models") && exchange.header("anthropic-version") != null)) return ANTHROPIC;
        return OPENAI;
    }

    /** Answers the refusal in this shape, with the headers it carries. */
    void error(HttpExchange exchange, HttpRefusal refusal) throws IOException {
        refusal.headers().forEach(exchange::header);
        json(
                exchange,
                refusal.status(),
                switch (this) {
                    case RELAY -> refusal.json();
                    case OPENAI -> refusal.openAiJson();
                    case ANTHROPIC -> refusal.anthropicJson();
                });
    }
}
