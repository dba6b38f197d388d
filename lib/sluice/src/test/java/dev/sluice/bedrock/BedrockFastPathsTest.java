package dev.sluice.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.internal.low.eventstream.EventStreamDecoder;
import dev.sluice.internal.low.eventstream.EventStreamMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * The paths that read a ConverseStream payload from its bytes ({@link ConverseDeltaScanner},
 * {@link BedrockJacksonReading}) against the reference, the map path of
 * {@link BedrockDecoder#event(String, String)}: named cases with their values and the path that must
 * take them, then many generated and mutated payloads, each decoded from a real frame, which must
 * give the same event, or the same error, as the reference.
 */
class BedrockFastPathsTest {
    private final BedrockDecoder decoder = new BedrockDecoder();

    /** {@return the message of one event frame of this type and payload, as the event stream decoder gives it} */
    private static EventStreamMessage frame(String type, byte[] payload) {
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        h.put(":message-type", HeaderValue.fromString("event"));
        h.put(":event-type", HeaderValue.fromString(type));
        h.put(":content-type", HeaderValue.fromString("application/json"));
        ByteBuffer b = new Message(h, payload).toByteBuffer();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        List<EventStreamMessage> out = new ArrayList<>();
        EventStreamDecoder d = new EventStreamDecoder(out::add);
        d.feed(a, 0, a.length);
        d.finish();
        return out.get(0);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Asserts the scanner takes it, giving this event, as the reference does. */
    private void scanned(ConverseEvent expected, String json) {
        byte[] b = utf8(json);
        assertEquals(expected, ConverseDeltaScanner.scan(b, 0, b.length), json);
        assertEquals(expected, decoder.event(frame("contentBlockDelta", b)), json);
        assertEquals(expected, decoder.event("contentBlockDelta", json), json);
    }

    /** Asserts the scanner declines it and the streaming reader takes it, giving this event, as the reference does. */
    private void streamed(String type, ConverseEvent expected, String json) {
        byte[] b = utf8(json);
        if (type.equals("contentBlockDelta")) assertNull(ConverseDeltaScanner.scan(b, 0, b.length), json);
        assertEquals(expected, BedrockJacksonReading.read(type, b, 0, b.length), json);
        assertEquals(expected, decoder.event(frame(type, b)), json);
        assertEquals(expected, decoder.event(type, json), json);
    }

    private static ConverseEvent text(int index, String text) {
        return new ConverseEvent.ContentBlockDelta(index, new ConverseDelta.TextDelta(text));
    }

    @Test
    void scan_compactDeltas_eachKindWithAndWithoutPadding() {
        scanned(
                text(0, "Hello"),
                "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello\"},\"p\":\"abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123\"}");
        scanned(text(123456789, ""), "{\"contentBlockIndex\":123456789,\"delta\":{\"text\":\"\"}}");
        scanned(
                new ConverseEvent.ContentBlockDelta(1, new ConverseDelta.ToolUseDelta("{\"city\":")),
                "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"{\\\"city\\\":\"}},\"p\":\"ab\"}");
        scanned(
                new ConverseEvent.ContentBlockDelta(2, new ConverseDelta.ReasoningTextDelta("hmm")),
                "{\"contentBlockIndex\":2,\"delta\":{\"reasoningContent\":{\"text\":\"hmm\"}},\"p\":\"\"}");
        scanned(
                new ConverseEvent.ContentBlockDelta(2, new ConverseDelta.ReasoningSignatureDelta("EqQBCkYIARgC+/==")),
                "{\"contentBlockIndex\":2,\"delta\":{\"reasoningContent\":{\"signature\":\"EqQBCkYIARgC+\\/==\"}}}");
        scanned(
                new ConverseEvent.ContentBlockDelta(3, new ConverseDelta.RedactedReasoningDelta("AAEC/w==")),
                "{\"contentBlockIndex\":3,\"delta\":{\"reasoningContent\":{\"redactedContent\":\"AAEC/w==\"}},\"p\":\"x\"}");
    }

    @Test
    void scan_escapesAndUnicode_asJacksonReadsThem() {
        scanned(
                text(0, "a\"b\\c/d\be\ff\ng\rh\ti"),
                "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"}}");
        scanned(
                text(0, "é中😀 \u00e9\uD83D\uDE00"),
                "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"é中😀 \\u00E9\\ud83d\\uDE00\"}}");
        scanned(text(0, "lone \uD800 kept"), "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"lone \\ud800 kept\"}}");
        scanned(
                text(0, "ends with \\"),
                "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"ends with \\\\\"},\"p\":\"q\"}");
    }

    @Test
    void scan_anyDeviation_declinedAndTheStreamingReaderAgrees() {
        streamed("contentBlockDelta", text(4, "x"), "{\"delta\":{\"text\":\"x\"},\"contentBlockIndex\":4}");
        streamed("contentBlockDelta", text(0, "x"), "{ \"contentBlockIndex\":0,\"delta\":{\"text\":\"x\"}}");
        streamed(
                "contentBlockDelta",
                text(0, "x"),
                "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"x\"},\"p\":\"a-b\"}");
        streamed(
                "contentBlockDelta",
                text(0, "x"),
                "{\"contentBlockIndex\":00,\"delta\":{\"text\":\"x\"}}".replace("00", "0.9"));
        streamed(
                "contentBlockDelta",
                text(Integer.MAX_VALUE, "x"),
                "{\"contentBlockIndex\":1234567890123,\"delta\":{\"text\":\"x\"}}");
        streamed("contentBlockDelta", text(0, "x"), "{\"contentBlockIndex\":-5,\"delta\":{\"text\":\"x\"}}");
        streamed("contentBlockDelta", text(0, "x"), "{\"contentBlockIndex\":\"3\",\"delta\":{\"text\":\"x\"}}");
        streamed(
                "contentBlockDelta",
                text(1, "x"),
                "{\"contentBlockIndex\":18446744073709551617,\"delta\":{\"text\":\"x\"}}");
        streamed("contentBlockDelta", text(7, "x"), "{\"contentBlockIndex\":7e0,\"delta\":{\"text\":\"x\"}}");
    }

    @Test
    void read_unknownMembersAndDuplicates_skippedOrLastWins() {
        streamed(
                "contentBlockDelta",
                text(1, "x"),
                "{\"contentBlockIndex\":1,\"future\":{\"a\":[1,2.5e3,{\"b\":null}],\"c\":\"\\u00e9\"},"
                        + "\"delta\":{\"text\":\"x\",\"also\":[true,false]},\"p\":\"z\"}");
        streamed(
                "contentBlockDelta",
                text(2, "second"),
                "{\"contentBlockIndex\":1,\"delta\":{\"text\":\"first\"},"
                        + "\"contentBlockIndex\":2,\"delta\":{\"text\":\"second\"}}");
        // a later member of the wrong type is an absent one: the text is gone, the toolUse decides
        streamed(
                "contentBlockDelta",
                new ConverseEvent.ContentBlockDelta(0, new ConverseDelta.ToolUseDelta("")),
                "{\"delta\":{\"text\":\"gone\",\"toolUse\":{\"input\":\"a\",\"input\":7},\"text\":5}}");
        // text wins over the other members whatever their order
        streamed(
                "contentBlockDelta",
                text(0, "t"),
                "{\"delta\":{\"reasoningContent\":{\"text\":\"r\"},\"citation\":{},\"text\":\"t\"}}");
    }

    @Test
    void read_toolInputDeltaWithNestedObjects_inputOnly() {
        streamed(
                "contentBlockDelta",
                new ConverseEvent.ContentBlockDelta(1, new ConverseDelta.ToolUseDelta("{\"path\":\"a\\\\b\"")),
                "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"meta\":{\"deep\":[{\"x\":{\"y\":[1,[2,[3]]]}}]},"
                        + "\"input\":\"{\\\"path\\\":\\\"a\\\\\\\\b\\\"\",\"more\":{}}}}");
        streamed(
                "contentBlockDelta",
                new ConverseEvent.ContentBlockDelta(1, new ConverseDelta.ToolUseDelta("")),
                "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":{\"nested\":\"object\"}}}}");
    }

    @Test
    void read_reasoningKinds_precedenceOfTheMapPath() {
        streamed(
                "contentBlockDelta",
                new ConverseEvent.ContentBlockDelta(0, new ConverseDelta.ReasoningTextDelta("t")),
                "{\"delta\":{\"reasoningContent\":{\"signature\":\"s\",\"text\":\"t\"}}}");
        streamed(
                "contentBlockDelta",
                new ConverseEvent.ContentBlockDelta(0, new ConverseDelta.ReasoningSignatureDelta("s")),
                "{\"delta\":{\"reasoningContent\":{\"redactedContent\":\"r\",\"signature\":\"s\",\"text\":1}}}");
        streamed(
                "contentBlockDelta",
                new ConverseEvent.ContentBlockDelta(0, new ConverseDelta.RedactedReasoningDelta("r")),
                "{\"delta\":{\"reasoningContent\":{\"redactedContent\":\"r\"}},\"contentBlockIndex\":0}");
    }

    @Test
    void read_citationUnknownAndEmptyDeltas_leftToTheMapPath() {
        for (String json : List.of(
                "{\"delta\":{\"citation\":{\"title\":\"doc\"}}}",
                "{\"delta\":{\"image\":{\"format\":\"png\"}}}",
                "{\"delta\":{}}",
                "{\"delta\":[1]}",
                "{\"contentBlockIndex\":0}",
                "{\"delta\":{\"reasoningContent\":{\"x\":1}}}",
                "[1]",
                " {\"delta\":{\"text\":\"x\"}}",
                "{\"delta\":{\"text\":\"x\"}} x")) {
            byte[] b = utf8(json);
            assertNull(BedrockJacksonReading.read("contentBlockDelta", b, 0, b.length), json);
        }
        assertEquals(
                new ConverseEvent.ContentBlockDelta(0, new ConverseDelta.CitationDelta("{\"title\":\"doc\"}")),
                decoder.event(frame("contentBlockDelta", utf8("{\"delta\":{\"citation\":{\"title\":\"doc\"}}}"))));
    }

    @Test
    void read_metadataUsageAndMetrics_numbersAsTheValueModelConverts() {
        streamed(
                "metadata",
                new ConverseEvent.Metadata(new ConverseEvent.ConverseUsage(25, 3, 28, 40, 50), 1234, null),
                "{\"usage\":{\"inputTokens\":25,\"outputTokens\":3,\"totalTokens\":28,\"cacheReadInputTokens\":40,"
                        + "\"cacheWriteInputTokens\":50,\"other\":{\"x\":[1]}},\"metrics\":{\"latencyMs\":1234},\"p\":\"ab\"}");
        streamed(
                "metadata",
                new ConverseEvent.Metadata(
                        new ConverseEvent.ConverseUsage(2, 0, 0, 1, 0), 0, "{\"guardrail\":{\"a\":[1.50,null]}}"),
                "{\"metrics\":{\"latencyMs\":-3},\"usage\":{\"inputTokens\":2.9,\"outputTokens\":\"3\",\"totalTokens\":-1,"
                        + "\"cacheReadInputTokens\":18446744073709551617,\"cacheWriteInputTokens\":null},"
                        + "\"trace\":{\"guardrail\":{\"a\":[1.50,null]}}}");
        streamed(
                "metadata",
                new ConverseEvent.Metadata(new ConverseEvent.ConverseUsage(0, 9, 0, 0, 0), -1, null),
                "{\"usage\":{\"inputTokens\":1},\"metrics\":{\"latencyMs\":5},\"usage\":{\"outputTokens\":9},\"metrics\":[],\"trace\":7}");
    }

    @Test
    void read_otherEvents_asTheMapPath() {
        streamed("messageStart", new ConverseEvent.MessageStart("assistant"), "{\"role\":\"assistant\",\"p\":\"abc\"}");
        streamed("messageStart", new ConverseEvent.MessageStart(""), "{\"role\":{\"a\":1}}");
        streamed(
                "contentBlockStart",
                new ConverseEvent.ContentBlockStart(1, new ConverseEvent.ToolUseStart("tooluse_1", "get_weather")),
                "{\"start\":{\"toolUse\":{\"toolUseId\":\"tooluse_1\",\"name\":\"get_weather\",\"x\":[]}},\"contentBlockIndex\":1}");
        streamed("contentBlockStart", new ConverseEvent.ContentBlockStart(0, null), "{\"start\":{\"toolUse\":{}}}");
        streamed(
                "contentBlockStart",
                new ConverseEvent.ContentBlockStart(0, new ConverseEvent.ToolUseStart("", "")),
                "{\"start\":{\"toolUse\":{\"other\":1}}}");
        streamed("contentBlockStop", new ConverseEvent.ContentBlockStop(5), "{\"contentBlockIndex\":5,\"p\":\"a\"}");
        streamed(
                "messageStop",
                new ConverseEvent.MessageStop("max_tokens", "{\"stop_sequence\":null,\"n\":1.0}"),
                "{\"stopReason\":\"max_tokens\",\"additionalModelResponseFields\":{\"stop_sequence\":null,\"n\":1.0}}");
        streamed(
                "messageStop",
                new ConverseEvent.MessageStop("", null),
                "{\"stopReason\":1,\"additionalModelResponseFields\":\"x\"}");
    }

    @Test
    void wellFormedUtf8_illFormedSequences_refused() {
        for (int[] bad : new int[][] {
            {0x80},
            {0xC0, 0xAF},
            {0xC3},
            {0xE0, 0x80, 0xAF},
            {0xED, 0xA0, 0x80},
            {0xF4, 0x90, 0x80, 0x80},
            {0xF5, 0x80, 0x80, 0x80},
            {0xE2, 0x82},
            {0xF0, 0x9F, 0x98}
        }) {
            byte[] b = new byte[bad.length];
            for (int i = 0; i < bad.length; i++) b[i] = (byte) bad[i];
            assertTrue(!BedrockJacksonReading.wellFormedUtf8(b, 0, b.length), java.util.Arrays.toString(bad));
        }
        assertTrue(BedrockJacksonReading.wellFormedUtf8(
                utf8("é中😀\uD7FF\uE000\uDBFF\uDFFF"), 0, utf8("é中😀\uD7FF\uE000\uDBFF\uDFFF").length));
    }

    // ------------------------------------------------------------------ generated and mutated

    private static final String[] STRINGS = {
        "",
        "Hello",
        "a\\\"b",
        "\\\\",
        "\\/",
        "\\n\\t\\r\\b\\f",
        "\\u00e9\\u4E2D",
        "\\ud83d\\ude00",
        "\\ud800",
        "é中😀",
        "x\\q",
        "\\u12",
        "tab\there",
        "{\\\"k\\\":[1,2]}",
        "\u2028",
        "ü\\u00fc"
    };
    private static final String[] NUMBERS = {
        "0",
        "7",
        "123456789",
        "1234567890",
        "01",
        "-1",
        "1.5",
        "2e2",
        "1e400",
        "-0",
        "99999999999999999999999",
        "\"3\"",
        "null",
        "true",
        "{}",
        "[0]"
    };
    private static final String[] TYPES = {
        "contentBlockDelta",
        "messageStart",
        "contentBlockStart",
        "contentBlockStop",
        "messageStop",
        "metadata",
        "futureEvent"
    };

    private static String pick(Random r, String[] a) {
        return a[r.nextInt(a.length)];
    }

    private static String str(Random r) {
        return "\"" + pick(r, STRINGS) + "\"";
    }

    private static String deltaJson(Random r) {
        return switch (r.nextInt(9)) {
            case 0, 1 -> "{\"text\":" + str(r) + "}";
            case 2 -> "{\"toolUse\":{\"input\":" + (r.nextInt(5) == 0 ? pick(r, NUMBERS) : str(r)) + "}}";
            case 3 ->
                "{\"reasoningContent\":{\"" + pick(r, new String[] {"text", "signature", "redactedContent", "other"})
                        + "\":" + str(r) + "}}";
            case 4 -> "{\"citation\":{\"title\":" + str(r) + "}}";
            case 5 -> "{\"text\":" + str(r) + ",\"toolUse\":{\"input\":" + str(r) + "}}";
            case 6 ->
                "{\"toolUse\":{\"x\":{\"y\":[" + pick(r, NUMBERS) + "]},\"input\":" + str(r) + "},\"text\":"
                        + pick(r, NUMBERS) + "}";
            case 7 -> "{}";
            default -> pick(r, NUMBERS);
        };
    }

    private static String payload(Random r, String type) {
        if (type.equals("contentBlockDelta") && r.nextBoolean()) { // the compact shape Bedrock sends
            String delta = switch (r.nextInt(5)) {
                case 0, 1 -> "{\"text\":" + str(r) + "}";
                case 2 -> "{\"toolUse\":{\"input\":" + str(r) + "}}";
                default ->
                    "{\"reasoningContent\":{\"" + pick(r, new String[] {"text", "signature", "redactedContent"}) + "\":"
                            + str(r) + "}}";
            };
            String padding =
                    r.nextInt(4) == 0 ? "" : ",\"p\":\"" + "abcdefghijklmnop0123".substring(0, r.nextInt(21)) + "\"";
            return "{\"contentBlockIndex\":" + r.nextInt(1000) + ",\"delta\":" + delta + padding + "}";
        }
        List<String> members = new ArrayList<>();
        switch (type) {
            case "contentBlockDelta" -> {
                members.add("\"contentBlockIndex\":"
                        + (r.nextBoolean() ? String.valueOf(r.nextInt(20)) : pick(r, NUMBERS)));
                members.add("\"delta\":" + deltaJson(r));
            }
            case "messageStart" -> members.add("\"role\":" + (r.nextBoolean() ? "\"assistant\"" : pick(r, NUMBERS)));
            case "contentBlockStart" -> {
                members.add("\"contentBlockIndex\":" + pick(r, NUMBERS));
                members.add("\"start\":{\"toolUse\":{\"toolUseId\":" + str(r) + ",\"name\":" + str(r) + "}}");
            }
            case "contentBlockStop" -> members.add("\"contentBlockIndex\":" + pick(r, NUMBERS));
            case "messageStop" -> {
                members.add("\"stopReason\":" + str(r));
                if (r.nextBoolean())
                    members.add("\"additionalModelResponseFields\":{\"a\":[" + pick(r, NUMBERS) + "," + str(r) + "]}");
            }
            case "metadata" -> {
                members.add("\"usage\":{\"inputTokens\":" + pick(r, NUMBERS) + ",\"outputTokens\":" + r.nextInt(1000)
                        + ",\"totalTokens\":" + pick(r, NUMBERS) + "}");
                members.add("\"metrics\":{\"latencyMs\":" + pick(r, NUMBERS) + "}");
                if (r.nextBoolean()) members.add("\"trace\":{\"t\":" + pick(r, NUMBERS) + "}");
            }
            default -> members.add("\"x\":" + pick(r, NUMBERS));
        }
        if (r.nextInt(4) == 0)
            members.add(r.nextInt(members.size() + 1), "\"unknown\":{\"n\":[" + pick(r, NUMBERS) + "," + str(r) + "]}");
        if (r.nextInt(5) == 0) java.util.Collections.shuffle(members, r);
        if (r.nextInt(6) == 0) members.add(members.get(r.nextInt(members.size()))); // a member twice
        if (r.nextInt(3) > 0) members.add("\"p\":\"" + "abcdefghijklmnop".substring(0, r.nextInt(17)) + "\"");
        return "{" + String.join(",", members) + "}";
    }

    private static byte[] mutate(Random r, byte[] b) {
        byte[] m = b.clone();
        switch (r.nextInt(5)) {
            case 0 -> m[r.nextInt(m.length)] = (byte) r.nextInt(256);
            case 1 -> m = java.util.Arrays.copyOf(m, r.nextInt(m.length));
            case 2 -> {
                String structural = "{}[]\",:\\ 0\u0001";
                m[r.nextInt(m.length)] = (byte) structural.charAt(r.nextInt(structural.length()));
            }
            case 3 -> {
                byte[] bad = {(byte) 0xC3, (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xF0, 0};
                m[r.nextInt(m.length)] = bad[r.nextInt(bad.length)];
            }
            default -> {
                int at = r.nextInt(m.length);
                byte[] longer = new byte[m.length + 1];
                System.arraycopy(m, 0, longer, 0, at);
                longer[at] = (byte) " \n\t".charAt(r.nextInt(3));
                System.arraycopy(m, at, longer, at + 1, m.length - at);
                m = longer;
            }
        }
        return m;
    }

    /** {@return the event, or the error's class and message, as a comparable outcome} */
    private static Object outcome(java.util.function.Supplier<ConverseEvent> decode) {
        try {
            return decode.get();
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    @Test
    void event_generatedAndMutatedPayloads_sameEventOrErrorAsTheMapPath() {
        Random r = new Random(70);
        int scanned = 0;
        int streamed = 0;
        for (int n = 0; n < 6000; n++) {
            String type = pick(r, TYPES);
            byte[] b = utf8(payload(r, type));
            if (n % 3 == 2) b = mutate(r, b);
            byte[] bytes = b;
            EventStreamMessage m = frame(type, bytes);
            Object expected = outcome(() -> decoder.event(type, new String(bytes, StandardCharsets.UTF_8)));
            assertEquals(
                    expected,
                    outcome(() -> decoder.event(m)),
                    () -> type + ": " + new String(bytes, StandardCharsets.UTF_8));
            if (type.equals("contentBlockDelta") && ConverseDeltaScanner.scan(bytes, 0, bytes.length) != null)
                scanned++;
            else if (BedrockJacksonReading.read(type, bytes, 0, bytes.length) != null) streamed++;
        }
        assertTrue(
                scanned > 200 && streamed > 1500,
                "each path took its share: scanned " + scanned + ", streamed " + streamed);
    }

    @Test
    void scan_compactDeltaAtEverySplitOfTheBody_sameEvents() {
        ConverseFrames frames = new ConverseFrames();
        frames.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"é中😀\\n\"},\"p\":\"abc\"}");
        frames.event(
                "contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"{\\\"a\\\":1}\"}}}");
        byte[] body = frames.bytes();
        List<ConverseEvent> whole =
                frames.messages().stream().map(decoder::event).toList();
        assertEquals(
                List.of(
                        text(0, "é中😀\n"),
                        new ConverseEvent.ContentBlockDelta(1, new ConverseDelta.ToolUseDelta("{\"a\":1}"))),
                whole);
        for (int split = 1; split < body.length; split++) {
            List<ConverseEvent> got = new ArrayList<>();
            EventStreamDecoder d = new EventStreamDecoder(m -> got.add(decoder.event(m)));
            d.feed(body, 0, split);
            d.feed(body, split, body.length - split);
            d.finish();
            assertEquals(whole, got, "split at " + split);
        }
        assertNotNull(whole);
    }
}
