package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.ApiException;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link ResponseFormat} and {@link ToolChoice} on a {@link ChatRequest}, and a fallback chain passing them on. */
class ResponseFormatTest {
    private static final Map<String, Object> SCHEMA = Map.of("type", "object", "properties", Map.of());

    @Test
    void responseFormat_nameOutsideTheProvidersAlphabet_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ResponseFormat("a recipe", SCHEMA, true));
        assertThrows(IllegalArgumentException.class, () -> new ResponseFormat("x".repeat(65), SCHEMA, true));
        assertEquals("Recipe_v-2", new ResponseFormat("Recipe_v-2", SCHEMA, true).name());
    }

    @Test
    void responseFormat_schema_isCopied() {
        Map<String, Object> schema = new HashMap<>(SCHEMA);
        ResponseFormat f = new ResponseFormat("r", schema, false);
        schema.put("title", "changed");
        assertEquals(SCHEMA, f.schema());
    }

    @Test
    void builder_formatAndChoice_areKeptByWithMessages() {
        ChatRequest r = ChatRequest.builder().model("m").addMessage(ChatMessage.user("hi"))
                .responseFormat(new ResponseFormat("r", SCHEMA, true)).toolChoice(ToolChoice.named("r")).build();
        ChatRequest copy = r.withMessages(List.of(ChatMessage.user("again")));
        assertEquals(new ResponseFormat("r", SCHEMA, true), copy.responseFormat());
        assertEquals(new ToolChoice.Named("r"), copy.toolChoice());
        ChatRequest old = new ChatRequest("m", "", List.of(ChatMessage.user("hi")), List.of(), null, null, List.of());
        assertNull(old.responseFormat());
        assertNull(old.toolChoice());
    }

    @Test
    void fallbackChain_nextTarget_getsTheFormatAndTheChoice() {
        List<ChatRequest> seen = new CopyOnWriteArrayList<>();
        ChatProvider failing = new ChatProvider() {
            @Override
            public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
                seen.add(request);
                throw new ApiException(529, "overloaded_error", "Overloaded", false, null);
            }
        };
        ChatProvider answering = new ChatProvider() {
            @Override
            public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
                seen.add(request);
                return EventStream.<MessageChunk>builder().controller(controller).generate(out -> out.emit(
                        MessageChunk.builder(new ChunkMetadata(request.model(), java.time.Instant.now(), java.time.Duration.ZERO))
                                .text("{}").finishReason(FinishReason.fromAnthropic("end_turn")).build()));
            }
        };
        FallbackChain chain = FallbackChain.builder().target("a", failing, "model-a").target("b", answering, "model-b").build();
        ChatRequest request = ChatRequest.builder().model("unused").addMessage(ChatMessage.user("hi"))
                .responseFormat(new ResponseFormat("r", SCHEMA, true)).toolChoice(ToolChoice.required()).build();
        assertEquals("{}", chain.chat(request).text());
        assertEquals(2, seen.size());
        assertEquals("model-b", seen.get(1).model());
        assertEquals(request.responseFormat(), seen.get(1).responseFormat());
        assertEquals(ToolChoice.required(), seen.get(1).toolChoice());
    }
}
