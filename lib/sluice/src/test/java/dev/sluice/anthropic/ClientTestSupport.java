package dev.sluice.anthropic;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.Admin;
import com.github.tomakehurst.wiremock.junit.Stubbing;
import dev.sluice.FakeServers;
import dev.sluice.client.RetryPolicy;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Shared pieces of the client tests: the key, a fast retry policy, events, the test kit's scripted
 * responses (and WireMock's stubs for the raw HTTP faults) and a held fake-server stream.
 */
final class ClientTestSupport {
    static final String KEY = "sk-ant-api03-SECRET-KEY-0123456789abcdef";
    static final String PATH = "/v1/messages";
    /** Two retries, waits of 1 to 5 ms, no jitter, server delays honoured up to 2 s. */
    static final RetryPolicy FAST =
            new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(5), 2, 0, Duration.ofSeconds(2));

    static final String MESSAGE_START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":"
            + "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"m\","
            + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n";
    static final String BLOCK_START = "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
            + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";
    static final String PING = "event: ping\ndata: {\"type\": \"ping\"}\n\n";
    static final String BLOCK_STOP =
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n";
    static final String MESSAGE_DELTA = "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":"
            + "{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":3}}\n\n";
    static final String MESSAGE_STOP = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    private ClientTestSupport() {}

    static String delta(String text) {
        return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}\n\n";
    }

    static String errorEvent(String type) {
        return "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"msg of "
                + type + "\"}}\n\n";
    }

    /** A complete stream whose text is the given pieces. */
    static String textStream(String... pieces) {
        StringBuilder sb = new StringBuilder(MESSAGE_START).append(BLOCK_START);
        for (String p : pieces) sb.append(delta(p));
        return sb.append(BLOCK_STOP).append(MESSAGE_DELTA).append(MESSAGE_STOP).toString();
    }

    /** {@return a response sending these events, then holding the connection open, without its end, until the client closes it} */
    static FakeResponse holding(String events) {
        return FakeServers.holding(events).header("request-id", "req_raw");
    }

    /** {@return the test kit's replay of these events, with the headers of {@link #sse(byte[])} (a UTF-8 event stream, {@code request-id: req_stream})} */
    static FakeResponse replay(String events) {
        return FakeResponse.sse(events)
                .header("Content-Type", "text/event-stream; charset=utf-8")
                .header("request-id", "req_stream");
    }

    /** {@return the test kit's replay of these bytes, with the headers of {@link #sse(byte[])}} */
    static FakeResponse replay(byte[] events) {
        return FakeResponse.sse(events)
                .header("Content-Type", "text/event-stream; charset=utf-8")
                .header("request-id", "req_stream");
    }

    /** {@return {@link #replay(byte[])} written in HTTP chunks of about this part of the bytes, each flushed on its own} */
    static FakeResponse replayInPieces(byte[] events, int pieces) {
        return replay(events).inChunksOf(Math.max(1, events.length / pieces));
    }

    /** {@return {@link #replay(String)} written in HTTP chunks of about this part of the bytes, each flushed on its own} */
    static FakeResponse replayInPieces(String events, int pieces) {
        return replayInPieces(events.getBytes(StandardCharsets.UTF_8), pieces);
    }

    /** Answers every POST to {@link #PATH} with this response, anything else with a 404 (as a WireMock stub). */
    static void always(FakeLlmServer server, FakeResponse response) {
        script(server, List.of(response));
    }

    /**
     * Answers the POSTs to {@link #PATH} in order with these responses, the last one repeating, and
     * anything else with a 404 (as a WireMock scenario).
     */
    static void script(FakeLlmServer server, List<FakeResponse> responses) {
        List<FakeResponse> all = List.copyOf(responses);
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        server.setDispatcher(r -> (r.method() + " " + r.target()).equals("POST " + PATH)
                ? all.get(Math.min(next.getAndIncrement(), all.size() - 1))
                : FakeResponse.status(404));
    }

    /** {@return the test kit's error response: the API's error body and a {@code request-id} of {@code req_STATUS}} */
    static FakeResponse apiError(int status, String type) {
        return FakeResponse.status(status)
                .header("request-id", "req_" + status)
                .body(
                        "application/json",
                        "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"message of " + type
                                + "\"}}");
    }

    /** {@return how many requests the server has had, after checking each was a POST to {@link #PATH}} */
    static int requests(FakeLlmServer server) {
        List<RecordedRequest> all = server.requests();
        for (RecordedRequest r : all) {
            if (!(r.method() + " " + r.target()).equals("POST " + PATH))
                throw new AssertionError("expected only POST " + PATH + ", got " + r);
        }
        return all.size();
    }

    static ResponseDefinitionBuilder sse(String body) {
        return sse(body.getBytes(StandardCharsets.UTF_8));
    }

    static ResponseDefinitionBuilder sse(byte[] body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/event-stream; charset=utf-8")
                .withHeader("request-id", "req_stream")
                .withBody(body);
    }

    /** Answers the requests in order with these responses; the last one repeats. */
    static void stubSequence(Stubbing server, List<ResponseDefinitionBuilder> responses) {
        String state = STARTED;
        for (int i = 0; i < responses.size(); i++) {
            String next = i == responses.size() - 1 ? state : "after-" + i;
            server.stubFor(post(urlEqualTo(PATH))
                    .inScenario("seq")
                    .whenScenarioStateIs(state)
                    .willReturn(responses.get(i))
                    .willSetStateTo(next));
            state = next;
        }
    }

    static int requests(Admin server) {
        return server.countRequestsMatching(postRequestedFor(urlEqualTo(PATH)).build())
                .getCount();
    }

    static AnthropicClient.Builder client(String baseUrl) {
        return AnthropicClient.builder().apiKey(KEY).baseUrl(baseUrl).retryPolicy(FAST);
    }

    static MessageRequest request() {
        return MessageRequest.builder()
                .model("claude-test")
                .maxTokens(64)
                .addUserMessage("Hello")
                .build();
    }
}
