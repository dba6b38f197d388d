package dev.sluice.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared sample vectors (sse/sample-vectors.jsonl, copied from the project's fixtures): each
 * gives the stream as chunks and the events, with the last event ID and the reconnection time in
 * effect at each dispatch, that a WHATWG-exact parser produces.
 */
class SseParserVectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> vectors() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (InputStream in = SseParserVectorsTest.class.getResourceAsStream("/sse/sample-vectors.jsonl");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank()) continue;
                JsonNode node = JSON.readTree(line);
                out.add(Arguments.of(Named.of(node.get("name").asText(), node)));
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void feed_sampleVector_givesExpectedEvents(JsonNode vector) {
        List<String> actual = new ArrayList<>();
        Long[] retry = {null};
        SseParser parser = new SseParser(new SseListener() {
            @Override
            public void onEvent(SseEvent e) {
                actual.add(json(e.type(), e.data(), e.lastEventId(), retry[0]));
            }

            @Override
            public void onRetry(long millis) {
                retry[0] = millis;
            }
        });
        for (JsonNode chunk : vector.get("chunks_b64")) {
            byte[] b = Base64.getDecoder().decode(chunk.asText());
            parser.feed(b, 0, b.length);
        }
        parser.finish();

        List<String> expected = new ArrayList<>();
        for (JsonNode e : vector.get("expected")) {
            expected.add(json(
                    e.get("event").asText(),
                    e.get("data").asText(),
                    e.get("id").isNull() ? null : e.get("id").asText(),
                    e.get("retry").isNull() ? null : e.get("retry").asLong()));
        }
        assertEquals(expected, actual);
        JsonNode finalRetry = vector.get("expected_retry_final");
        assertEquals(finalRetry == null || finalRetry.isNull() ? null : finalRetry.asLong(), retry[0]);
    }

    private static String json(String event, String data, String id, Long retry) {
        return JSON.createObjectNode()
                .put("event", event)
                .put("data", data)
                .put("id", id)
                .put("retry", retry)
                .toString();
    }
}
