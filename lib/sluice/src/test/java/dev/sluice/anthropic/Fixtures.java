package dev.sluice.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The captured Anthropic streams in test resources, and a semantic JSON comparison. */
final class Fixtures {
    static final List<String> NAMES = List.of(
            "text-basic",
            "tool-use-weather",
            "thinking-with-signature",
            "citations-char-and-page",
            "error-overloaded-mid-stream",
            "truncated-before-message-stop");
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {}

    static byte[] sse(String name) {
        return read("/anthropic/" + name + ".sse");
    }

    static JsonNode expected(String name) {
        try {
            return MAPPER.readTree(read("/anthropic/" + name + ".expected.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing test resource " + resource);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the JSON with every null-valued object member removed, recursively (null == absent)} */
    static JsonNode normalize(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = MAPPER.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull()) out.set(e.getKey(), normalize(e.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = MAPPER.createArrayNode();
            node.forEach(e -> out.add(normalize(e)));
            return out;
        }
        return node;
    }

    /** {@return a value of the JSON value model as compact JSON, written by Jackson} */
    static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
