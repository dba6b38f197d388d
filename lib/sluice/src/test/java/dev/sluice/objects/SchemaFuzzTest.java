package dev.sluice.objects;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.ObjectException;
import dev.sluice.chat.ChunkMetadata;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes what a schema given as JSON costs (review H2): the schema compiler
 * ({@link ObjectSchema#parse}, {@link SchemaRules#check}) and then the partial reader, which walks
 * the schema at every chunk, and the validator at the end. The input is either a schema's JSON text
 * on the first line and the model's answer after it (when it starts with {@code {}), or bytes that
 * choose a schema's nodes one by one ({@link Generated}: references, the three unions, {@code not},
 * properties, items, enums; loops and doublings come easily), the rest being the answer. For any input:
 * <ul>
 *   <li>the compiler throws only {@link IllegalArgumentException}, with a message of at most
 *       {@value #MAX_MESSAGE} characters (the relay sends it to the client);</li>
 *   <li>a schema it accepts is read linearly: each chunk's partial visits at most
 *       {@code 33 × (depth + 2) × (schemas + 1)} schemas (each walk visits each schema once; a
 *       reference chain is at most 32 long), whatever the fragments;</li>
 *   <li>the answer's end throws only {@link ObjectException}.</li>
 * </ul>
 * The committed inputs in {@code SchemaFuzzTestInputs/compileAndRead} replay in every build, and
 * {@link #compileAndRead_generatedInputs_linearAndOnlyDocumentedFailures} runs 400 generated ones.
 */
class SchemaFuzzTest {
    static final int MAX_MESSAGE = 1000;

    @DictionaryEntries({
        "\"$ref\":",
        "\"#/$defs/",
        "\"$defs\":",
        "\"anyOf\":",
        "\"oneOf\":",
        "\"allOf\":",
        "\"not\":",
        "\"properties\":",
        "\"items\":",
        "\"additionalProperties\":",
        "\"type\":",
        "\"object\"",
        "\"string\"",
        "\"array\"",
        "\"null\"",
        "\"enum\":",
        "\"const\":",
        "\"#\""
    })
    @FuzzTest
    void compileAndRead(byte[] input) {
        if (input.length == 0) return;
        String schemaText;
        String answer;
        if (input[0] == '{') {
            String text = new String(input, StandardCharsets.UTF_8);
            int line = text.indexOf('\n');
            schemaText = line < 0 ? text : text.substring(0, line);
            answer = line < 0 ? "" : text.substring(line + 1);
        } else {
            Generated g = new Generated(input);
            schemaText = g.schema();
            answer = g.rest();
        }
        ObjectSchema<Map<String, Object>> schema;
        try {
            schema = ObjectSchema.parse("fuzz", schemaText);
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a refusal without a message");
            assertTrue(
                    e.getMessage().length() <= MAX_MESSAGE,
                    () -> "a refusal of " + e.getMessage().length() + " characters: "
                            + e.getMessage().substring(0, 300));
            return;
        }
        read(schema, answer, new Random(input.length * 31L + input[input.length - 1]));
    }

    @Test
    void compileAndRead_generatedInputs_linearAndOnlyDocumentedFailures() {
        Random random = new Random(20261126);
        assertTimeoutPreemptively(
                Duration.ofSeconds(120),
                () -> { // a guard against a hang only
                    for (int i = 0; i < 400; i++) {
                        byte[] input = new byte[8 + random.nextInt(110)];
                        random.nextBytes(input);
                        input[0] = (byte) (input.length - 2); // the schema's bytes end where the answer starts
                        byte[] answer = ANSWERS.get(i % ANSWERS.size()).getBytes(StandardCharsets.UTF_8);
                        byte[] whole = java.util.Arrays.copyOf(input, input.length + answer.length);
                        System.arraycopy(answer, 0, whole, input.length, answer.length);
                        compileAndRead(whole);
                    }
                });
    }

    /** Answers with strings open at several depths (each partial then asks whether a string there is from a fixed set). */
    private static final List<String> ANSWERS = List.of(
            "{\"a\":{\"b\":{\"c\":\"xxxxxxxx\"}},\"p0\":[\"yyyy\",{\"q\":\"zz\"}]}",
            "{\"p1\":[[[\"deep\"]]],\"a\":\"text that grows\",\"b\":[1,2,{\"p2\":\"s\"}]}",
            "{\"p0\":{\"p1\":{\"p2\":{\"p0\":{\"p1\":\"a string at depth five\"}}}}}",
            "{\"a\": [\"x\", \"y\"], \"b\": null, \"c\": true, \"d\": 1.5e3}");

    /** Feeds the answer in random fragments, checking each partial's walks, then ends it. */
    private static void read(ObjectSchema<Map<String, Object>> schema, String answer, Random cuts) {
        PartialReader<Map<String, Object>> reader = new PartialReader<>(schema);
        long schemas = count(schema.schema()) + 1;
        long opens = answer.chars().filter(c -> c == '{' || c == '[').count();
        long bound = 33 * (opens + 2) * schemas;
        ChunkMetadata meta = new ChunkMetadata("fuzz", Instant.EPOCH, Duration.ZERO);
        for (int at = 0; at < answer.length(); ) {
            int end = Math.min(answer.length(), at + 1 + cuts.nextInt(8));
            long before = schema.walkSteps();
            Partial<Map<String, Object>> p = reader.accept(
                    MessageChunk.builder(meta).text(answer.substring(at, end)).build());
            long steps = schema.walkSteps() - before;
            assertTrue(
                    steps <= bound,
                    () -> "a chunk's partial visited " + steps + " schemas, more than " + bound + " for " + schemas
                            + " schemas and " + opens + " levels: " + schema.toJson());
            if (p != null) p.state("");
            at = end;
        }
        reader.accept(MessageChunk.builder(meta)
                .finishReason(FinishReason.fromAnthropic("end_turn"))
                .build());
        try {
            reader.finish();
        } catch (ObjectException expected) {
            // not JSON, or not matching: documented
        }
    }

    /** {@return how many schemas (objects and booleans) and other JSON objects the schema holds: a bound on its schemas} */
    private static long count(Object node) {
        if (node instanceof Map<?, ?> m)
            return 1 + m.values().stream().mapToLong(SchemaFuzzTest::count).sum();
        if (node instanceof List<?> l)
            return l.stream().mapToLong(SchemaFuzzTest::count).sum();
        return node instanceof Boolean ? 1 : 0;
    }

    /**
     * A schema chosen by bytes: the first says how many more of them make the schema (the rest is the
     * answer), the second how many {@code $defs} (1 to 4); then each node takes a byte for its kind and
     * some for its details. Exhausted bytes read as zero, a string schema; nesting stops at 6.
     */
    static final class Generated {
        private final byte[] in;
        private final int end;
        private final int defs;
        private int at;

        Generated(byte[] input) {
            this.in = input;
            this.end = Math.min(input.length, 2 + (input[0] & 0xff));
            this.at = 2;
            this.defs = 1 + (input.length > 1 ? (input[1] & 0xff) % 4 : 0);
        }

        private int next() {
            return at < end ? in[at++] & 0xff : 0;
        }

        String schema() {
            StringBuilder sb = new StringBuilder("{\"type\":\"object\",\"properties\":{\"a\":");
            node(sb, 1);
            sb.append(",\"b\":");
            node(sb, 1);
            sb.append("},\"$defs\":{");
            for (int d = 0; d < defs; d++) {
                sb.append(d == 0 ? "" : ",").append("\"d").append(d).append("\":");
                node(sb, 1);
            }
            return sb.append("}}").toString();
        }

        /** {@return the answer: the bytes after the schema's} */
        String rest() {
            return end >= in.length ? "" : new String(in, end, in.length - end, StandardCharsets.UTF_8);
        }

        private void node(StringBuilder sb, int depth) {
            int kind = depth > 6 ? 0 : next() % 12;
            int detail = kind == 0 ? 0 : next();
            switch (kind) {
                case 1 -> {
                    sb.append("{\"type\":\"object\",\"properties\":{\"p")
                            .append(detail % 3)
                            .append("\":");
                    node(sb, depth + 1);
                    sb.append(",\"q\":");
                    node(sb, depth + 1);
                    sb.append("}}");
                }
                case 2 -> {
                    sb.append("{\"type\":\"array\",\"items\":");
                    node(sb, depth + 1);
                    sb.append('}');
                }
                case 3, 4, 5 -> {
                    sb.append("{\"")
                            .append(kind == 3 ? "anyOf" : kind == 4 ? "oneOf" : "allOf")
                            .append("\":[");
                    for (int i = 0; i <= detail % 3; i++) {
                        if (i > 0) sb.append(',');
                        node(sb, depth + 1);
                    }
                    sb.append("]}");
                }
                case 6, 7 ->
                    sb.append("{\"$ref\":\"#/$defs/d").append(detail % defs).append("\"}");
                case 8 -> {
                    sb.append("{\"not\":");
                    node(sb, depth + 1);
                    sb.append('}');
                }
                case 9 -> sb.append(detail % 2 == 0 ? "{\"enum\":[\"x\",\"y\"]}" : "{\"const\":\"x\"}");
                case 10 -> sb.append(detail % 3 == 0 ? "{\"$ref\":\"#\"}" : detail % 3 == 1 ? "true" : "false");
                case 11 -> {
                    sb.append("{\"type\":\"object\",\"additionalProperties\":");
                    node(sb, depth + 1);
                    sb.append('}');
                }
                default -> sb.append("{\"type\":\"string\"}");
            }
        }
    }
}
