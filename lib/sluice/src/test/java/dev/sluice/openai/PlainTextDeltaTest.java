package dev.sluice.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ProtocolException;
import dev.sluice.internal.call.stream.SseFraming;
import dev.sluice.internal.call.stream.StreamProtocol;
import dev.sluice.internal.call.stream.VerbatimProtocol;
import dev.sluice.internal.call.stream.VerbatimProtocol.Verbatim;
import dev.sluice.internal.low.json.JsonScanChecks;
import dev.sluice.sse.SseEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class PlainTextDeltaTest {
    private static final String TYPE = "response.output_text.delta";

    /** Text deltas as servers write them. */
    private static final List<String> PLAIN = List.of(
            // OpenAI
            "{\"type\":\"response.output_text.delta\",\"sequence_number\":4,\"item_id\":\"msg_68af02c1\","
                    + "\"output_index\":0,\"content_index\":0,\"delta\":\"Hello\",\"logprobs\":[],\"obfuscation\":\"x9Lq\"}",
            // Python's separators, another order
            "{\"type\": \"response.output_text.delta\", \"sequence_number\": 5, \"item_id\": \"msg_68af02\", "
                    + "\"output_index\": 0, \"content_index\": 0, \"delta\": \"Silent\", \"logprobs\": []}",
            "{\"delta\":\" world\",\"type\":\"response.output_text.delta\"}",
            // pretty-printed, logprobs given
            "{\n\t\"type\" : \"response.output_text.delta\" ,\r\n \"delta\" : \"a\",\n \"logprobs\": [{\"token\":\"a\","
                    + "\"logprob\":-0.25e-1,\"top_logprobs\":[]}]\n}\n",
            // the rules' words inside the text, escapes, raw non-ASCII
            "{\"type\":\"response.output_text.delta\",\"delta\":\"\\\"type\\\":\\\"response.completed\\\" error usage\"}",
            "{\"type\":\"response.output_text.delta\",\"delta\":\"\\u00e9\\uD83D\\uDE00 \\\\ \\/ \\b\\f\\n\\r\\t 日本語 😀\"}",
            "{\"type\":\"response.output_text.delta\",\"delta\":\"\\u0000\",\"output_index\":1.5,\"item_id\":7,\"x\":{\"y\":[[],{}],\"z\":null}}");

    /** Events that are not plain text deltas, or that the scan cannot be sure of: decoded. */
    private static final List<String> NOT_PLAIN = List.of(
            "",
            "{}",
            // an empty delta, none, not a string
            "{\"type\":\"response.output_text.delta\",\"delta\":\"\"}",
            "{\"type\":\"response.output_text.delta\",\"item_id\":\"m\"}",
            "{\"type\":\"response.output_text.delta\",\"delta\":null}",
            "{\"type\":\"response.output_text.delta\",\"delta\":[\"a\"]}",
            // no type (the decoder would take the event's name), another type
            "{\"delta\":\"a\"}",
            "{\"type\":\"response.output_text.done\",\"delta\":\"a\",\"text\":\"a\"}",
            "{\"type\":\"response.refusal.delta\",\"delta\":\"a\"}",
            "{\"type\":\"response.output_text.delta.x\",\"delta\":\"a\"}",
            "{\"type\":\"error\",\"code\":\"server_error\",\"message\":\"m\",\"delta\":\"a\"}",
            // written twice: the last one counts for the decoder
            "{\"type\":\"response.output_text.delta\",\"delta\":\"a\",\"type\":\"response.completed\"}",
            "{\"type\":\"response.output_text.delta\",\"delta\":\"a\",\"delta\":\"\"}",
            // a name or the type with an escape
            "{\"type\":\"response.output_text.delta\",\"delt\\u0061\":\"a\"}",
            "{\"type\":\"response.output_text.delt\\u0061\",\"delta\":\"a\"}",
            "{\"typ\\u0065\":\"response.completed\",\"type\":\"response.output_text.delta\",\"delta\":\"a\"}",
            // an exponent past an int's range, an escaped surrogate in a name (found by PlainTextDeltaFuzzTest)
            "{\"type\":\"response.output_text.delta\",\"delta\":\"a\",\"x\":1e1000000000}",
            "{\"type\":\"response.output_text.delta\",\"delta\":\"a\",\"x\":{\"\\uDE00\":1}}",
            // a number longer than the scan takes, nesting deeper
            "{\"type\":\"response.output_text.delta\",\"delta\":\"a\",\"x\":1" + "0".repeat(200) + "}",
            "{\"type\":\"response.output_text.delta\",\"delta\":\"a\",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}",
            // longer than the scan takes
            "{\"type\":\"response.output_text.delta\",\"delta\":\"" + "a".repeat(PlainTextDelta.MAX_CHARS) + "\"}");

    /** Malformed: the decoder throws, so the scan must say no. */
    private static final List<String> INVALID = List.of(
            "[\"response.output_text.delta\"]",
            "{\"type\":\"response.output_text.delta\",\"delta\":\"a\"",
            "{\"type\":\"response.output_text.delta\",\"delta\":\"a\"}}",
            "{\"type\":\"response.output_text.delta\",\"delta\":\"a\"} x",
            "{\"type\":\"response.output_text.delta\",\"delta\":\"a\\x\"}",
            "{\"type\":\"response.output_text.delta\",\"delta\":\"a\\u00g1\"}",
            "{\"type\":\"response.output_text.delta\",\"delta\":\"a\tb\"}",
            "{\"type\":\"response.output_text.delta\",\"delta\":\"a\",}",
            "{\"type\":\"response.output_text.delta\",\"delta\":\"a\",\"x\":012}",
            "{\"type\":\"response.output_text.delta\",\"delta\":\"a\",\"x\":tru}",
            "{\"type\":\"response.output_text.delta\",\"delta\":\"a\",\"x\":[1,]}",
            "{\"type\":\"response.output_text.delta\",\"delta\":\"a\",\"x\":1.}");

    private static SseEvent event(String data) {
        return SseEvent.of(TYPE, data);
    }

    /** Asserts that the decoder reads the data, with no error, as a text delta the rules call content and substance only. */
    static void assertDecodesAsPlainText(String data) {
        ResponseStreamEvent e = ResponsesJson.decode(event(data));
        ResponseStreamEvent.OutputTextDelta d = assertInstanceOf(ResponseStreamEvent.OutputTextDelta.class, e, data);
        assertFalse(d.delta().isEmpty(), data);
        var rules = ResponsesStreamDecoding.TYPED;
        assertTrue(rules.isContent(d), data);
        assertTrue(rules.isSubstance(d), data);
        assertFalse(rules.isTerminal(d), data);
        assertFalse(rules.completesAtEndOfInput(d), data);
        assertTrue(rules.inBandError(d).isEmpty(), data);
        assertNull(rules.usage(d), data);
    }

    /** {@return whether the decoder reads the data as a text delta with text} */
    private static boolean decodedPlain(SseEvent event) {
        try {
            return ResponsesJson.decode(event) instanceof ResponseStreamEvent.OutputTextDelta d
                    && !d.delta().isEmpty();
        } catch (ProtocolException refused) {
            return false;
        }
    }

    @Test
    void isPlainTextDelta_serversTextDeltas_trueAndTheDecoderAgrees() {
        for (String data : PLAIN) {
            assertTrue(PlainTextDelta.isPlainTextDelta(data), data);
            assertTrue(PlainTextDelta.INSTANCE.test(event(data)), data);
            assertDecodesAsPlainText(data);
        }
    }

    @Test
    void isPlainTextDelta_otherEventsAndDoubts_false() {
        for (String data : NOT_PLAIN) assertFalse(PlainTextDelta.isPlainTextDelta(data), data);
    }

    @Test
    void isPlainTextDelta_textTheDecoderRefuses_falseSoTheDecoderStillThrows() {
        for (String data : INVALID) {
            assertFalse(PlainTextDelta.isPlainTextDelta(data), data);
            assertThrows(ProtocolException.class, () -> ResponsesJson.decode(event(data)), data);
        }
    }

    @Test
    void test_anotherEventName_false() {
        String data = PLAIN.getFirst();
        assertFalse(PlainTextDelta.INSTANCE.test(SseEvent.of(data)));
        assertFalse(PlainTextDelta.INSTANCE.test(SseEvent.of("response.output_text.done", data)));
    }

    @Test
    void isPlainTextDelta_recordedStreams_everyTextDeltaWithTextAndNothingElse() throws IOException {
        List<JsonScanChecks.Recorded> events = JsonScanChecks.recordedEvents("/openai-responses/text.sse");
        int plain = 0;
        for (JsonScanChecks.Recorded r : events) {
            SseEvent e = r.event();
            boolean scanned = PlainTextDelta.INSTANCE.test(e);
            assertEquals(decodedPlain(e) && e.type().equals(TYPE), scanned, r.file() + ": " + e.data());
            if (scanned) {
                plain++;
                assertDecodesAsPlainText(e.data());
            }
        }
        assertTrue(plain >= 10 && plain < events.size() / 2, plain + " of " + events.size());
    }

    @Test
    void isPlainTextDelta_everyDeletionAndInsertion_trueOnlyWhereTheDecoderReadsATextDelta() {
        int accepted = JsonScanChecks.acceptedMutants(
                PLAIN, PlainTextDelta::isPlainTextDelta, PlainTextDeltaTest::assertDecodesAsPlainText);
        assertTrue(accepted > 1000, "mutants accepted: " + accepted);
    }

    @Test
    void verbatim_plainTextDelta_handedOutUndecodedAsContent_othersDecoded() {
        StreamProtocol<Verbatim<ResponseStreamEvent>> protocol = VerbatimProtocol.of(
                StreamProtocol.of(ResponsesStreamDecoding.SSE, ResponsesStreamDecoding.TYPED),
                m -> null,
                PlainTextDelta.INSTANCE);
        SseFraming<Verbatim<ResponseStreamEvent>> framing =
                (SseFraming<Verbatim<ResponseStreamEvent>>) protocol.framing();
        List<Verbatim<ResponseStreamEvent>> out = new ArrayList<>();
        SseEvent plain = event(PLAIN.getFirst());
        SseEvent empty = event(NOT_PLAIN.get(2));
        SseEvent completed = SseEvent.of(
                "response.completed",
                "{\"type\":\"response.completed\",\"sequence_number\":9,\"response\":{\"id\":\"resp_1\",\"status\":\"completed\","
                        + "\"output\":[],\"usage\":{\"input_tokens\":3,\"output_tokens\":5,\"total_tokens\":8}}}");
        framing.decode(plain, out::add);
        framing.decode(empty, out::add);
        framing.decode(completed, out::add);

        assertEquals(new Verbatim.Content<ResponseStreamEvent>(plain), out.get(0)); // not decoded
        assertInstanceOf(Verbatim.Both.class, out.get(1));
        assertInstanceOf(Verbatim.Both.class, out.get(2));
        var rules = protocol.rules();
        assertTrue(rules.isContent(out.get(0)));
        assertTrue(rules.isSubstance(out.get(0)));
        assertFalse(rules.isTerminal(out.get(0)));
        assertNull(rules.usage(out.get(0)));
        assertFalse(rules.isSubstance(out.get(1))); // an empty delta: decoded, and no substance
        assertTrue(rules.isTerminal(out.get(2)));
        assertEquals(5, Objects.requireNonNull(rules.usage(out.get(2))).outputTokens());
        assertThrows(ProtocolException.class, () -> framing.decode(event(INVALID.get(1)), v -> {}));
    }
}
