package dev.sluice.chat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.sluice.anthropic.AnthropicEvents;
import dev.sluice.anthropic.ContentBlock;
import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.TextBlock;
import dev.sluice.anthropic.ToolUseBlock;
import dev.sluice.gemini.GeminiClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The provider-neutral view is the same across providers: Gemini's capture of "text, then one
 * get_weather call", streamed live through {@link GeminiClient} as a {@link ChatProvider}, aggregates
 * to what Anthropic's equivalent capture says (text, tool call name and parsed arguments, finish
 * reason kind). Anthropic's side is read through its full-fidelity replay (its own neutral mapping
 * is not on this branch); the OpenAI helper's parameterized CrossProviderTest is meant to absorb this.
 */
class GeminiCrossProviderTest {

    @Test
    void toolUseWeather_geminiAndAnthropic_sameNeutralResponse() {
        Message anthropic = AnthropicEvents.replay(new ByteArrayInputStream(read("/anthropic/tool-use-weather.sse")), 8192);
        StringBuilder anthropicText = new StringBuilder();
        List<ToolUseBlock> anthropicCalls = new java.util.ArrayList<>();
        for (ContentBlock b : anthropic.content()) {
            if (b instanceof TextBlock t) anthropicText.append(t.text());
            if (b instanceof ToolUseBlock u) anthropicCalls.add(u);
        }
        FinishReason anthropicFinish = FinishReason.fromAnthropic(anthropic.stopReason());

        WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        try (GeminiClient gemini = GeminiClient.builder().apiKey("test-key").baseUrl(server.baseUrl()).build()) {
            server.stubFor(post(urlPathMatching("/v1beta/models/.*")).willReturn(aResponse().withStatus(200)
                    .withHeader("content-type", "text/event-stream").withBody(read("/gemini/tool-use-weather.sse"))
                    .withChunkedDribbleDelay(10, 50)));
            ChatProvider provider = gemini;
            ChatResponse response = provider.chat(ChatRequest.builder().model("gemini-2.5-flash")
                    .addMessage(ChatMessage.user("What is the weather in San Francisco?"))
                    .addTool(new Tool("get_weather", "Current weather", Map.of("type", "object"))).build());

            assertEquals("Okay, let's check the weather for San Francisco, CA:", response.text());
            assertEquals(anthropicText.toString(), response.text());
            assertEquals(anthropicCalls.size(), response.toolCalls().size());
            assertEquals(anthropicCalls.get(0).name(), response.toolCalls().get(0).name());
            assertEquals(anthropicCalls.get(0).input(), response.toolCalls().get(0).parsedArguments());
            assertEquals(Map.of("location", "San Francisco, CA", "unit", "fahrenheit"), response.toolCalls().get(0).parsedArguments());
            assertTrue(response.toolCalls().get(0).argumentsValid());
            assertEquals(FinishReason.Kind.TOOL_CALLS, anthropicFinish.kind());
            assertEquals(anthropicFinish.kind(), response.finishReason().kind());
        } finally {
            server.stop();
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = GeminiCrossProviderTest.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing test resource " + resource);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
