package dev.sluice.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.ProtocolException;
import dev.sluice.chat.FinishReason;
import dev.sluice.internal.call.stream.StreamRules;
import dev.sluice.openai.ChatCompletionChunk.ToolCallChunk;
import dev.sluice.sse.SseEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiEventDecoderTest {
    private static ChatCompletionEvent decode(String data) {
        return OpenAiStreamDecoding.decode(SseEvent.of(data));
    }

    private static ChatCompletionChunk chunk(String data) {
        return assertInstanceOf(ChatCompletionChunk.class, decode(data));
    }

    @Test
    void decode_done_isDoneEventAndTerminal() {
        ChatCompletionEvent e = decode("[DONE]");
        assertInstanceOf(DoneEvent.class, e);
        assertTrue(OpenAiStreamDecoding.RULES.isTerminal(e));
    }

    @Test
    void decode_fullChunk_readsEveryField() {
        ChatCompletionChunk c = chunk("""
                {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1730000000,"model":"gpt-4o","service_tier":"default",
                 "system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi","refusal":null},
                 "logprobs":{"content":[{"token":"Hi","logprob":-0.5,"bytes":[72,105],"top_logprobs":[]}],"refusal":null},
                 "finish_reason":null}],"usage":null}""");
        assertEquals("chatcmpl-1", c.id());
        assertEquals("chat.completion.chunk", c.object());
        assertEquals(1730000000L, c.created());
        assertEquals("gpt-4o", c.model());
        assertEquals("fp_1", c.systemFingerprint());
        assertEquals("default", c.serviceTier());
        assertNull(c.usage());
        ChatCompletionChunk.ChunkChoice choice = c.choices().getFirst();
        assertEquals(new ChatCompletionChunk.Delta("assistant", "Hi", null, List.of()), choice.delta());
        assertNull(choice.finishReason());
        assertEquals(
                "Hi", ((Map<?, ?>) ((List<?>) ((Map<?, ?>) choice.logprobs()).get("content")).getFirst()).get("token"));
    }

    @Test
    void decode_toolCallPieces_keepIndexIdTypeNameAndArguments() {
        ChatCompletionChunk first = chunk("""
                {"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_1","type":"function",
                "function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}""");
        assertEquals(
                List.of(new ToolCallChunk(1, "call_1", "function", "get_weather", "")),
                first.choices().getFirst().delta().toolCalls());
        ChatCompletionChunk later = chunk("""
                {"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\\"lo"}}]}}]}""");
        assertEquals(
                List.of(new ToolCallChunk(1, null, null, null, "{\"lo")),
                later.choices().getFirst().delta().toolCalls());
    }

    @Test
    void decode_usageChunk_readsCountsAndDetails() {
        ChatCompletionChunk c = chunk("""
                {"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":100,"completion_tokens":20,
                "total_tokens":120,"prompt_tokens_details":{"cached_tokens":64,"audio_tokens":0},
                "completion_tokens_details":{"reasoning_tokens":5}}}""");
        assertEquals(new CompletionUsage(100, 20, 120, 64, 5), c.usage());
        assertTrue(c.choices().isEmpty());
        assertTrue(OpenAiStreamDecoding.isContent(c));
    }

    @Test
    void decode_unknownFieldsEverywhere_areIgnored() {
        ChatCompletionChunk c = chunk("""
                {"id":"c","future":{"a":[1,2,{"b":null}]},"choices":[{"index":0,"extra":true,"delta":{"content":"x",
                "audio":{"id":"a"},"function_call":{"name":"f"},"tool_calls":[{"index":0,"x":1,"function":{"arguments":"","y":2}}]}}]}""");
        assertEquals("x", c.choices().getFirst().delta().content());
    }

    @Test
    void decode_otherShapes_areUnknownEventsNotFailures() {
        assertEquals(
                new UnknownChatCompletionEvent("message", "{\"hello\":\"world\"}"), decode("{\"hello\":\"world\"}"));
        assertEquals(new UnknownChatCompletionEvent("message", "[1,2]"), decode("[1,2]"));
        assertEquals(
                new UnknownChatCompletionEvent("ping", "{}"), OpenAiStreamDecoding.decode(SseEvent.of("ping", "{}")));
        assertFalse(OpenAiStreamDecoding.isContent(decode("{\"hello\":1}")));
    }

    @Test
    void decode_malformedJson_throwsProtocolExceptionNamingEventAndData() {
        String data = "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x" + "y".repeat(400);
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode(data));
        assertTrue(e.getMessage().contains("'message'"), e.getMessage());
        assertTrue(e.getMessage().contains("data: {\"id\":\"c\""), e.getMessage());
        assertTrue(
                e.getMessage().length() < 600,
                "the data is truncated: " + e.getMessage().length());
    }

    @Test
    void decode_knownFieldOfWrongType_throwsProtocolException() {
        ProtocolException e = assertThrows(
                ProtocolException.class,
                () -> decode("{\"id\":\"c\",\"choices\":[{\"index\":\"zero\",\"delta\":{}}]}"));
        assertTrue(e.getMessage().contains("choices[].index"), e.getMessage());
        assertThrows(ProtocolException.class, () -> decode("{\"choices\":[{\"index\":0,\"delta\":{\"content\":5}}]}"));
    }

    @Test
    void inBandError_serverError_isRetryableApiException() {
        ChatCompletionEvent e =
                decode("{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
        assertEquals(new ChatCompletionErrorEvent("server_error", "boom", null, null), e);
        StreamRules.InBandError error =
                OpenAiStreamDecoding.RULES.inBandError(e).orElseThrow();
        assertTrue(error.retryable());
        assertTrue(error.exception(200, java.util.Map.of()).inStream());
        assertEquals("server_error", error.exception(200, java.util.Map.of()).errorType());
        assertEquals(200, error.exception(200, java.util.Map.of()).statusCode());
    }

    @Test
    void inBandError_rateLimitCode_isRetryableAndInvalidRequestIsNot() {
        ChatCompletionEvent limited =
                decode("{\"error\":{\"message\":\"slow\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}");
        assertTrue(OpenAiStreamDecoding.RULES.inBandError(limited).orElseThrow().retryable());
        ChatCompletionEvent invalid = decode(
                "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}");
        StreamRules.InBandError error =
                OpenAiStreamDecoding.RULES.inBandError(invalid).orElseThrow();
        assertFalse(error.retryable());
        ApiException api = error.exception(200, java.util.Map.of());
        assertTrue(api.errorMessage().contains("context_length_exceeded"), api.errorMessage());
    }

    @Test
    void isContent_openingChunkWithRoleOnly_isNotContent() {
        assertFalse(
                OpenAiStreamDecoding.isContent(
                        chunk(
                                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}")));
        assertTrue(OpenAiStreamDecoding.isContent(
                chunk("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}")));
    }

    @Test
    void finishReason_table_mapsOpenAiStrings() {
        assertEquals(FinishReason.Kind.STOP, OpenAiChunks.finishReason("stop").kind());
        assertEquals(
                FinishReason.Kind.LENGTH, OpenAiChunks.finishReason("length").kind());
        assertEquals(
                FinishReason.Kind.TOOL_CALLS,
                OpenAiChunks.finishReason("tool_calls").kind());
        assertEquals(
                FinishReason.Kind.TOOL_CALLS,
                OpenAiChunks.finishReason("function_call").kind());
        assertEquals(
                FinishReason.Kind.CONTENT_FILTER,
                OpenAiChunks.finishReason("content_filter").kind());
        FinishReason other = OpenAiChunks.finishReason("insufficient_system_resource");
        assertEquals(FinishReason.Kind.OTHER, other.kind());
        assertEquals("insufficient_system_resource", other.raw());
    }
}
