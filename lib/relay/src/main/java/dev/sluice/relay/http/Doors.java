package dev.sluice.relay.http;

import java.util.List;

/** The gateway's front doors ({@link Door}), one of each; a new door is listed in {@link #ALL}. */
final class Doors {
    /** OpenAI Chat Completions, {@code POST /v1/chat/completions}. */
    static final Door CHAT_COMPLETIONS = new ChatCompletionsDoor();
    /** Anthropic Messages, {@code POST /v1/messages}. */
    static final Door MESSAGES = new MessagesDoor();
    /** OpenAI Responses, {@code POST /v1/responses}, and its WebSocket mode. */
    static final Door RESPONSES = new ResponsesDoor();

    /** Every door, as the route table takes them. */
    static final List<Door> ALL = List.of(CHAT_COMPLETIONS, MESSAGES, RESPONSES);

    private Doors() {}
}
