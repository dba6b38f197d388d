package dev.sluice.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ProtocolException;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ToolCallDelta;
import dev.sluice.internal.low.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Vertex AI's streamed function-call arguments: decoded, joined into text piece by piece, and whole. */
class GeminiStreamedArgumentsTest {
    /** The whole call's arguments, as a non-streamed response sends them. */
    private static final String WHOLE = "{\"location\":\"Boston, MA\",\"unit\":{\"c\":true,\"scale\":null},"
            + "\"days\":[1,2.5,{\"note\":\"a \\\"q\\\" é\"}],\"count\":-3,\"a.b\":false}";

    /** The same call streamed: the named piece with its signature, pieces of typed values, the end. */
    private static final List<String> STREAMED = List.of(
            "{\"functionCall\":{\"name\":\"getWeather\",\"willContinue\":true},\"thoughtSignature\":\"c2lnLTE=\"}",
            "{\"functionCall\":{\"partialArgs\":[{\"jsonPath\":\"$.location\",\"stringValue\":\"Bos\",\"willContinue\":true}],"
                    + "\"willContinue\":true}}",
            "{\"functionCall\":{\"partialArgs\":[{\"jsonPath\":\"$.location\",\"stringValue\":\"ton, MA\"},"
                    + "{\"jsonPath\":\"$.unit.c\",\"boolValue\":true}],\"willContinue\":true}}",
            "{\"functionCall\":{\"partialArgs\":[{\"jsonPath\":\"$.unit.scale\",\"nullValue\":\"NULL_VALUE\"},"
                    + "{\"jsonPath\":\"$.days[0]\",\"numberValue\":1},{\"jsonPath\":\"$.days[1]\",\"numberValue\":2.5}],"
                    + "\"willContinue\":true}}",
            "{\"functionCall\":{\"partialArgs\":[{\"jsonPath\":\"$.days[2].note\",\"stringValue\":\"a \\\"q\",\"willContinue\":true}],"
                    + "\"willContinue\":true}}",
            "{\"functionCall\":{\"partialArgs\":[{\"jsonPath\":\"$.days[2].note\",\"stringValue\":\"\\\" é\"},"
                    + "{\"jsonPath\":\"$.count\",\"numberValue\":-3},{\"jsonPath\":\"$['a.b']\",\"boolValue\":false}],"
                    + "\"willContinue\":true}}",
            "{\"functionCall\":{}}");

    private static GenerateContentResponse chunk(String part, String finish) throws Exception {
        String json = "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[" + part + "]}"
                + (finish == null ? "" : ",\"finishReason\":\"" + finish + "\"")
                + ",\"index\":0}],\"responseId\":\"r1\"}";
        return GeminiDecoder.response((Map<?, ?>) Json.readValue(json));
    }

    private static List<GenerateContentResponse> streamed() throws Exception {
        List<GenerateContentResponse> chunks = new ArrayList<>();
        for (int i = 0; i < STREAMED.size(); i++)
            chunks.add(chunk(STREAMED.get(i), i == STREAMED.size() - 1 ? "STOP" : null));
        return chunks;
    }

    @Test
    void decode_streamedPieces_arePartialFunctionCallPartsWithTypedValues() throws Exception {
        List<GenerateContentResponse> chunks = streamed();
        PartialFunctionCallPart first = (PartialFunctionCallPart)
                chunks.get(0).candidates().get(0).content().parts().get(0);
        assertEquals(new PartialFunctionCallPart(null, "getWeather", List.of(), true, "c2lnLTE="), first);
        PartialFunctionCallPart nulls = (PartialFunctionCallPart)
                chunks.get(3).candidates().get(0).content().parts().get(0);
        assertEquals(
                List.of(
                        new PartialArg("$.unit.scale", null, false),
                        new PartialArg("$.days[0]", 1L, false),
                        new PartialArg("$.days[1]", Json.readValue("2.5"), false)),
                nulls.partialArgs());
        PartialFunctionCallPart end = (PartialFunctionCallPart)
                chunks.getLast().candidates().get(0).content().parts().get(0);
        assertEquals(new PartialFunctionCallPart(null, null, List.of(), false, null), end);
    }

    @Test
    void decode_streamedStartWithEmptyArgs_isAPiece_butWithArgsMalformed() throws Exception {
        Part start = chunk("{\"functionCall\":{\"name\":\"f\",\"args\":{},\"willContinue\":true}}", null)
                .candidates()
                .get(0)
                .content()
                .parts()
                .get(0);
        assertEquals(new PartialFunctionCallPart(null, "f", List.of(), true, null), start);
        assertThrows(
                GeminiDecoder.Malformed.class,
                () -> chunk("{\"functionCall\":{\"name\":\"f\",\"args\":{\"a\":1}," + "\"willContinue\":true}}", null));
    }

    @Test
    void decode_partialArgWithoutOrWithTwoValues_isMalformed() {
        assertThrows(
                GeminiDecoder.Malformed.class,
                () -> chunk("{\"functionCall\":{\"partialArgs\":[{\"jsonPath\":\"$.a\"}]}}", null));
        assertThrows(
                GeminiDecoder.Malformed.class,
                () -> chunk(
                        "{\"functionCall\":{\"partialArgs\":[{\"jsonPath\":\"$.a\","
                                + "\"stringValue\":\"x\",\"boolValue\":true}]}}",
                        null));
    }

    @Test
    void neutral_streamedCall_deltasJoinToTheWholeCallsArguments() throws Exception {
        GeminiChunks chunks = new GeminiChunks("gemini-3-pro-preview", () -> 0L, "vertex");
        StringBuilder args = new StringBuilder();
        List<MessageChunk> mapped = new ArrayList<>();
        for (GenerateContentResponse r : streamed()) mapped.add(chunks.map(r, Instant.EPOCH, 0));
        ToolCallDelta start = mapped.get(0).toolCalls().get(0);
        assertEquals("getWeather", start.name());
        assertEquals("sluice-call-r1-0", start.id());
        for (MessageChunk c : mapped) {
            for (ToolCallDelta d : c.toolCalls()) {
                assertEquals(0, d.index());
                args.append(d.arguments());
            }
        }
        GenerateContentResponse whole =
                chunk("{\"functionCall\":{\"name\":\"getWeather\",\"args\":" + WHOLE + "}}", "STOP");
        String wholeArgs =
                Json.write(whole.candidates().get(0).functionCalls().get(0).args());
        assertEquals(wholeArgs, args.toString());
        assertEquals(
                "Bos",
                mapped.get(1).toolCalls().get(0).arguments().substring("\"location\":\"".length()),
                "the string's first piece arrives as it came");
        assertEquals("vertex", mapped.get(0).providerState().provider());
        assertTrue(mapped.get(0).providerState().data().contains("c2lnLTE="));
        assertEquals("TOOL_CALLS", mapped.getLast().finishReason().kind().name());
    }

    @Test
    void accumulator_streamedCall_isOneWholeFunctionCallPartEqualToTheUnstreamedOne() throws Exception {
        GenerateContentAccumulator acc = new GenerateContentAccumulator();
        List<GenerateContentResponse> chunks = streamed();
        for (int i = 0; i < chunks.size(); i++) {
            acc.accept(chunks.get(i));
            if (i == 1) {
                FunctionCallPart partial =
                        acc.snapshot().candidates().get(0).functionCalls().get(0);
                assertEquals(Map.of("location", "Bos"), partial.args(), "a partial string as far as it came");
            }
        }
        GenerateContentResponse whole = chunk(
                "{\"functionCall\":{\"name\":\"getWeather\",\"args\":" + WHOLE + "},\"thoughtSignature\":\"c2lnLTE=\"}",
                "STOP");
        assertEquals(
                whole.candidates().get(0).content().parts(),
                acc.result().candidates().get(0).content().parts());
    }

    @Test
    void streamedArgs_stringSplitAnywhere_joinsEscaped() {
        StreamedArgs s = new StreamedArgs();
        StringBuilder text = new StringBuilder(s.start());
        text.append(s.apply(new PartialArg("$.s", "line\n", true)));
        text.append(s.apply(new PartialArg("$.s", "\uD83D", true)));
        text.append(s.apply(new PartialArg("$.s", "\uDE00\\", false)));
        text.append(s.end());
        assertEquals(Json.write(Map.of("s", "line\n\uD83D\uDE00\\")), text.toString());
    }

    @Test
    void streamedArgs_nestedArraysOfArraysAndQuotedKeys_closeInOrder() {
        StreamedArgs s = new StreamedArgs();
        StringBuilder text = new StringBuilder(s.start());
        text.append(s.apply(new PartialArg("$.m[0][0]", 1L, false)));
        text.append(s.apply(new PartialArg("$.m[0][1]", 2L, false)));
        text.append(s.apply(new PartialArg("$.m[1][0]", 3L, false)));
        text.append(s.apply(new PartialArg("$[\"x\\\"y\"].z", "v", false)));
        text.append(s.end());
        assertEquals("{\"m\":[[1,2],[3]],\"x\\\"y\":{\"z\":\"v\"}}", text.toString());
        assertEquals("", s.end(), "ending twice adds nothing");
    }

    /** A random JSON value, no empty containers (they have no leaf to stream), keys that need quoting included. */
    private static Object randomValue(java.util.Random random, int depth) {
        int kind = random.nextInt(depth >= 4 ? 5 : 7);
        return switch (kind) {
            case 0 -> randomString(random);
            case 1 -> random.nextLong(-1_000_000, 1_000_000);
            case 2 -> decimal(random.nextInt(100_000) / 100.0);
            case 3 -> random.nextBoolean();
            case 4 -> null;
            case 5 -> {
                java.util.LinkedHashMap<String, Object> object = new java.util.LinkedHashMap<>();
                int n = 1 + random.nextInt(4);
                for (int i = 0; i < n; i++)
                    object.put(
                            List.of("a", "b_2", "c.d", "e'f", "g\"h", "é", "x y")
                                            .get(random.nextInt(7))
                                    + i,
                            randomValue(random, depth + 1));
                yield object;
            }
            default -> {
                List<Object> array = new ArrayList<>();
                int n = 1 + random.nextInt(4);
                for (int i = 0; i < n; i++) array.add(randomValue(random, depth + 1));
                yield array;
            }
        };
    }

    /** A decimal as the value model reads it from JSON. */
    private static Object decimal(double d) {
        try {
            return Json.readValue(Double.toString(d));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static String randomString(java.util.Random random) {
        String alphabet = "ab \"\\\n\té\u20ac\uD83D\uDE00/<";
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            int at = random.nextInt(alphabet.length() - 1);
            if (Character.isLowSurrogate(alphabet.charAt(at))) at--;
            b.append(alphabet.charAt(at));
            if (Character.isHighSurrogate(alphabet.charAt(at))) b.append(alphabet.charAt(at + 1));
        }
        return b.toString();
    }

    /** The pieces of a value, as Vertex AI streams them: its leaves depth first, strings cut at random places. */
    private static void pieces(java.util.Random random, Object value, String path, List<PartialArg> out) {
        switch (value) {
            case null -> out.add(new PartialArg(path, null, false));
            case Map<?, ?> m ->
                m.forEach((k, v) -> pieces(
                        random,
                        v,
                        path
                                + (((String) k).matches("[a-z_][a-z0-9_]*")
                                        ? "." + k
                                        : random.nextBoolean()
                                                ? "['"
                                                        + ((String) k)
                                                                .replace("\\", "\\\\")
                                                                .replace("'", "\\'") + "']"
                                                : "[\""
                                                        + ((String) k)
                                                                .replace("\\", "\\\\")
                                                                .replace("\"", "\\\"") + "\"]"),
                        out));
            case List<?> l -> {
                for (int i = 0; i < l.size(); i++) pieces(random, l.get(i), path + "[" + i + "]", out);
            }
            case String s -> {
                int at = 0;
                while (true) {
                    int next = Math.min(s.length(), at + random.nextInt(4));
                    boolean last = next == s.length() && random.nextInt(3) > 0;
                    out.add(new PartialArg(path, s.substring(at, next), !last));
                    at = next;
                    if (last) break;
                }
            }
            default -> out.add(new PartialArg(path, value, false));
        }
    }

    @Test
    void neutral_randomArgumentsStreamedInRandomPieces_joinToTheirWholeText() throws Exception {
        java.util.Random random = new java.util.Random(71);
        for (int run = 0; run < 300; run++) {
            java.util.LinkedHashMap<String, Object> args = new java.util.LinkedHashMap<>();
            int members = 1 + random.nextInt(4);
            for (int i = 0; i < members; i++) args.put("m" + i, randomValue(random, 0));
            List<PartialArg> all = new ArrayList<>();
            pieces(random, args, "$", all);
            List<Part> parts = new ArrayList<>(List.of(new PartialFunctionCallPart(null, "f", List.of(), true, null)));
            for (int at = 0; at < all.size(); ) {
                int next = Math.min(all.size(), at + 1 + random.nextInt(3));
                parts.add(new PartialFunctionCallPart(null, null, all.subList(at, next), true, null));
                at = next;
            }
            parts.add(new PartialFunctionCallPart(null, null, List.of(), false, null));
            GeminiChunks chunks = new GeminiChunks("m", () -> 0L);
            GenerateContentAccumulator acc = new GenerateContentAccumulator();
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < parts.size(); i++) {
                GenerateContentResponse r = new GenerateContentResponse(
                        List.of(new Candidate(
                                0,
                                Content.model(parts.get(i)),
                                i == parts.size() - 1 ? "STOP" : null,
                                null,
                                List.of(),
                                List.of())),
                        null,
                        null,
                        "",
                        "r");
                for (ToolCallDelta d : chunks.map(r, Instant.EPOCH, 0).toolCalls()) text.append(d.arguments());
                acc.accept(r);
            }
            assertEquals(Json.write(args), text.toString(), "run " + run + ": " + all);
            assertEquals(
                    args,
                    acc.result().candidates().get(0).functionCalls().get(0).args(),
                    "run " + run);
        }
    }

    @Test
    void streamedArgs_noPieces_isAnEmptyObject() {
        StreamedArgs s = new StreamedArgs();
        assertEquals("{}", s.start() + s.end());
    }

    @Test
    void streamedArgs_outOfOrderPaths_areProtocolErrors() {
        StreamedArgs reopened = new StreamedArgs();
        reopened.start();
        reopened.apply(new PartialArg("$.a.b", 1L, false));
        reopened.apply(new PartialArg("$.c", 1L, false));
        assertThrows(ProtocolException.class, () -> reopened.apply(new PartialArg("$.a.d", 1L, false)));
        StreamedArgs gap = new StreamedArgs();
        gap.start();
        assertThrows(ProtocolException.class, () -> gap.apply(new PartialArg("$.a[1]", 1L, false)));
        StreamedArgs grammar = new StreamedArgs();
        grammar.start();
        assertThrows(ProtocolException.class, () -> grammar.apply(new PartialArg("$..a", 1L, false)));
        assertThrows(ProtocolException.class, () -> grammar.apply(new PartialArg("$", 1L, false)));
    }

    @Test
    void neutral_argumentsBeforeAnyName_areAProtocolError_butAStrayEndIsNothing() throws Exception {
        GeminiChunks chunks = new GeminiChunks("m", () -> 0L);
        MessageChunk stray = chunks.map(chunk("{\"functionCall\":{}}", null), Instant.EPOCH, 0);
        assertTrue(stray.toolCalls().isEmpty());
        assertNull(stray.providerState());
        assertThrows(
                ProtocolException.class,
                () -> chunks.map(
                        chunk(
                                "{\"functionCall\":{\"partialArgs\":[{\"jsonPath\":\"$.a\","
                                        + "\"boolValue\":true}],\"willContinue\":true}}",
                                null),
                        Instant.EPOCH,
                        0));
    }

    @Test
    void json_partialFunctionCallPart_writtenAsRead() throws Exception {
        for (String part : STREAMED) {
            GenerateContentResponse r = chunk(part, null);
            GenerateContentResponse again = GeminiDecoder.response((Map<?, ?>) Json.readValue(GeminiJson.response(r)));
            assertEquals(r, again);
        }
        assertInstanceOf(
                PartialFunctionCallPart.class,
                chunk(STREAMED.get(0), null)
                        .candidates()
                        .get(0)
                        .content()
                        .parts()
                        .get(0));
    }
}
