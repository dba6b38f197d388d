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
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class PlainContentChunkTest {
    /** Plain content chunks as servers write them. */
    static final List<String> PLAIN = List.of(
            // OpenAI
            "{\"id\":\"chatcmpl-AbC\",\"object\":\"chat.completion.chunk\",\"created\":1732000000,"
                    + "\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\","
                    + "\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},"
                    + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"x9Lq\"}",
            // vLLM
            "{\"id\":\"chatcmpl-7f3\",\"object\":\"chat.completion.chunk\",\"created\":1732000000,"
                    + "\"model\":\"meta-llama/Llama-3.1-8B-Instruct\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" world\"},"
                    + "\"logprobs\":null,\"finish_reason\":null,\"stop_reason\":null}]}",
            // Ollama
            "{\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"created\":1732000000,\"model\":\"llama3.2\","
                    + "\"system_fingerprint\":\"fp_ollama\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                    + "\"content\":\"Hi\"},\"finish_reason\":null}]}",
            // LiteLLM (Python's separators)
            "{\"id\": \"chatcmpl-x\", \"created\": 1732000000, \"model\": \"gpt-4o\", \"object\": \"chat.completion.chunk\", "
                    + "\"system_fingerprint\": null, \"choices\": [{\"index\": 0, \"delta\": {\"content\": \"Hi\", \"role\": null, "
                    + "\"function_call\": null, \"tool_calls\": null, \"audio\": null}, \"finish_reason\": null, "
                    + "\"logprobs\": null}], \"stream_options\": {\"include_usage\": true}, \"citations\": [1.5e-3, -2, true]}",
            // OpenRouter
            "{\"id\":\"gen-1732-abc\",\"provider\":\"OpenAI\",\"model\":\"openai/gpt-4o\",\"object\":\"chat.completion.chunk\","
                    + "\"created\":1732000000,\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\","
                    + "\"reasoning\":null,\"reasoning_details\":[]},\"finish_reason\":null,\"native_finish_reason\":null,"
                    + "\"logprobs\":null}]}",
            // pretty-printed
            "{\n\t\"choices\" : [ {\r\n  \"delta\" : { \"content\" : \"a\" } , \"index\" : 12 } ] ,\n \"usage\" : null\n}\n",
            // the rules' words inside the text
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"say \\\"finish_reason\\\":\\\"stop\\\", \\\"usage\\\":{\\\"a\\\":1},"
                    + " \\\"error\\\":{} [DONE]\"},\"finish_reason\":null}]}",
            // escapes, unicode escapes, raw non-ASCII text
            "{\"choices\":[{\"delta\":{\"content\":\"\\u00e9\\uD83D\\uDE00 \\\\ \\/ \\b\\f\\n\\r\\t \\\" 日本語 😀\"}}]}",
            "{\"choices\":[{\"delta\":{\"content\":\"\\u0000\"}}],\"created\":-5,\"x\":{\"y\":[[],{}],\"z\":0.0}}",
            "  {\"choices\":[{\"delta\":{\"content\":\"x\",\"refusal\":null,\"reasoning_content\":null}}],\"created\":null}  ");

    /** Chunks that are not plain content, or that a scan cannot be sure of: decoded. */
    private static final List<String> NOT_PLAIN = List.of(
            "[DONE]",
            "",
            // the opening chunk: an empty content
            "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"},\"finish_reason\":null}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":null}}]}",
            // the end, with and without content
            "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"bye\"},\"finish_reason\":\"stop\"}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"bye\"},\"finish_reason\":\"\"}]}",
            // tool calls
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                    + "\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\",\"tool_calls\":[{\"index\":0,"
                    + "\"function\":{\"arguments\":\"{}\"}}]}}]}",
            // an error, usage
            "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}",
            "{\"choices\":[{\"delta\":{\"content\":\"x\"}}],\"error\":null}",
            "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}",
            "{\"choices\":[{\"delta\":{\"content\":\"x\"}}],\"usage\":{\"prompt_tokens\":5}}",
            "{\"choices\":[{\"delta\":{\"content\":\"x\"}}],\"usage\":null,\"usage\":{\"prompt_tokens\":5}}",
            // more than one choice, a whole completion, logprobs, reasoning details
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}},{\"index\":1,\"delta\":{\"content\":\"b\"}}]}",
            "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"a\"}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"logprobs\":{\"content\":[]}}]}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\",\"reasoning_details\":[{\"type\":\"reasoning.text\"}]}}]}",
            // written twice: the last one counts for the decoder
            "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"choices\":[]}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\",\"content\":\"\"}}]}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\"},\"delta\":{}}]}",
            // a name with an escape
            "{\"choices\":[{\"delta\":{\"cont\\u0065nt\":\"a\"}}]}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\"},\"finish\\u005freason\":\"stop\"}]}",
            // no choices: an unknown object
            "{\"object\":\"chat.completion.chunk\",\"delta\":{\"content\":\"a\"}}",
            // a number longer than the scan takes, an exponent past an int's range, an escaped surrogate in a name
            "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"x\":1" + "0".repeat(200) + "}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"x\":1e1000000000}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"x\":{\"\\uDE00\":1}}");

    /** Malformed or of a shape the decoder refuses: it throws, so the scan must say no. */
    private static final List<String> INVALID = List.of(
            "{\"choices\":[{\"delta\":{\"content\":\"a\"}}]",
            "{\"choices\":[{\"delta\":{\"content\":\"a\"}}]}}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\"}}]} x",
            "{\"choices\":[{\"delta\":{\"content\":\"a\\x\"}}]}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\\u00g1\"}}]}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\tb\"}}]}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\"},}]}",
            "{\"choices\":[{\"delta\":{\"content\":1}}]}",
            "{\"choices\":[{\"index\":\"0\",\"delta\":{\"content\":\"a\"}}]}",
            "{\"choices\":[{\"index\":-1,\"delta\":{\"content\":\"a\"}}]}",
            "{\"choices\":[{\"index\":1.0,\"delta\":{\"content\":\"a\"}}]}",
            "{\"choices\":[{\"index\":null,\"delta\":{\"content\":\"a\"}}]}",
            "{\"choices\":[{\"index\":99999999999,\"delta\":{\"content\":\"a\"}}]}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"created\":1.5}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"created\":\"now\"}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"model\":7}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\",\"role\":1}}]}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\",\"tool_calls\":{}}}]}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"x\":012}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"x\":tru}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"x\":[1,]}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"x\":1.}");

    /** Asserts that the decoder reads the data, with no error, as an event the rules call content and substance only. */
    static void assertDecodesAsPlainContent(String data) {
        ChatCompletionEvent e = OpenAiStreamDecoding.decode(SseEvent.of(data));
        ChatCompletionChunk chunk = assertInstanceOf(ChatCompletionChunk.class, e, data);
        assertTrue(OpenAiStreamDecoding.RULES.isContent(chunk), data);
        assertTrue(OpenAiStreamDecoding.RULES.isSubstance(chunk), data);
        assertFalse(OpenAiStreamDecoding.RULES.isTerminal(chunk), data);
        assertFalse(OpenAiStreamDecoding.RULES.completesAtEndOfInput(chunk), data);
        assertTrue(OpenAiStreamDecoding.RULES.inBandError(chunk).isEmpty(), data);
        assertNull(OpenAiStreamDecoding.RULES.usage(chunk), data);
    }

    @Test
    void isPlainContent_serversContentChunks_trueAndTheDecoderAgrees() {
        for (String data : PLAIN) {
            assertTrue(PlainContentChunk.isPlainContent(data), data);
            assertDecodesAsPlainContent(data);
        }
    }

    @Test
    void isPlainContent_endsErrorsUsageToolCallsAndDoubts_false() {
        for (String data : NOT_PLAIN) assertFalse(PlainContentChunk.isPlainContent(data), data);
    }

    @Test
    void isPlainContent_textTheDecoderRefuses_falseSoTheDecoderStillThrows() {
        for (String data : INVALID) {
            assertFalse(PlainContentChunk.isPlainContent(data), data);
            assertThrows(ProtocolException.class, () -> OpenAiStreamDecoding.decode(SseEvent.of(data)), data);
        }
    }

    /**
     * {@return whether the decoder reads the data as a plain content chunk: one choice whose delta has
     * text, and no end, tool call, usage, logprobs or reasoning details}
     */
    private static boolean decodedPlain(String data) {
        ChatCompletionEvent e;
        try {
            e = OpenAiStreamDecoding.decode(SseEvent.of(data));
        } catch (ProtocolException refused) {
            return false;
        }
        if (!(e instanceof ChatCompletionChunk chunk)) return false;
        if (chunk.usage() != null || chunk.choices().size() != 1) return false;
        ChatCompletionChunk.ChunkChoice c = chunk.choices().getFirst();
        ChatCompletionChunk.Delta d = c.delta();
        return c.finishReason() == null
                && c.logprobs() == null
                && d.content() != null
                && !d.content().isEmpty()
                && d.toolCalls().isEmpty()
                && d.reasoningDetails().isEmpty();
    }

    @Test
    void isPlainContent_recordedStreams_everyPlainContentChunkAndNothingElse() throws IOException {
        String[] recordings = {
            "deepseek-reasoning-content-tool", "error-mid-stream", "ollama-reasoning", "openrouter-reasoning-details",
            "openrouter-reasoning-summary-encrypted", "text-basic", "tool-calls-parallel", "tool-use-weather",
            "truncated-before-done", "vllm-reasoning"
        };
        int plain = 0;
        int chunks = 0;
        for (String name : recordings) {
            String body;
            try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/openai/" + name + ".sse"))) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            for (String line : body.split("\n")) {
                if (!line.startsWith("data: ")) continue;
                String data = line.substring("data: ".length()).strip();
                chunks++;
                boolean scanned = PlainContentChunk.isPlainContent(data);
                assertEquals(decodedPlain(data), scanned, name + ": " + data);
                if (scanned) {
                    plain++;
                    assertDecodesAsPlainContent(data);
                }
            }
        }
        assertEquals(128, chunks);
        assertEquals(35, plain); // the text chunks of these recordings
    }

    @Test
    void test_namedEvent_false() {
        String data = PLAIN.getFirst();
        assertTrue(PlainContentChunk.INSTANCE.test(SseEvent.of(data)));
        assertFalse(PlainContentChunk.INSTANCE.test(SseEvent.of("error", data)));
        assertFalse(PlainContentChunk.INSTANCE.test(SseEvent.of("chunk", data)));
    }

    @Test
    void isPlainContent_everyDeletionAndInsertion_trueOnlyWhereTheDecoderReadsPlainContent() {
        int accepted = JsonScanChecks.acceptedMutants(
                PLAIN, PlainContentChunk::isPlainContent, PlainContentChunkTest::assertDecodesAsPlainContent);
        assertTrue(accepted > 1000, "mutants accepted: " + accepted);
    }

    @Test
    void verbatim_plainContentChunk_handedOutUndecodedAsContent() {
        StreamProtocol<Verbatim<ChatCompletionEvent>> protocol =
                VerbatimProtocol.of(OpenAiStreamDecoding.PROTOCOL, m -> null, PlainContentChunk.INSTANCE);
        SseFraming<Verbatim<ChatCompletionEvent>> framing =
                (SseFraming<Verbatim<ChatCompletionEvent>>) protocol.framing();
        List<Verbatim<ChatCompletionEvent>> out = new ArrayList<>();
        SseEvent plain = SseEvent.of(PLAIN.getFirst());
        SseEvent last = SseEvent.of(NOT_PLAIN.get(6));
        SseEvent done = SseEvent.of("[DONE]");
        framing.decode(plain, out::add);
        framing.decode(last, out::add);
        framing.decode(done, out::add);

        assertEquals(new Verbatim.Content<ChatCompletionEvent>(plain), out.get(0)); // not decoded
        assertInstanceOf(Verbatim.Both.class, out.get(1));
        assertInstanceOf(Verbatim.Both.class, out.get(2));
        for (Verbatim<ChatCompletionEvent> v : out) assertTrue(v.handedOut().isPresent());
        assertEquals(plain, out.get(0).handedOut().orElseThrow());
        var rules = protocol.rules();
        assertTrue(rules.isContent(out.get(0)));
        assertTrue(rules.isSubstance(out.get(0)));
        assertFalse(rules.isTerminal(out.get(0)));
        assertFalse(rules.completesAtEndOfInput(out.get(0)));
        assertTrue(rules.inBandError(out.get(0)).isEmpty());
        assertNull(rules.usage(out.get(0)));
        assertTrue(rules.isContent(out.get(1)));
        assertTrue(rules.isTerminal(out.get(2)));
    }

    @Test
    void verbatim_malformedChunk_stillDecodedAndRefused() {
        StreamProtocol<Verbatim<ChatCompletionEvent>> protocol =
                VerbatimProtocol.of(OpenAiStreamDecoding.PROTOCOL, m -> null, PlainContentChunk.INSTANCE);
        SseFraming<Verbatim<ChatCompletionEvent>> framing =
                (SseFraming<Verbatim<ChatCompletionEvent>>) protocol.framing();
        assertThrows(ProtocolException.class, () -> framing.decode(SseEvent.of(INVALID.getFirst()), v -> {}));
    }
}
