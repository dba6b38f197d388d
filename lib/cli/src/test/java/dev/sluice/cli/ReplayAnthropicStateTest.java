package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sluice replay --provider anthropic} on the 2026 captures: compaction, a server-side
 * fallback between thinking runs, a refusal with fallback credit, pause_turn,
 * model_context_window_exceeded and an advisor's server-tool result print in the API's own shape,
 * every opaque string as it came, at any chunk size.
 */
class ReplayAnthropicStateTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode replay(String fixture, String chunkSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Sluice.run(
                List.of("replay", "--provider", "anthropic", "--chunk-size", chunkSize),
                new ByteArrayInputStream(resource(fixture + ".sse")),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), text);
        return MAPPER.readTree(text);
    }

    @ParameterizedTest(name = "--chunk-size {0}")
    @ValueSource(strings = {"1", "7", "1048576"})
    void replay_compaction_blockAndEncryptedContentAsReceived(String chunkSize) throws IOException {
        JsonNode m = replay("2026-compaction", chunkSize);
        assertEquals(MAPPER.readTree("""
                {"type":"compaction","content":"Summary: the user is migrating a Maven build to Java 21; modules a, b done; c fails on \\"--release\\" \\u2014 next: fix c.",
                 "encrypted_content":"EqQECkYIBxgCKkB3+/zc0mPq/9xAbCdEf0123456789+/ZZ+q\\\\n=="}"""), m.path("content").path(0));
        assertEquals("compaction", m.path("stop_reason").asText());
        assertEquals(
                "compaction",
                m.path("usage").path("iterations").path(0).path("type").asText());
        assertEquals(
                20480,
                m.path("context_management")
                        .path("applied_edits")
                        .path(0)
                        .path("cleared_input_tokens")
                        .asInt());
    }

    @ParameterizedTest(name = "--chunk-size {0}")
    @ValueSource(strings = {"1", "7", "1048576"})
    void replay_fallback_blockInPlaceSignaturesAsReceivedModelRelabelled(String chunkSize) throws IOException {
        JsonNode m = replay("2026-fallback-thinking", chunkSize);
        assertEquals("claude-sonnet-4-6", m.path("model").asText());
        JsonNode c = m.path("content");
        assertEquals(
                "ErUBCkYIBxgCIkD0p+Opus/Sig+1==", c.path(0).path("signature").asText());
        assertEquals(MAPPER.readTree("""
                {"type":"fallback","from":{"model":"claude-opus-4-7"},"to":{"model":"claude-sonnet-4-6"},
                 "trigger":{"type":"refusal","category":"cyber"}}"""), c.path(1));
        assertEquals(
                "ErUBCkYIBxgCIkDSonnet/Sig+2==", c.path(2).path("signature").asText());
        assertEquals(
                57,
                m.path("usage")
                        .path("output_tokens_details")
                        .path("thinking_tokens")
                        .asInt());
        assertEquals(
                "fallback_message",
                m.path("usage").path("iterations").path(1).path("type").asText());
        assertEquals("fast", m.path("usage").path("speed").asText());
    }

    @ParameterizedTest(name = "--chunk-size {0}")
    @ValueSource(strings = {"1", "7", "1048576"})
    void replay_refusalAndPause_stopDetailsAndReasonsAsReceived(String chunkSize) throws IOException {
        JsonNode refusal = replay("2026-refusal-fallback-credit", chunkSize);
        assertEquals(MAPPER.readTree("""
                {"type":"refusal","category":"bio","explanation":"This request was declined.","fallback_credit_token":"fct_01AbC+/x9==",
                 "fallback_has_prefill_claim":true,"recommended_model":"claude-sonnet-4-6"}"""), refusal.path("stop_details"));
        JsonNode pause = replay("2026-pause-turn", chunkSize);
        assertEquals("pause_turn", pause.path("stop_reason").asText());
        assertEquals(
                "web_fetch_tool_result",
                pause.path("content").path(1).path("type").asText());
    }

    @ParameterizedTest(name = "--chunk-size {0}")
    @ValueSource(strings = {"1", "7", "1048576"})
    void replay_contextWindowExceeded_stopReasonAndTextAsReceived(String chunkSize) throws IOException {
        JsonNode m = replay("2026-context-window-exceeded", chunkSize);
        assertEquals("model_context_window_exceeded", m.path("stop_reason").asText());
        assertEquals(
                "The summary so far covers",
                m.path("content").path(0).path("text").asText());
        assertEquals(7, m.path("usage").path("output_tokens").asInt());
    }

    @ParameterizedTest(name = "--chunk-size {0}")
    @ValueSource(strings = {"1", "7", "1048576"})
    void replay_advisorResult_blockWholeEncryptedContentAsReceived(String chunkSize) throws IOException {
        JsonNode m = replay("2026-advisor", chunkSize);
        JsonNode c = m.path("content");
        assertEquals("server_tool_use", c.path(0).path("type").asText());
        assertEquals("advisor", c.path(0).path("name").asText());
        assertEquals(
                "Is the migration plan sound?",
                c.path(0).path("input").path("question").asText());
        assertEquals(MAPPER.readTree("""
                {"type":"advisor_tool_result","tool_use_id":"srvtoolu_01Adv",
                 "content":{"type":"advisor_redacted_result","encrypted_content":"EvQBCkYIBxgC+/Adv\\u2028isor==\\"q\\"","stop_reason":"end_turn"}}"""), c.path(1));
        assertEquals("The plan holds; do module c last.", c.path(2).path("text").asText());
        assertEquals("end_turn", m.path("stop_reason").asText());
    }

    private static byte[] resource(String name) {
        try (InputStream in = ReplayAnthropicStateTest.class.getResourceAsStream("/anthropic/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
