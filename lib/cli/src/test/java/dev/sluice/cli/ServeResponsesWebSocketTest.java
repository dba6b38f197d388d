package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code sluice serve}'s Responses API over a WebSocket ({@code /v1/responses}), on and switched off. */
class ServeResponsesWebSocketTest {
    private static final Map<String, String> UNPACED = Map.of("SLUICE_FAKE_TOKENS_PER_SECOND", "0");

    private static URI ws(RunningServe serve) {
        return URI.create(serve.uri().toString().replaceFirst("^http", "ws") + "v1/responses");
    }

    @Test
    void serve_responsesWebSocket_answersAResponseAsFrames() throws Exception {
        try (RunningServe serve = RunningServe.start(UNPACED);
                HttpClient http = HttpClient.newHttpClient()) {
            CompletableFuture<String> completed = new CompletableFuture<>();
            StringBuilder frame = new StringBuilder();
            WebSocket socket = http.newWebSocketBuilder()
                    .buildAsync(ws(serve), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            frame.append(data);
                            if (last) {
                                String f = frame.toString();
                                frame.setLength(0);
                                if (f.contains("\"type\":\"response.completed\"") || f.contains("\"type\":\"error\""))
                                    completed.complete(f);
                            }
                            ws.request(1);
                            return null;
                        }
                    })
                    .join();
            socket.sendText(
                            "{\"type\":\"response.create\",\"model\":\"openai-responses/gpt-6.1-terra\","
                                    + "\"input\":\"Tell me about rivers.\",\"store\":false}",
                            true)
                    .join();
            String last = completed.get(30, TimeUnit.SECONDS);
            assertTrue(last.contains("\"type\":\"response.completed\""), last);
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        }
    }

    @Test
    void serve_noResponsesWebSocket_answersTheUpgrade426() {
        try (RunningServe serve = RunningServe.start(UNPACED, "--no-responses-websocket");
                HttpClient http = HttpClient.newHttpClient()) {
            CompletionException e = assertThrows(
                    CompletionException.class,
                    () -> http.newWebSocketBuilder()
                            .buildAsync(ws(serve), new WebSocket.Listener() {})
                            .join());
            assertEquals(
                    426,
                    assertInstanceOf(WebSocketHandshakeException.class, e.getCause())
                            .getResponse()
                            .statusCode());
        }
    }
}
