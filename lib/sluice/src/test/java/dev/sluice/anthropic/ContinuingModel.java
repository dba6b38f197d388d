package dev.sluice.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback model that honours an assistant prefill like the Messages API: it always answers the
 * same text; a request whose last message is an assistant prefill gets the rest of the text after
 * it (HTTP 400 when the prefill ends in whitespace, as the API answers, or is not a prefix of the
 * text). The text is streamed as text deltas of four code points, so text delivered may end
 * inside a word or after whitespace, and a continuation starts with the whitespace a trimmed
 * prefill lost. Request {@code n} (from 0) is
 * cut off after {@code cuts.get(n)} bytes of its body, when given: the connection is closed
 * without the last chunk. Records every request body. Played by the testkit's server, this model
 * its dispatcher.
 */
final class ContinuingModel implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final String text;
    private final Map<Integer, Integer> cuts = new ConcurrentHashMap<>();
    final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    final List<RecordedRequest> requestsSeen = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final FakeLlmServer server = FakeLlmServer.start();

    ContinuingModel(String text) {
        this.text = text;
        server.setDispatcher(this::answer);
    }

    /** Cuts request {@code n} (from 0) after {@code bytes} bytes of its body. */
    ContinuingModel cut(int n, int bytes) {
        cuts.put(n, bytes);
        return this;
    }

    String baseUrl() {
        return server.baseUrl().toString();
    }

    /** {@return the pieces the text is streamed as: four code points each (the last fewer)} */
    static List<String> pieces(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int count = 0;
        for (int i = 0; i < s.length(); i = s.offsetByCodePoints(i, 1)) {
            if (count == 4) {
                out.add(s.substring(start, i));
                start = i;
                count = 0;
            }
            count++;
        }
        if (start < s.length()) out.add(s.substring(start));
        return out;
    }

    /** {@return the whole event stream answering a request with this prefill (null for none)} */
    String body(String prefill) {
        String rest = prefill == null ? text : text.substring(prefill.length());
        List<String> pieces = pieces(rest);
        int input = 5 + (prefill == null ? 0 : prefill.length());
        StringBuilder sb = new StringBuilder();
        sb.append(event(
                "message_start",
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_" + requests.get()
                        + "\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"m\",\"stop_reason\":null,"
                        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + input + ",\"output_tokens\":1}}}"));
        sb.append(event(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        sb.append(ClientTestSupport.PING);
        for (String p : pieces) {
            ObjectNode d = JsonNodeFactory.instance.objectNode();
            d.put("type", "content_block_delta").put("index", 0);
            d.putObject("delta").put("type", "text_delta").put("text", p);
            sb.append(event("content_block_delta", d.toString()));
        }
        sb.append(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        sb.append(event(
                "message_delta",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + pieces.size() + "}}"));
        sb.append(event("message_stop", "{\"type\":\"message_stop\"}"));
        return sb.toString();
    }

    private static String event(String type, String data) {
        return "event: " + type + "\ndata: " + data + "\n\n";
    }

    private FakeResponse answer(RecordedRequest r) {
        int n = requests.getAndIncrement();
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bodies.add(body);
        requestsSeen.add(r);
        JsonNode messages = body.get("messages");
        JsonNode last = messages.get(messages.size() - 1);
        String prefill = null;
        if (last.get("role").asText().equals("assistant")) {
            prefill = last.get("content").asText();
            String problem = !prefill.equals(prefill.stripTrailing())
                    ? "final assistant content cannot end with trailing whitespace"
                    : !text.startsWith(prefill) ? "the prefill is not the start of the answer" : null;
            if (problem != null) {
                return FakeResponse.status(400)
                        .header("request-id", "req_" + n)
                        .body(
                                "application/json",
                                "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\""
                                        + problem + "\"}}");
            }
        }
        String sse = body(prefill);
        FakeResponse response = FakeResponse.sse(sse).header("request-id", "req_" + n);
        Integer cut = cuts.get(n);
        // A cut: the connection is closed without the last chunk.
        return cut != null && cut < sse.getBytes(StandardCharsets.UTF_8).length
                ? response.cutAfterBytes(cut)
                : response;
    }

    int requestCount() {
        return requests.get();
    }

    @Override
    public void close() {
        server.close();
    }
}
