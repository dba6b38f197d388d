package dev.sluice.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.objects.ObjectSchema;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The object the object-stream benchmarks stream: valid, of the record type, and cut as a model streams it. */
class StructuredObjectTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theCatalogIsValidJsonOfTheRecordTypeAndOfAboutTheSizeAsked() throws Exception {
        String json = StructuredObject.json(1 << 20, 42);
        assertEquals(json, StructuredObject.json(1 << 20, 42), "deterministic");
        assertTrue(Math.abs(json.length() - (1 << 20)) < 4096, "about 1 MiB: " + json.length());
        JsonNode tree = JSON.readTree(json);
        StructuredObject.Catalog catalog =
                ObjectSchema.of(StructuredObject.Catalog.class).read(json);
        assertEquals(tree.get("entries").size(), catalog.entries().size());
        assertTrue(
                catalog.entries().size() > 1000,
                "a few thousand entries: " + catalog.entries().size());
    }

    @Test
    void theDeltasAreTwoToTwelveCharactersAndMakeTheTextAgain() {
        String json = StructuredObject.json(65536, 42);
        String[] deltas = StructuredObject.deltas(json, 7);
        assertEquals(json, String.join("", deltas));
        for (int i = 0; i < deltas.length - 1; i++) {
            assertTrue(deltas[i].length() >= 2 && deltas[i].length() <= 12, "delta " + i + ": " + deltas[i]);
        }
    }

    @Test
    void theServedStreamCarriesTheDeltasAsTextDeltaEvents() throws Exception {
        String json = StructuredObject.json(65536, 42);
        String[] deltas = StructuredObject.deltas(json, 7);
        BenchStream stream = BenchStream.textDeltas("object", deltas);
        assertEquals(json, stream.expectedText());
        String text = stream.events().stream()
                .map(e -> new String(e, UTF_8))
                .filter(e -> e.startsWith("event: content_block_delta"))
                .map(e -> {
                    try {
                        return JSON.readTree(e.substring(e.indexOf("data: ") + 6))
                                .get("delta")
                                .get("text")
                                .asText();
                    } catch (Exception x) {
                        throw new AssertionError(x);
                    }
                })
                .collect(Collectors.joining());
        assertEquals(json, text);
        assertEquals(deltas.length + BenchStream.FRAME_EVENTS, stream.events().size());
    }
}
