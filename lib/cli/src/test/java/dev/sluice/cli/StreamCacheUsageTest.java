package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --cache}, sent as each provider takes it; the usage line's {@code cache: N read, M written}, where the provider reports its prompt cache. */
class StreamCacheUsageTest {
    /** One fake a class, reset between tests as if new. */
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    private StreamCommandTest.Result run(String... args) {
        return StreamEffortTest.runDirect(FAKE.server(), args);
    }

    private static String usageLine(StreamCommandTest.Result r) {
        return r.err().lines().filter(l -> l.startsWith("usage: ")).findFirst().orElse("");
    }

    @Test
    void stream_anthropicReportsCacheReadAndWrite_usageLineSaysBoth() {
        FAKE.server().enqueue(FakeResponse.sse("""
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
        FAKE.server().enqueue(FakeResponse.sse("""
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
        FAKE.server().enqueue(FakeResponse.answer().text("Hi").usage(3, 1));
        StreamCommandTest.Result r = run("Hello");
        assertEquals("usage: 3 input tokens, 1 output token", usageLine(r), r.err());
    }

    @Test
    void stream_cacheOnAnthropic_systemAndPromptMarkedEphemeral() {
        StreamCommandTest.Result r = run("--system", "You are terse.", "--cache", "Hello");

        assertEquals(0, r.code(), r.err());
        RecordedRequest q = FAKE.server().requests().getLast();
        assertEquals("ephemeral", q.json("/system/0/cache_control/type"), q.body());
        assertEquals("ephemeral", q.json("/messages/0/content/0/cache_control/type"), q.body());
    }

    @ParameterizedTest
    @CsvSource({"openai, /prompt_cache_key", "openai-responses, /prompt_cache_key"})
    void stream_cacheOnOpenAi_aStableKeyForModelAndSystem(String provider, String pointer) {
        run("--provider", provider, "--model", "gpt-6.1-sol", "--system", "You are terse.", "--cache", "Hello");
        run("--provider", provider, "--model", "gpt-6.1-sol", "--system", "You are terse.", "--cache", "Other");
        run("--provider", provider, "--model", "gpt-6.1-sol", "--system", "Another.", "--cache", "Hello");

        var sent = FAKE.server().requests().stream()
                .map(q -> String.valueOf(q.json(pointer)))
                .toList();
        assertTrue(sent.get(0).startsWith("sluice-"), sent.toString());
        assertEquals(sent.get(0), sent.get(1), "the same model and system prompt: the same key");
        assertTrue(!sent.get(0).equals(sent.get(2)), "another system prompt: another key");
    }

    @Test
    void stream_cacheOnGemini_nothingSentTheAnswerAsUsual() {
        StreamCommandTest.Result r =
                run("--provider", "gemini", "--model", "gemini-3.6-flash", "--system", "Terse.", "--cache", "Hello");

        assertEquals(0, r.code(), r.err());
        String body = FAKE.server().requests().getLast().body();
        assertTrue(!body.contains("cache"), body);
    }

    /** {@code agent --cache}: the run's first request has its system prompt and prompt marked. */
    @Test
    void agent_cache_systemAndPromptMarked() {
        AgentCommandTest.Result r = AgentCommandTest.run(
                StreamEffortTest.directProviders(FAKE.server().baseUrl().toString()),
                "--system",
                "You are terse.",
                "--cache",
                "What's the weather in Paris?");

        assertEquals(0, r.code(), r.err());
        RecordedRequest first = FAKE.server().requests().getFirst();
        assertEquals("ephemeral", first.json("/system/0/cache_control/type"), first.body());
        assertEquals("ephemeral", first.json("/messages/0/content/0/cache_control/type"), first.body());
    }
}
