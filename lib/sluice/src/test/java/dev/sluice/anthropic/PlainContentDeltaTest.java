package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ProtocolException;
import dev.sluice.internal.call.stream.SseFraming;
import dev.sluice.internal.call.stream.StreamProtocol;
import dev.sluice.internal.call.stream.StreamRules;
import dev.sluice.internal.call.stream.VerbatimProtocol;
import dev.sluice.internal.call.stream.VerbatimProtocol.Verbatim;
import dev.sluice.internal.low.json.JsonScanChecks;
import dev.sluice.sse.SseEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlainContentDeltaTest {
    private static final String TYPE = "content_block_delta";
    private static final StreamRules<StreamEvent> RULES = AnthropicStreamDecoding.RULES;

    /** Content deltas as servers write them. */
    private static final List<String> PLAIN = List.of(
            // Anthropic's API
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}",
            "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \\\"Par\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Let me see\"}}",
            // Python's separators, another order, members the decoder skips
            "{\"type\": \"content_block_delta\", \"index\": 0, \"delta\": {\"type\": \"text_delta\", \"text\": \"The summary\"}}",
            "{\"delta\":{\"text\":\"a\",\"type\":\"text_delta\",\"x\":[1,{\"y\":null}]},\"index\":12,\"type\":\"content_block_delta\",\"z\":-0.5e3}",
            // pretty-printed
            "{\n\t\"type\" : \"content_block_delta\" ,\r\n \"index\" : 0,\n \"delta\" : { \"type\" : \"text_delta\" , \"text\" : \"a\" }\n}\n",
            // the rules' words inside the text, escapes, raw non-ASCII
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"\\\"type\\\":\\\"message_stop\\\" error\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
                    + "\"text\":\"\\u00e9\\uD83D\\uDE00 \\\\ \\/ \\b\\f\\n\\r\\t 日本語 😀\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"\\u0000\"}}");

    /** Deltas that are not plain content, or that the scan cannot be sure of: decoded. */
    private static final List<String> NOT_PLAIN = List.of(
            "",
            "{}",
            // empty text, none, not a string, the wrong member for the type
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":null}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"text\":\"a\"}}",
            // other deltas: a signature, a citation, a compaction, one of a newer API
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQB\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"citations_delta\",\"citation\":{}}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"compaction_delta\",\"content\":\"a\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta_v2\",\"text\":\"a\"}}",
            // no type (the decoder would take the event's name), another event, no index or delta
            "{\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}",
            "{\"type\":\"message_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}",
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
            "{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0}",
            // an index with a sign, a fraction, too long, a string
            "{\"type\":\"content_block_delta\",\"index\":-1,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0.0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}",
            "{\"type\":\"content_block_delta\",\"index\":9999999999,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}",
            "{\"type\":\"content_block_delta\",\"index\":\"0\",\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}",
            // written twice: the last one counts for the decoder
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"},\"type\":\"ping\"}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\",\"text\":\"\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"},\"delta\":{}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"index\":-1,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"type\":\"signature_delta\",\"text\":\"a\"}}",
            // a name or a type with an escape
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"t\\u0065xt\":\"a\"}}",
            "{\"type\":\"content_block_delt\\u0061\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}",
            // an exponent past an int's range (found by PlainContentDeltaFuzzTest), an escaped surrogate in a name
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\",\"x\":1e1000000000}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"},\"x\":{\"\\uDE00\":1}}",
            // a number longer than the scan takes
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"},\"x\":1"
                    + "0".repeat(200) + "}",
            // longer than the scan takes
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\""
                    + "a".repeat(PlainContentDelta.MAX_CHARS) + "\"}}");

    /** Malformed: the decoder throws, so the scan must say no. */
    private static final List<String> INVALID = List.of(
            "[]",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}} x",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\\x\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\\u00g1\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\tb\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\",}}",
            "{\"type\":\"content_block_delta\",\"index\":01,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"},\"x\":tru}");

    private static SseEvent event(String data) {
        return SseEvent.of(TYPE, data);
    }

    /** Asserts that both decoder paths read the data, with no error, as a delta the rules call content and substance only. */
    static void assertDecodesAsPlainContent(String data) {
        StreamEvent e = AnthropicEventDecoder.decodeWithJackson(event(data));
        assertEquals(e, new AnthropicEventDecoder().decode(event(data)), data);
        ContentBlockDelta d = assertInstanceOf(ContentBlockDelta.class, e, data);
        assertTrue(
                d.delta() instanceof TextDelta
                        || d.delta() instanceof ThinkingDelta
                        || d.delta() instanceof InputJsonDelta,
                data);
        assertTrue(RULES.isContent(d), data);
        assertTrue(RULES.isSubstance(d), data);
        assertFalse(RULES.isTerminal(d), data);
        assertFalse(RULES.completesAtEndOfInput(d), data);
        assertTrue(RULES.inBandError(d).isEmpty(), data);
        assertNull(RULES.usage(d), data);
    }

    /** {@return whether the decoder reads the data as a text, thinking or input-JSON delta with text} */
    private static boolean decodedPlain(SseEvent event) {
        StreamEvent e;
        try {
            e = AnthropicEventDecoder.decodeWithJackson(event);
        } catch (ProtocolException refused) {
            return false;
        }
        return e instanceof ContentBlockDelta d
                && switch (d.delta()) {
                    case TextDelta t -> !t.text().isEmpty();
                    case ThinkingDelta t -> !t.thinking().isEmpty();
                    case InputJsonDelta i -> !i.partialJson().isEmpty();
                    default -> false;
                };
    }

    @Test
    void isPlainContentDelta_serversDeltas_trueAndTheDecoderAgrees() {
        for (String data : PLAIN) {
            assertTrue(PlainContentDelta.isPlainContentDelta(data), data);
            assertTrue(PlainContentDelta.INSTANCE.test(event(data)), data);
            assertDecodesAsPlainContent(data);
        }
    }

    @Test
    void isPlainContentDelta_otherEventsAndDoubts_false() {
        for (String data : NOT_PLAIN) assertFalse(PlainContentDelta.isPlainContentDelta(data), data);
    }

    @Test
    void isPlainContentDelta_textTheDecoderRefuses_falseSoTheDecoderStillThrows() {
        for (String data : INVALID) {
            assertFalse(PlainContentDelta.isPlainContentDelta(data), data);
            assertThrows(ProtocolException.class, () -> AnthropicEventDecoder.decodeWithJackson(event(data)), data);
        }
    }

    @Test
    void test_anotherEventName_false() {
        String data = PLAIN.getFirst();
        assertFalse(PlainContentDelta.INSTANCE.test(SseEvent.of(data)));
        assertFalse(PlainContentDelta.INSTANCE.test(SseEvent.of("message_delta", data)));
    }

    @Test
    void isPlainContentDelta_recordedStreams_everyDeltaWithTextAndNothingElse() throws IOException {
        List<JsonScanChecks.Recorded> events = JsonScanChecks.recordedEvents("/anthropic/text-basic.sse");
        int plain = 0;
        for (JsonScanChecks.Recorded r : events) {
            SseEvent e = r.event();
            boolean scanned = PlainContentDelta.INSTANCE.test(e);
            assertEquals(decodedPlain(e) && e.type().equals(TYPE), scanned, r.file() + ": " + e.data());
            if (scanned) {
                plain++;
                assertDecodesAsPlainContent(e.data());
            }
        }
        assertTrue(plain >= 20 && plain < events.size(), plain + " of " + events.size());
    }

    @Test
    void isPlainContentDelta_everyDeletionAndInsertion_trueOnlyWhereTheDecoderReadsADeltaWithText() {
        int accepted = JsonScanChecks.acceptedMutants(
                PLAIN, PlainContentDelta::isPlainContentDelta, PlainContentDeltaTest::assertDecodesAsPlainContent);
        assertTrue(accepted > 1000, "mutants accepted: " + accepted);
    }

    @Test
    void verbatim_plainContentDelta_handedOutUndecodedAsContent_othersDecoded() {
        StreamProtocol<Verbatim<StreamEvent>> protocol = VerbatimProtocol.of(
                StreamProtocol.of(AnthropicStreamDecoding.SSE, RULES), m -> null, PlainContentDelta.INSTANCE);
        SseFraming<Verbatim<StreamEvent>> framing = (SseFraming<Verbatim<StreamEvent>>) protocol.framing();
        List<Verbatim<StreamEvent>> out = new ArrayList<>();
        SseEvent plain = event(PLAIN.getFirst());
        SseEvent signature = event(NOT_PLAIN.get(7));
        SseEvent stop = SseEvent.of("message_stop", "{\"type\":\"message_stop\"}");
        framing.decode(plain, out::add);
        framing.decode(signature, out::add);
        framing.decode(stop, out::add);

        assertEquals(new Verbatim.Content<StreamEvent>(plain), out.get(0)); // not decoded
        assertInstanceOf(Verbatim.Both.class, out.get(1));
        assertInstanceOf(Verbatim.Both.class, out.get(2));
        var rules = protocol.rules();
        assertTrue(rules.isContent(out.get(0)));
        assertTrue(rules.isSubstance(out.get(0)));
        assertFalse(rules.isTerminal(out.get(0)));
        assertNull(rules.usage(out.get(0)));
        assertTrue(rules.isSubstance(out.get(1)));
        assertTrue(rules.isTerminal(out.get(2)));
        assertThrows(ProtocolException.class, () -> framing.decode(event(INVALID.get(1)), v -> {}));
    }
}
