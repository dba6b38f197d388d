package dev.sluice.relay.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.RelayException;
import dev.sluice.relay.StartRequest;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Fuzzes the relay's request parsers, which read what browsers and API clients send: the first
 * byte chooses {@link StartRequest#parse} ({@code POST /api/streams}, a WebSocket start frame),
 * {@link UiChatRequest#parse} (the AI SDK's chat transport), {@link AgUiRunInput#parse} (AG-UI) or
 * {@link GatewayRequest#parse} (the OpenAI-compatible gateway), {@link GatewayRequest#parseMessages} and
 * {@link GatewayRequest#parseResponses} (the Messages and Responses front doors); the rest is the body, as UTF-8 (the
 * servers refuse other bodies before parsing). For any body: the only exception is a
 * {@link RelayException} of kind {@code INVALID_REQUEST} whose message a client can read (not
 * blank, at most {@value #MAX_MESSAGE} characters: a body's content is shown shortened, never
 * whole); a request parsed turns into a provider's request without failing. The committed inputs in
 * {@code RelayRequestFuzzTestInputs/parse} replay in every build.
 */
class RelayRequestFuzzTest {
    static final int MAX_MESSAGE = 1000;

    @DictionaryEntries({
        "\"prompt\":",
        "\"messages\":",
        "\"role\":",
        "\"content\":",
        "\"user\"",
        "\"assistant\"",
        "\"system\"",
        "\"tool\"",
        "\"developer\"",
        "\"maxTokens\":",
        "\"provider\":",
        "\"model\":",
        "\"parts\":",
        "\"type\":",
        "\"text\"",
        "\"id\":",
        "\"threadId\":",
        "\"runId\":",
        "\"tools\":",
        "\"toolCalls\":",
        "\"toolCallId\":",
        "\"tool_calls\":",
        "\"tool_call_id\":",
        "\"function\":",
        "\"name\":",
        "\"arguments\":",
        "\"parameters\":",
        "\"forwardedProps\":",
        "\"context\":",
        "\"value\":",
        "\"description\":",
        "\"max_tokens\":",
        "\"max_completion_tokens\":",
        "\"temperature\":",
        "\"stop\":",
        "\"stream\":",
        "\"tool_choice\":",
        "\"response_format\":",
        "\"json_schema\"",
        "\"json_object\"",
        "\"schema\":",
        "\"strict\":",
        "\"n\":",
        "\"error\":",
        "\"trigger\":",
        "\"tool_use\"",
        "\"tool_result\"",
        "\"input_schema\":",
        "\"output_config\":",
        "\"thinking\":",
        "\"function_call\"",
        "\"function_call_output\"",
        "\"instructions\":",
        "\"input\":"
    })
    @FuzzTest
    void parse(byte[] input) {
        if (input.length == 0) return;
        String body = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        try {
            @Nullable
            StartRequest start = switch (input[0] & 7) {
                case 0 -> StartRequest.parse(body);
                case 1 -> started(UiChatRequest.parse(body).turn());
                case 2 -> {
                    AgUiRunInput run = AgUiRunInput.parse(body);
                    StartRequest s = started(run.turn());
                    if (s != null) run.toChatRequest(resolved(s));
                    yield s;
                }
                case 4, 5 -> { // the Messages and Responses front doors' translation
                    GatewayRequest g = (input[0] & 7) == 4
                            ? GatewayRequest.parseMessages(body)
                            : GatewayRequest.parseResponses(body);
                    StartRequest s = g.toStartRequest("fuzz", "model");
                    g.toChatRequest(resolved(s));
                    yield s;
                }
                default -> {
                    GatewayRequest g = GatewayRequest.parse(body);
                    StartRequest s = g.toStartRequest("fuzz", "model");
                    g.toChatRequest(resolved(s));
                    yield s;
                }
            };
            if (start == null) return; // a turn that decides the running stream's calls: it starts nothing
            resolved(start).toChatRequest();
            assertTrue(start.chars() >= 0);
        } catch (RelayException e) {
            assertEquals(RelayException.Kind.INVALID_REQUEST, e.kind(), e::getMessage);
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a refusal without a message");
            assertTrue(
                    e.getMessage().length() <= MAX_MESSAGE,
                    () -> "a refusal's message of " + e.getMessage().length() + " characters: "
                            + e.getMessage().substring(0, 200));
        }
    }

    /** {@return what a turn streams, or null for a turn that decides (it starts nothing)} */
    private static @Nullable StartRequest started(TurnInput turn) {
        return turn instanceof TurnInput.Start s ? s.request() : null;
    }

    private static StartRequest.Resolved resolved(StartRequest s) {
        return s.resolved(s.provider() == null ? "fuzz" : s.provider(), s.model() == null ? "model" : s.model());
    }
}
