package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.agent.TurnCheckpoint;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Image;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolResult;
import dev.sluice.chat.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredCheckpointTest {
    private static final ChatMessage CALLED = new ChatMessage(
            ChatMessage.Role.ASSISTANT,
            "Let me look.",
            List.of(
                    ToolCall.of(0, "toolu_1", "migrate", "{\"to\":\"v2 \\\"é\\\"\"}"),
                    ToolCall.of(1, "toolu_2", "ls", "{}")),
            List.of(),
            new ProviderState("anthropic", "[{\"type\":\"thinking\",\"signature\":\"sig\"}]", List.of("primary")));

    private static TurnCheckpoint checkpoint(List<ChatMessage> messages, Integer maxTokens) {
        return new TurnCheckpoint(
                new ChatRequest(
                        "claude-x",
                        "be brief",
                        messages,
                        List.of(),
                        maxTokens,
                        null,
                        List.of(),
                        null,
                        null,
                        null,
                        null),
                2,
                new Usage(1200, 80, 300, 40));
    }

    @Test
    void encode_conversationWithCallsResultsAndState_decodesToTheSameCheckpoint() {
        List<ChatMessage> messages = List.of(
                ChatMessage.user("migrate\nthe db\u2028"),
                new ChatMessage(
                        ChatMessage.Role.ASSISTANT, "", List.of(ToolCall.of(0, "toolu_0", "ls", "{}")), List.of()),
                ChatMessage.toolResults(List.of(new ToolResult("toolu_0", "a b", true))),
                CALLED);
        TurnCheckpoint c = checkpoint(messages, 512);
        String json = StoredCheckpoint.encode(c, 1 << 20);
        assertNotNull(json);
        TurnCheckpoint back = StoredCheckpoint.decode(json);
        assertEquals(c, back);
        assertEquals(
                List.of("toolu_1", "toolu_2"),
                back.calls().stream().map(ToolCall::id).toList());
    }

    @Test
    void encode_longerThanItsBoundOrWithImages_isNotKept() {
        TurnCheckpoint c = checkpoint(List.of(ChatMessage.user("x".repeat(2000)), CALLED), null);
        assertNull(StoredCheckpoint.encode(c, 1000));
        assertNotNull(StoredCheckpoint.encode(c, 10_000));
        TurnCheckpoint withImage = checkpoint(
                List.of(ChatMessage.user("look", List.of(Image.url("https://example.com/a.png"))), CALLED), null);
        assertNull(StoredCheckpoint.encode(withImage, 1 << 20));
    }

    @Test
    void decode_keptWithoutUsage_byAnEarlierNode_readsAsNoneUsedSoFar() {
        String json = StoredCheckpoint.encode(checkpoint(List.of(ChatMessage.user("migrate"), CALLED), null), 1 << 20);
        assertNotNull(json);
        assertTrue(json.contains("\"usage\":{\"input\":1200,\"output\":80,\"cacheRead\":300,\"cacheWrite\":40}"), json);
        TurnCheckpoint back = StoredCheckpoint.decode(json.replaceFirst(",\"usage\":\\{[^}]*}", ""));
        assertNotNull(back);
        assertEquals(Usage.of(0, 0), back.usage());
        assertNull(StoredCheckpoint.decode(json.replace("\"input\":1200", "\"input\":\"1200\"")));
    }

    @Test
    void decode_notACheckpoint_isNull() {
        assertNull(StoredCheckpoint.decode(null));
        assertNull(StoredCheckpoint.decode("{\"tool\":\"migrate\",\"task\":\"t-1\"}"));
        assertNull(StoredCheckpoint.decode(
                "{\"turn\":1,\"model\":\"m\",\"system\":\"\",\"messages\":[{\"role\":\"user\"}]}"));
        assertNull(StoredCheckpoint.decode("not json"));
    }
}
