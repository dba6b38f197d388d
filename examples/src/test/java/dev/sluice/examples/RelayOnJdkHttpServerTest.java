package dev.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.PartialJson;
import dev.sluice.testkit.FakeLlmServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The relay's routes on the JDK's HttpServer (docs/relay.md), against the fake server: the same answers as sluice serve. */
class RelayOnJdkHttpServerTest {

    @Test
    void start_postThenEvents_streamsTheAnswerAndDeleteAnswers204() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start();
                AnthropicClient client = AnthropicClient.builder()
                        .apiKey("test")
                        .baseUrl(fake.baseUrl().toString())
                        .build();
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()) {
            HttpServer server = RelayOnJdkHttpServer.start(client, ExampleClient.MODEL, 0);
            try {
                URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
                HttpResponse<String> created = http.send(
                        HttpRequest.newBuilder(base.resolve("/api/streams"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"How do tides work?\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(201, created.statusCode(), created.body());
                String id = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
                String events = http.send(
                                HttpRequest.newBuilder(base.resolve("/api/streams/" + id + "/events"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                StringBuilder text = new StringBuilder();
                Matcher m =
                        Pattern.compile("event: delta\nid: \\d+\ndata: (.*)\n").matcher(events);
                while (m.find())
                    text.append(((Map<?, ?>) PartialJson.parse(m.group(1)).value()).get("text"));
                String whole = client.chat(ChatRequest.builder()
                                .model(ExampleClient.MODEL)
                                .maxTokens(4096)
                                .addMessage(ChatMessage.user("How do tides work?"))
                                .build())
                        .text();
                assertEquals(whole, text.toString());
                assertTrue(events.startsWith("retry: 1000\nevent: start\nid: 1\n"), events);
                assertTrue(events.contains("event: done\n"), events);
                assertEquals(
                        204,
                        http.send(
                                        HttpRequest.newBuilder(base.resolve("/api/streams/" + id))
                                                .DELETE()
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode());
                assertEquals(
                        404,
                        http.send(
                                        HttpRequest.newBuilder(base.resolve("/api/streams/nope/events"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode());
            } finally {
                server.stop(0);
            }
        }
    }
}
