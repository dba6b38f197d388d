package dev.sluice.cli;

import dev.sluice.bedrock.BedrockClient;
import dev.sluice.mcp.McpClient;

/**
 * The most heap {@code sluice serve}'s limits let it hold at once, worst case, computed at start
 * so that a configuration the heap cannot carry is refused before a client finds out. The
 * estimate, per part (docs/serve.md explains each):
 *
 * <ul>
 * <li>replay buffers: twice {@code --max-streams} (the running streams and as many ended ones kept
 *     for a resume), each {@code 2 × --replay-bytes} (text held as UTF-16 takes up to twice its
 *     UTF-8 bytes) plus {@value #BYTES_PER_EVENT} bytes of objects per buffered event;</li>
 * <li>upstreams: per running stream {@value #UPSTREAM_BYTES} bytes (the provider's response
 *     buffers and the stream's queue of chunks, measured: see the constant) and its request (the
 *     prompt, three copies of UTF-16);</li>
 * <li>AWS event-stream frames, when a provider is reached at Bedrock Runtime with real credentials
 *     (Bedrock's Converse and Claude's invoke-with-response-stream): per running stream one frame
 *     being decoded, at most {@link BedrockClient#MAX_FRAME_BYTES} (what Bedrock sends),
 *     {@value #FRAME_AMPLIFICATION} times over (the frame, and its text as a string: at most 4.7 bytes
 *     allocated per frame byte, measured by {@code BedrockFrameMemoryTest} in sluice);</li>
 * <li>answers: per running stream a gateway completion that is not streamed may hold its answer
 *     until it is whole, at most {@code --replay-bytes} (as JSON in UTF-8, then refused), read from
 *     the upstream whole as well: {@value #ANSWER_COPIES} times over (the upstream's body as bytes
 *     and as text, and the answer decoded from it; the answer written is held once the bytes are
 *     gone);</li>
 * <li>connections: per connection Jetty's buffers, and either a request body (read whole, as bytes
 *     and as text) or, once it is a WebSocket, its largest message and the frames waiting to be sent:
 *     an upgraded connection reads no more bodies, so the larger of the two, not both.</li>
 * <li>tool results (with {@code --mcp}): per MCP server its {@value #CALLS_PER_SERVER} calls in
 *     flight, each a message of up to {@code 4 × --max-tool-result + 64 KiB} bytes (held as
 *     bytes, as text and parsed: four times) and its result (twice, in UTF-16); per running
 *     stream one turn of {@value #CALLS_PER_STREAM} results in UTF-16 (the conversation's copy; the
 *     events are in the replay buffers).</li>
 * </ul>
 *
 * @param maxStreams streams running at once
 * @param replayBytes a replay buffer's bound, in UTF-8 bytes
 * @param replayEvents a replay buffer's bound, in events
 * @param maxPromptChars the longest prompt plus system prompt
 * @param maxConnections connections open at once
 * @param maxRequestBytes the largest request body
 * @param mcpServers the {@code --mcp} servers
 * @param maxToolResultChars the bound of a tool's result ({@code --max-tool-result})
 * @param awsFrames whether a provider offered is reached at Bedrock Runtime with real credentials (its
 *     answers come as AWS event-stream frames)
 */
record MemoryBudget(
        int maxStreams,
        long replayBytes,
        int replayEvents,
        int maxPromptChars,
        int maxConnections,
        int maxRequestBytes,
        int mcpServers,
        int maxToolResultChars,
        boolean awsFrames) {
    static final long BYTES_PER_EVENT = 160;
    /** The heap a frame takes while it is decoded, per byte of it (measured at most 4.7: BedrockFrameMemoryTest). */
    static final long FRAME_AMPLIFICATION = 5;

    /**
     * The heap one running stream holds besides its request: measured, then rounded up. The measure (2026-11-28, JDK 25, the blocking transport):
     * {@code sluice serve} with the gateway's limits of {@code benchmarks/gateway.sh}, between
     * {@code serve-fake --tokens-per-second 1} and 256 streamed completions held open through
     * {@code POST /v1/chat/completions}; the live heap ({@code jcmd PID GC.class_histogram}, which
     * collects first) grew by 12.4 MB over the same server after a warm-up, 48 KB a stream, all of
     * it: the upstream connection's 8 KiB buffers and its SSE parser, the stream, its virtual
     * thread's stack, and Jetty's side of the client's connection as well (byte arrays 27 KB, stack
     * chunks 6 KB), so the connections' part counts some of it twice. A relayed stream's events go
     * to its replay buffer (counted there), not to a queue. Before the blocking transport this was
     * 512 KiB (the JDK client's buffers).
     */
    static final long UPSTREAM_BYTES = 64 * 1024;
    /** A completion not streamed, read whole from the upstream: its body as bytes and as text, and the answer decoded from it (written in place of the bytes). */
    static final long ANSWER_COPIES = 3;

    /** Request headers (8 KiB) and the response buffer (32 KiB): every connection's. */
    static final long CONNECTION_BYTES = (8 + 32) * 1024;

    /** A WebSocket's largest message (64 KiB) and 32 queued frames of 4 KiB: an upgraded connection's instead of a body. */
    static final long WEBSOCKET_BYTES = (64 + 32 * 4) * 1024;

    private static final long MIB = 1024 * 1024;
    /** An MCP client's calls in flight at once ({@code McpClient.Builder.maxConcurrentCalls}'s default). */
    static final int CALLS_PER_SERVER = McpClient.DEFAULT_MAX_CONCURRENT_CALLS;
    /** A run's tool calls at once ({@code ToolRunner.Builder.maxParallelTools}'s default). */
    static final int CALLS_PER_STREAM = 8;

    /** Without MCP servers. */
    MemoryBudget(
            int maxStreams,
            long replayBytes,
            int replayEvents,
            int maxPromptChars,
            int maxConnections,
            int maxRequestBytes) {
        this(
                maxStreams,
                replayBytes,
                replayEvents,
                maxPromptChars,
                maxConnections,
                maxRequestBytes,
                0,
                McpClient.DEFAULT_MAX_RESULT_CHARS,
                false);
    }

    long replayBuffers() {
        return 2L * maxStreams * (2 * replayBytes + replayEvents * BYTES_PER_EVENT);
    }

    long upstreams() {
        return maxStreams * (UPSTREAM_BYTES + 6L * maxPromptChars);
    }

    long frames() {
        return awsFrames ? maxStreams * FRAME_AMPLIFICATION * BedrockClient.MAX_FRAME_BYTES : 0;
    }

    long answers() {
        return maxStreams * ANSWER_COPIES * replayBytes;
    }

    long connections() {
        return maxConnections * (CONNECTION_BYTES + Math.max(WEBSOCKET_BYTES, 3L * maxRequestBytes));
    }

    long toolResults() {
        if (mcpServers == 0) return 0;
        long message = 4L * maxToolResultChars + 64 * 1024;
        return (long) mcpServers * CALLS_PER_SERVER * (4 * message + 4L * maxToolResultChars)
                + (long) maxStreams * CALLS_PER_STREAM * 2L * maxToolResultChars;
    }

    long total() {
        return replayBuffers() + upstreams() + frames() + answers() + connections() + toolResults();
    }

    /** {@return a line for stderr: the total and its parts, in MiB} */
    String describe(long maxHeap) {
        return "worst-case memory of the limits " + mib(total()) + " MiB (" + parts() + ") of a " + mib(maxHeap)
                + " MiB heap";
    }

    private String parts() {
        return "replay buffers " + mib(replayBuffers()) + ", upstreams " + mib(upstreams())
                + (awsFrames ? ", AWS frames " + mib(frames()) : "") + ", answers "
                + mib(answers()) + ", connections " + mib(connections())
                + (mcpServers > 0 ? ", tool results " + mib(toolResults()) : "");
    }

    /**
     * Refuses limits that could take more than half the heap.
     *
     * @throws UsageException naming the flags that set them
     */
    void check(long maxHeap) throws UsageException {
        if (total() <= maxHeap / 2) return;
        throw new UsageException("the limits could hold " + mib(total()) + " MiB (" + parts() + "), more than half the "
                + mib(maxHeap) + " MiB heap: lower --max-streams, --replay-bytes"
                + (mcpServers > 0 ? ", --max-connections or --max-tool-result" : " or --max-connections")
                + ", or give Java more heap (-Xmx; through ./sluice, JDK_JAVA_OPTIONS=-Xmx1g)");
    }

    private static long mib(long bytes) {
        return (bytes + MIB - 1) / MIB;
    }
}
