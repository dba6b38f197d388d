package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The usage line's {@code cache: N read, M written}, where the provider reports its prompt cache. */
class StreamCacheUsageTest {
    private FakeLlmServer server;

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private StreamCommandTest.Result run(String... args) {
        return StreamCommandTest.run(
                StreamEffortTest.directProviders(server.baseUrl().toString()), Terminal.NONE, args);
    }

    private static String usageLine(StreamCommandTest.Result r) {
        return r.err().lines().filter(l -> l.startsWith("usage: ")).findFirst().orElse("");
    }

    @Test
    void stream_anthropicReportsCacheReadAndWrite_usageLineSaysBoth() {
        server.enqueue(FakeResponse.sse("""
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-5-5","content":[],"stop_reason":null,"usage":{"input_tokens":12,"cache_read_input_tokens":1800,"cache_creation_input_tokens":300,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}

                event: message_stop
                data: {"type":"message_stop"}

                """));
        StreamCommandTest.Result r = run("Hello");

        assertEquals(0, r.code(), r.err());
        assertEquals("usage: 12 input tokens, 2 output tokens, cache: 1800 read, 300 written", usageLine(r), r.err());
    }

    @Test
    void stream_openAiReportsCachedPromptTokens_usageLineSaysRead() {
        server.enqueue(FakeResponse.sse("""
                data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-6.1-sol","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}

                data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-6.1-sol","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

                data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-6.1-sol","choices":[],"usage":{"prompt_tokens":2000,"completion_tokens":2,"total_tokens":2002,"prompt_tokens_details":{"cached_tokens":1536}}}

                data: [DONE]

                """));
        StreamCommandTest.Result r = run("--provider", "openai", "--model", "gpt-6.1-sol", "Hello");

        assertEquals(0, r.code(), r.err());
        assertEquals("usage: 464 input tokens, 2 output tokens, cache: 1536 read, 0 written", usageLine(r), r.err());
    }

    @Test
    void stream_noCacheReported_usageLineWithoutCache() {
        server.enqueue(FakeResponse.answer().text("Hi").usage(3, 1));
        StreamCommandTest.Result r = run("Hello");
        assertEquals("usage: 3 input tokens, 1 output token", usageLine(r), r.err());
    }
}
