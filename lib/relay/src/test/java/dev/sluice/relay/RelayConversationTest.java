package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.PartialJson;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A conversation ({@code messages}) through the relay on every provider: the upstream request
 * carries the whole history in the provider's own shape, the model answers the last message with
 * the history in mind, and {@code done} carries the answer's text.
 */
class RelayConversationTest {
    private static final String CONVERSATION = """
            {"system": "be brief", "messages": [
              {"role": "user", "content": "Hello, my name is Ada."},
              {"role": "assistant", "content": "Nice to meet you, Ada."},
              {"role": "user", "content": "What is my name?"}]}""";
    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static OpenAiClient openai;
    private static GeminiClient gemini;
    private static Relay relay;

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.builder().tokensPerSecond(0).start();
        String base = fake.baseUrl().toString();
        anthropic = AnthropicClient.builder().apiKey("test").baseUrl(base).build();
        openai = OpenAiClient.builder().apiKey("test").baseUrl(base).build();
        gemini = GeminiClient.builder().apiKey("test").baseUrl(base).build();
        relay = Relay.builder()
                .provider("anthropic", anthropic, "claude-sonnet-4-5")
                .provider("openai", openai, "gpt-4o")
                .provider("openai-responses", openai.responses(), "gpt-4o")
                .provider("gemini", gemini, "gemini-2.5-flash")
                .build();
    }

    @AfterAll
    static void stop() {
        relay.close();
        anthropic.close();
        openai.close();
        gemini.close();
        fake.close();
    }

    /** {@return the conversation the upstream request carries, as "role: text", in each API's own shape} */
    private static List<String> history(String provider, RecordedRequest r) {
        Map<String, Function<RecordedRequest, List<String>>> readers = Map.of(
                "anthropic", q -> turns(q, "/messages", "/role", "/content/0/text", "/content"),
                "openai", q -> turns(q, "/messages", "/role", "/content", "/content"),
                "openai-responses", q -> turns(q, "/input", "/role", "/content/0/text", "/content"),
                "gemini", q -> turns(q, "/contents", "/role", "/parts/0/text", "/parts/0/text"));
        return readers.get(provider).apply(r);
    }

    private static List<String> turns(RecordedRequest r, String array, String role, String text, String orText) {
        List<String> out = new ArrayList<>();
        for (int i = 0; r.json(array + "/" + i) != null; i++) {
            String at = array + "/" + i;
            Object t = r.json(at + text);
            if (!(t instanceof String)) t = r.json(at + orText);
            out.add(r.json(at + role) + ": " + t);
        }
        return out;
    }

    private static String systemPrompt(String provider, RecordedRequest r) {
        return (String)
                switch (provider) {
                    case "anthropic" -> r.json("/system") instanceof String s ? s : r.json("/system/0/text");
                    case "openai" -> r.json("/messages/0/content");
                    case "openai-responses" -> r.json("/instructions");
                    default -> r.json("/systemInstruction/parts/0/text");
                };
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai", "openai-responses", "gemini"})
    void start_conversation_upstreamCarriesTheHistoryInTheProvidersShapeAndDoneTheAnswer(String provider) {
        int before = fake.requestCount();
        String id = relay.start(StartRequest.parse(
                CONVERSATION.replace("{\"system\"", "{\"provider\": \"" + provider + "\", \"system\"")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(Subscription.Outcome.COMPLETE, relay.subscribe(id, null).deliver(new SseRelayWriter(out)));
        Recorded events = Recorded.of(out);

        RecordedRequest upstream = fake.requests().get(before);
        String model = provider.equals("gemini") ? "model" : "assistant";
        List<String> expected =
                List.of("user: Hello, my name is Ada.", model + ": Nice to meet you, Ada.", "user: What is my name?");
        List<String> sent = history(provider, upstream);
        assertEquals(expected, provider.equals("openai") ? sent.subList(1, sent.size()) : sent, upstream.body());
        assertEquals("be brief", systemPrompt(provider, upstream), upstream.body());

        String text = events.text();
        assertTrue(text.contains("Ada"), "the answer remembers the name: " + text);
        String done = events.events().getLast().data();
        assertEquals(text, ((Map<?, ?>) PartialJson.parse(done).value()).get("text"), done);
    }
}
