package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ToolRunner;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChunkMetadata;
import dev.sluice.chat.FallbackChain;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.ToolCallDelta;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The state rule in the relay: a tool run's provider state (thinking signatures) goes back to the
 * model on the server, turn after turn, and never into what a page receives.
 */
class RelayProviderStateTest {
    private static final String SECRET = "SIG-opaque-7f3a";
    private static final ChunkMetadata META = new ChunkMetadata("m", Instant.EPOCH, Duration.ZERO);

    /** Turn 1: thinking, a tool call and the state; later turns: an answer. Records each request. */
    private static final class TwoTurns implements ChatProvider {
        final List<ChatRequest> requests = new CopyOnWriteArrayList<>();

        @Override
        public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
            requests.add(request);
            boolean first = requests.size() == 1;
            return EventStream.<MessageChunk>builder().controller(controller).generate(out -> {
                if (first) {
                    out.emit(MessageChunk.builder(META)
                            .thinking("Let me look it up.")
                            .build());
                    out.emit(MessageChunk.builder(META)
                            .toolCall(new ToolCallDelta(0, "c1", "get_weather", "{\"city\":\"Paris\"}"))
                            .build());
                    out.emit(MessageChunk.builder(META)
                            .providerState(new ProviderState(
                                    "anthropic",
                                    "[{\"type\":\"thinking\",\"thinking\":\"Let me look it up.\",\"signature\":\""
                                            + SECRET + "\"}]"))
                            .finishReason(new FinishReason(FinishReason.Kind.TOOL_CALLS, "tool_use"))
                            .build());
                } else {
                    out.emit(MessageChunk.builder(META).text("18 degrees.").build());
                    out.emit(MessageChunk.builder(META)
                            .finishReason(new FinishReason(FinishReason.Kind.STOP, "end_turn"))
                            .build());
                }
            });
        }
    }

    @Test
    void toolRun_stateOfATurn_backToTheModelOnTheServer_neverInTheEventsOrTheBytesAPageGets() throws Exception {
        TwoTurns model = new TwoTurns();
        FallbackChain chain =
                FallbackChain.builder().target("primary", model, "m").build();
        AgentTool weather = AgentTool.of(
                "get_weather",
                "Weather in a city",
                Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))),
                (arguments, context) -> "{\"celsius\":18}");
        ToolRunner runner = ToolRunner.builder(chain).tool(weather).build();
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("Weather in Paris?"))
                .build();

        List<RelayEvent> events = new ArrayList<>();
        try (MappedRelaySource<?> source = MappedRelaySource.toolRun("anthropic", "m", runner.run(request), null)) {
            for (Optional<RelayEvent> e; (e = source.next()).isPresent(); ) events.add(e.get());
        }

        ProviderState back = model.requests.get(1).messages().get(1).providerState();
        assertTrue(back.data().contains(SECRET), "the next turn gets the state back verbatim");
        assertTrue(events.stream().anyMatch(e -> e instanceof RelayEvent.Thinking), events.toString());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SseRelayWriter page = new SseRelayWriter(bytes);
        long id = 0;
        for (RelayEvent e : events) {
            assertFalse(e.data().contains(SECRET) || e.toString().contains(SECRET), e.type());
            page.send(++id, e);
        }
        page.flush();
        String sent = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(sent.contains("18 degrees."), sent);
        assertFalse(sent.contains(SECRET), sent);
        assertFalse(sent.contains("signature"), sent);
        assertEquals("done", events.getLast().type());
    }
}
