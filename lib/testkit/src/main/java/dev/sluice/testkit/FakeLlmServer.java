package dev.sluice.testkit;

import dev.sluice.testkit.internal.answer.ReplyPlanner;
import dev.sluice.testkit.internal.http.Exchange;
import dev.sluice.testkit.internal.http.LoopbackHttp;
import dev.sluice.testkit.internal.http.Pacing;
import dev.sluice.testkit.internal.wire.OpaqueSigner;
import dev.sluice.testkit.internal.wire.anthropic.AnthropicWire;
import dev.sluice.testkit.internal.wire.azure.AzureEntra;
import dev.sluice.testkit.internal.wire.azure.AzureWire;
import dev.sluice.testkit.internal.wire.bedrock.AwsTokenEndpoints;
import dev.sluice.testkit.internal.wire.bedrock.BedrockAnthropicWire;
import dev.sluice.testkit.internal.wire.bedrock.BedrockCompatibleWire;
import dev.sluice.testkit.internal.wire.bedrock.BedrockConverseWire;
import dev.sluice.testkit.internal.wire.gemini.GeminiWire;
import dev.sluice.testkit.internal.wire.openai.OpenAiResponsesWire;
import dev.sluice.testkit.internal.wire.openai.OpenAiWire;
import dev.sluice.testkit.internal.wire.vertex.VertexAnthropicWire;
import dev.sluice.testkit.internal.wire.vertex.VertexGeminiWire;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A fake LLM API on loopback: real HTTP/1.1 on 127.0.0.1, every provider's endpoints on one port:
 * the Anthropic Messages API ({@code POST /v1/messages}), OpenAI Chat Completions ({@code POST /v1/chat/completions}),
 * the OpenAI Responses API ({@code POST /v1/responses}) and Google Gemini
 * ({@code POST /v1beta/models/{model}:streamGenerateContent?alt=sse} and {@code :generateContent}),
 * and, in the last sections, the clouds: Amazon Bedrock Runtime ({@code POST /model/{modelId}/converse-stream},
 * {@code /model/{modelId}/invoke-with-response-stream} and {@code /model/{modelId}/invoke}, AWS event
 * streams) with AWS's credential endpoints, Google Vertex AI
 * ({@code POST /v1/projects/{project}/locations/{location}/publishers/google/models/{model}:streamGenerateContent}
 * and {@code .../publishers/anthropic/models/{model}:streamRawPredict}) with Google's token endpoint and
 * metadata server, and Azure OpenAI ({@code POST /openai/v1/chat/completions}, {@code /openai/v1/responses})
 * and Claude on Microsoft Foundry ({@code POST /anthropic/v1/messages}) with Entra ID's token endpoints,
 * streaming (Server-Sent Events) and non-streaming, for tests, examples, demos and benchmarks that
 * must run offline. Point a client at {@link #baseUrl()}, script what it gets, look at what it sent:
 *
 * <pre>{@code
 * try (FakeLlmServer server = FakeLlmServer.start()) {
 *     server.enqueue(FakeResponse.answer().text("Hello", ", world"));
 *     URI base = server.baseUrl();          // http://127.0.0.1:PORT, the client appends /v1/messages
 *     ...                                   // the client streams "Hello, world"
 *     assertEquals("/v1/messages", server.takeRequest().path());
 * }
 * }</pre>
 *
 * <h2>Scripting and recording</h2>
 * Each request takes the next {@linkplain #enqueue enqueued} {@link FakeResponse}, whatever its
 * path, written in the wire format of the endpoint called; when none is left the
 * {@linkplain FakeLlmServer#setDispatcher dispatcher} decides, by default {@link FakeResponse#answerPrompt()}:
 * the server's own answer, described below. Every request is recorded ({@link #takeRequest()},
 * {@link #requests()}) unless the {@linkplain Builder#recordRequests builder} says not to.
 *
 * <p>Every API plays the same scenario (answer, tool call, pacing, faults); only the wire format
 * differs. What follows describes the server's own answers in the Anthropic API; for OpenAI see
 * the last section (the fault model names work for every API; Gemini's errors have its shape).
 *
 * <h2>What it answers</h2>
 * Requests are validated like the real API: a missing or blank {@code x-api-key} header is a 401
 * {@code authentication_error} (any non-empty key is accepted); a missing {@code anthropic-version}
 * header, a content type other than JSON, malformed JSON or a missing/invalid {@code model},
 * {@code max_tokens}, {@code messages}, {@code system}, {@code tools}, {@code thinking},
 * {@code stream} or {@code stop_sequences} is a 400 {@code invalid_request_error} (as in the API,
 * a thinking {@code budget_tokens} must be at least 1024 and below {@code max_tokens}). Every response
 * has a {@code request-id} header ({@code req_fake_...}); error bodies have the API's shape
 * {@code {"type":"error","error":{"type":...,"message":...},"request_id":...}}.
 *
 * <p>The answer is one fixed text that quotes the prompt's start ("This is the fake model's answer to
 * "..."."), the same for every prompt; a test that needs particular words scripts them. (The
 * {@code sluice} tool's demo model, in the {@code sluice-demo} artifact, answers in words instead when it
 * is on the class path: docs/testkit.md.) It is a function of the
 * conversation and the {@linkplain Builder#seed seed}, so the same prompt gives the same answer. It
 * is streamed as {@code text_delta}s of one to three words, and its usage counts tokens as a
 * tokeniser would (about four characters of English a token, at least one a delta). With {@code tools}, when the prompt calls for one (the rules are
 * {@code ToolPlan}'s: a {@code [[call NAME ARGS]]} directive, the weather or counting with the demo
 * tools, a tool named in the prompt, or the word "tool"), a short text block is followed by
 * {@code tool_use} blocks whose input (built from the tool's {@code input_schema}) is streamed as
 * {@code input_json_delta} fragments, and the stop reason is {@code tool_use}; otherwise, and when
 * the last user message carries a {@code tool_result}, a plain answer. With
 * {@code "thinking":{"type":"enabled",...}}, a thinking block with a {@code signature_delta} comes
 * first. A last assistant message is a prefill, as in the API: the answer goes on from it (the rest
 * of the answer after it, when the answer starts with it; else the whole answer), and a prefill
 * that ends in whitespace is a 400 {@code invalid_request_error}
 * ({@code final assistant content cannot end with trailing whitespace}). {@code POST /v1/messages/count_tokens} answers {@code {"input_tokens":N}} with the count the
 * same request's message would report (a {@code max_tokens}, {@code stream} or sampling field is a
 * 400, as in the API). {@code max_tokens} truncates the answer at that many tokens (stop reason {@code max_tokens}; a tool_use block
 * that would not fit whole is left out); a matching stop sequence ends it (stop reason
 * {@code stop_sequence}). Usage: input tokens are about a quarter of the prompt's characters,
 * output tokens the number of deltas.
 *
 * <p>A request for structured output ({@code output_config.format} with a JSON Schema, or a
 * {@code tool_choice} forcing one tool) is answered with JSON valid against that schema, filled
 * from the prompt where it can (its numbers, quoted text and words), as text deltas or as the forced
 * call's {@code input_json_delta}s, in fragments of a few characters; {@link FakeResponse#object()}
 * scripts one, with faults. Every API has its own shape for it (docs/testkit.md).
 *
 * <h2>Faults, selected by the model name</h2>
 * <table>
 * <caption>Model names that inject faults</caption>
 * <tr><th>model</th><th>response</th></tr>
 * <tr><td>{@code fake-overloaded}</td><td>HTTP 529 {@code overloaded_error}</td></tr>
 * <tr><td>{@code fake-rate-limited}</td><td>HTTP 429 {@code rate_limit_error} with {@code retry-after: 1}</td></tr>
 * <tr><td>{@code fake-flaky-N}</td><td>the first N requests with this model name (counted per
 *     server) get HTTP 529 {@code overloaded_error}, later ones a normal answer; N is 1 to 1000</td></tr>
 * <tr><td>{@code fake-error-mid-stream}</td><td>after three content deltas, an {@code error} event
 *     with {@code overloaded_error}, then the body ends (non-streaming: HTTP 529)</td></tr>
 * <tr><td>{@code fake-drop}</td><td>after three content deltas the connection is closed abruptly,
 *     without {@code message_stop} or the final chunk (non-streaming: closed before any response); a
 *     request that ends with an assistant prefill (a resuming client's continuation) is answered in full</td></tr>
 * <tr><td>{@code fake-stall}</td><td>after three content deltas nothing more is sent, until the
 *     client or the server closes or five minutes pass, then the connection is dropped (non-streaming: no response)</td></tr>
 * <tr><td>{@code fake-not-sse}</td><td>HTTP 200 with {@code application/json} (the complete
 *     message) even when streaming was asked for</td></tr>
 * <tr><td>{@code fake-echo-headers}</td><td>HTTP 400 {@code invalid_request_error} whose message
 *     repeats every request header with its value, the API key included, as a careless proxy
 *     does: for tests that a client keeps keys out of what it reports</td></tr>
 * <tr><td>{@code fake-first-token-MS}</td><td>a normal answer whose first event comes MS
 *     milliseconds (0 to 600000) after the request, then at the server's pace; the wait watches
 *     the connection, so a client that leaves ends the request at once</td></tr>
 * <tr><td>{@code fake-heavy-tail}</td><td>as {@code fake-first-token-MS}, the wait drawn per
 *     request from a heavy tail: 97.5 % around 250 ms, 2.5 % from 1 s up (Pareto, shape 1.5, at
 *     most 30 s); a 99th percentile near 2 s, a 99.9th near 9 s. For hedging and timeouts</td></tr>
 * <tr><td>{@code fake-echo-headers-mid-stream}</td><td>after three content deltas, the {@code error}
 *     event of {@code fake-error-mid-stream} with that message (non-streaming: the HTTP 400)</td></tr>
 * </table>
 * Any other model name starting with {@code fake-} is a 404 {@code not_found_error}, so a typo
 * does not pass silently; every other model name is echoed in a normal answer.
 *
 * <h2>Pacing</h2>
 * Headers are sent at once; the first event comes after the {@linkplain Builder#firstTokenDelay
 * first-token delay}, then the deltas at {@linkplain Builder#tokensPerSecond tokens per second}
 * (by default 0: everything at once; 70 is a model's pace), a delta of several tokens taking as
 * long as they would, each event flushed as it is written. A
 * non-streaming answer takes as long as the stream would. A rate of 0 turns pacing off (and the
 * first-token delay, unless set). {@link FakeResponse#paced} sets one response's pace.
 *
 * <h2>OpenAI Chat Completions</h2>
 * Requires {@code Authorization: Bearer <non-empty key>} (else 401 {@code invalid_api_key}); reads
 * {@code model}, {@code messages} (system, developer, user, assistant with {@code tool_calls},
 * tool), {@code tools} (function tools; the first one is called with arguments built from its
 * {@code parameters}), {@code max_completion_tokens} or {@code max_tokens} (default 4096),
 * {@code stop}, {@code stream} and {@code stream_options.include_usage}. A stream is
 * {@code chat.completion.chunk} objects (role first, content or {@code tool_calls} deltas, a
 * finish-reason chunk, the usage chunk with empty {@code choices} when asked for) ending with
 * {@code data: [DONE]}; request ids are in {@code x-request-id}, rate limits in
 * {@code x-ratelimit-*-requests} (1000, 999 left; Anthropic's {@code anthropic-ratelimit-requests-*}
 * alike); errors are
 * {@code {"error":{"message","type","param","code"}}}. Faults by model name as above, except
 * that an overload is HTTP 503 {@code server_error} and a mid-stream error is an
 * {@code {"error":{"type":"server_error",...}}} chunk. Reasoning streams as OpenAI-compatible
 * servers send it for {@code deepseek-*} ({@code reasoning_content}, and DeepSeek's 400 for an
 * assistant message of a tool-call turn sent back without it), {@code fake-reasoning-content},
 * {@code fake-reasoning} ({@code reasoning}) and {@code fake-reasoning-details} (OpenRouter's
 * signed {@code reasoning_details}, an altered signature a 400); each such 400 counts in
 * {@link #opaqueRejections()} (docs/testkit.md).
 *
 * <h2>Amazon Bedrock Runtime</h2>
 * Requests are authenticated as AWS does: a Signature Version 4 with the test key of
 * {@link dev.sluice.testkit.clouds.FakeBedrock} (recomputed and compared; a mismatch is HTTP 403
 * {@code InvalidSignatureException}, a date more than 15 minutes off {@code Signature expired}, another
 * key {@code UnrecognizedClientException}), or {@code Authorization: Bearer} its API key. The Converse
 * stream is {@code messageStart}, {@code contentBlockStart} (tool use), {@code contentBlockDelta}
 * (text, tool input, reasoning and its signature), {@code contentBlockStop}, {@code messageStop},
 * {@code metadata}; Anthropic on Bedrock sends the Anthropic events base64 in {@code chunk}s, the last
 * with {@code amazon-bedrock-invocationMetrics}. Errors are AWS's JSON protocol's ({@code {"message"}},
 * {@code x-amzn-ErrorType}, {@code x-amzn-RequestId}): an overload HTTP 503
 * {@code ServiceUnavailableException}, the rate limit 429 {@code ThrottlingException}, a mid-stream
 * error a {@code modelStreamErrorException} message. Faults by model name as above.
 *
 * <p>Bedrock's OpenAI-compatible and mantle endpoints: OpenAI's Chat Completions and Responses on the
 * runtime host ({@code POST /openai/v1/chat/completions}, {@code /openai/v1/responses}, signed for
 * {@code bedrock}; the paths Azure's routes share, claimed for a request with AWS's credentials), and on
 * the mantle host, which the fake serves under {@link dev.sluice.testkit.clouds.FakeBedrock#MANTLE_PATH}
 * ({@code /mantle/v1/chat/completions}, {@code /mantle/v1/responses}, both under
 * {@code /mantle/openai/v1} too, and Anthropic's {@code /mantle/anthropic/v1/messages} with its
 * {@code anthropic-version} header; signed for {@code bedrock-mantle}). The same test key or API key; a
 * signature for the other host's service is a 403 {@code InvalidSignatureException}. The requests,
 * streams and other errors are OpenAI's and Anthropic's, as above; {@code x-amzn-RequestId} on every answer.
 *
 * <h2>Google Vertex AI</h2>
 * Requests want {@code Authorization: Bearer} the token the fake issues,
 * {@link dev.sluice.testkit.clouds.FakeVertex#ACCESS_TOKEN} (else HTTP 401 {@code UNAUTHENTICATED}), and
 * its project {@link dev.sluice.testkit.clouds.FakeVertex#PROJECT} in the path (else 403
 * {@code PERMISSION_DENIED}); any location. Gemini's requests are then read and answered as on Gemini's
 * API; Claude's ({@code :streamRawPredict}, {@code :rawPredict}, {@code count-tokens:rawPredict}) want
 * {@code "anthropic_version": "vertex-2023-10-16"} and no {@code model} in the body, and get the
 * Anthropic events. Errors of Vertex AI's front end have Google's shape (429 {@code RESOURCE_EXHAUSTED},
 * 404 {@code NOT_FOUND}). The token comes from {@code POST /token}, Google's OAuth 2.0 token endpoint
 * (a service account's RS256 assertion, verified with the test key, or gcloud's refresh token), or from
 * the metadata server's {@code /computeMetadata/v1/...} routes, which want {@code Metadata-Flavor: Google}.
 *
 * <h2>AWS credential endpoints</h2>
 * Where AWS's credential chain fetches temporary credentials, each handing out the test key with a
 * session token and an hour's expiration: STS {@code AssumeRoleWithWebIdentity} ({@code POST /sts},
 * XML), the container credentials endpoint ({@code GET /container-credentials}, JSON, its
 * {@code Authorization} checked), and IMDSv2 ({@code PUT /latest/api/token}, then
 * {@code /latest/meta-data/iam/security-credentials/} and the role's credentials); see
 * {@link dev.sluice.testkit.clouds.FakeBedrock} for the values they accept. These requests are
 * neither recorded nor answered by an enqueued response or the dispatcher.
 *
 * <h2>Microsoft Azure OpenAI and Foundry</h2>
 * Azure OpenAI's v1 API ({@code POST /openai/v1/chat/completions} and {@code /openai/v1/responses})
 * and Claude on Microsoft Foundry ({@code POST /anthropic/v1/messages}) answer as the OpenAI and
 * Anthropic APIs above, under Azure's gateway: the key of {@link dev.sluice.testkit.clouds.FakeAzure}
 * ({@code api-key}; {@code x-api-key} on Foundry) or a bearer token the server's own Entra ID issued,
 * else HTTP 401 {@code {"error":{"code":"401","message":...}}}; {@code apim-request-id} on every
 * answer; the rate limit a 429 with code {@code 429}, {@code retry-after} and {@code retry-after-ms}.
 * A Chat Completions stream opens with Azure's chunk of empty {@code choices} and
 * {@code prompt_filter_results}. The Entra ID token endpoint ({@code POST /{tenant}/oauth2/v2.0/token},
 * client secret or {@code client_assertion}) and App Service's managed identity endpoint
 * ({@link dev.sluice.testkit.clouds.FakeAzure#IDENTITY_PATH}) issue the tokens.
 *
 * <h2>Threading and closing</h2>
 * Thread-safe. One virtual thread per connection; connections are kept alive between requests.
 * {@link #close()} stops accepting, ends every in-flight request (streams are cut off) and waits,
 * bounded, for their threads to end; it is idempotent and safe from any thread.
 *
 * <p>Why this file is long: half Javadoc; the server's one page of documentation, every provider's and
 * cloud's routes on one port, is its class comment.
 */
public final class FakeLlmServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FakeLlmServer.class.getName());
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final Duration TAKE_WAIT = Duration.ofSeconds(10);

    // Set once by the constructor; the queue, the dispatcher and the records are each thread-safe.
    private final FakeHandler handler;
    private final boolean record;
    private final LoopbackHttp http;
    private final ConcurrentLinkedQueue<FakeResponse> queue = new ConcurrentLinkedQueue<>();
    private volatile Function<RecordedRequest, FakeResponse> dispatcher = FakeLlmServer::prompt;
    private final List<RecordedRequest> recorded = new CopyOnWriteArrayList<>();
    private final BlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();
    private final @Nullable Consumer<RecordedRequest> onClientClosed; // null: none
    private final AwsTokenEndpoints aws = new AwsTokenEndpoints();
    private final OpaqueSigner opaque = new OpaqueSigner(); // this server's key for the opaque values it issues

    private FakeLlmServer(Builder b, Duration firstTokenDelay) {
        // The one place the served APIs are registered; the first also answers unknown paths.
        AzureEntra entra = new AzureEntra();
        this.handler = new FakeHandler(
                List.of(
                        new AnthropicWire(opaque),
                        new OpenAiWire(),
                        new OpenAiResponsesWire(),
                        new GeminiWire(),
                        new BedrockConverseWire(),
                        new BedrockAnthropicWire(opaque),
                        new BedrockAnthropicWire.Invoke(opaque),
                        new BedrockCompatibleWire(BedrockCompatibleWire.Api.RUNTIME_CHAT, opaque),
                        new BedrockCompatibleWire(BedrockCompatibleWire.Api.RUNTIME_RESPONSES, opaque),
                        new BedrockCompatibleWire(BedrockCompatibleWire.Api.MANTLE_CHAT, opaque),
                        new BedrockCompatibleWire(BedrockCompatibleWire.Api.MANTLE_RESPONSES, opaque),
                        new BedrockCompatibleWire(BedrockCompatibleWire.Api.MANTLE_MESSAGES, opaque),
                        new VertexGeminiWire(),
                        new VertexAnthropicWire(opaque),
                        new AzureWire(AzureWire.Api.CHAT, entra),
                        new AzureWire(AzureWire.Api.RESPONSES, entra),
                        new AzureWire(AzureWire.Api.FOUNDRY, entra, opaque)),
                List.of(entra),
                new ReplyPlanner(b.seed),
                new Pacing(firstTokenDelay.toNanos(), b.tokensPerSecond),
                b.stallLimit,
                b.rateLimitEvery,
                b.rateLimitRetryAfter);
        this.record = b.record;
        this.onClientClosed = b.onClientClosed;
        this.http = new LoopbackHttp(b.port, FakeHandler.MAX_BODY_BYTES + 1, this::answer);
        LOG.log(System.Logger.Level.DEBUG, "fake LLM server listening on {0}", baseUrl());
    }

    /**
     * {@return a server listening on an ephemeral port, with the defaults: no pacing, requests recorded}
     *
     * @throws UncheckedIOException if no port can be bound
     */
    public static FakeLlmServer start() {
        return builder().start();
    }

    /** {@return a builder with the defaults: ephemeral port, no pacing, seed 0, requests recorded} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the port it listens on} */
    public int port() {
        return http.port();
    }

    /** {@return {@code http://127.0.0.1:PORT}, without the version path (the client appends {@code /v1/messages})} */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Adds responses for the next requests, in order, after any already queued. */
    public void enqueue(FakeResponse... responses) {
        Objects.requireNonNull(responses, "responses");
        for (FakeResponse r : responses) queue.add(Objects.requireNonNull(r, "a response is null"));
    }

    /**
     * Sets how a request is answered when no enqueued response is left: the function gets the
     * request and returns its response (it runs on the request's thread and must not return
     * null). The default answers every request with {@link FakeResponse#answerPrompt()}.
     */
    public void setDispatcher(Function<RecordedRequest, FakeResponse> dispatcher) {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    }

    /**
     * {@return the oldest request not yet taken, waiting up to ten seconds for one to arrive}
     *
     * @throws AssertionError if none arrives in time
     * @throws IllegalStateException if the builder turned recording off
     */
    public RecordedRequest takeRequest() {
        return takeRequest(TAKE_WAIT);
    }

    /**
     * {@return the oldest request not yet taken, waiting up to {@code timeout} for one to arrive}
     *
     * @throws AssertionError if none arrives in time
     * @throws IllegalStateException if the builder turned recording off
     */
    public RecordedRequest takeRequest(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (!record) throw new IllegalStateException("this server records no requests: see Builder.recordRequests");
        try {
            RecordedRequest r = untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (r == null)
                throw new AssertionError("no request arrived within " + timeout + " (" + requestCount() + " in all)");
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a request", e);
        }
    }

    /** {@return every request received so far, in order, taken or not; none when recording is off} */
    public List<RecordedRequest> requests() {
        return List.copyOf(recorded);
    }

    /** {@return how many requests reached the server since it started, valid or not, recorded or not} */
    public int requestCount() {
        return (int) handler.requestCount();
    }

    /**
     * {@return how many opaque values came back to this server missing or altered, or came though
     * it never issued them (a foreign provider's signature, encrypted reasoning from elsewhere)}
     * This server issues each opaque value as an HMAC with a key of its own, so it recognizes the
     * others. Anthropic's thinking signatures, redacted thinking and compaction
     * {@code encrypted_content} (on Anthropic's API and the clouds that carry it) count one a field,
     * whether or not the request was refused for it (a scripted answer is sent anyway); the other
     * APIs' count one a request, answered as the real API answers it, with a 400: Gemini's thought
     * signatures (altered, made up, or another server's or API's);
     * the Responses API's encrypted reasoning and compaction items; DeepSeek's missing
     * {@code reasoning_content} on an assistant message of a tool-call turn; an altered or missing
     * {@code reasoning_details} signature behind an OpenRouter-style model (see docs/testkit.md). A
     * conversation that carries every provider's state back to that provider only, unchanged, keeps
     * it at 0; the JUnit extension's reset between tests sets it back to 0. Any thread.
     */
    public long opaqueRejections() {
        return handler.opaqueRejections() + opaque.rejections();
    }

    /**
     * {@return how many requests are being answered right now} A stream counts until it ends or
     * the client closes its connection: a paced stream notices that while it waits for its next
     * event (it reads the connection meanwhile, as a server's background read does, so a client
     * that sends its FIN but has not released its socket yet is noticed too), an unpaced one
     * when a write fails; a stalled one counts until the client closes the connection. So a test
     * can see an abandoned stream's connection closed.
     */
    public int activeRequests() {
        return handler.activeHandlers();
    }

    /**
     * Stops the server: no new connections, in-flight requests and streams are ended at once, and
     * their threads are awaited for up to five seconds. Once it returns the port refuses
     * connections, also when the calling thread was interrupted (whose interrupt is kept).
     * Idempotent; never throws.
     */
    @Override
    public void close() {
        handler.shutDown();
        try {
            if (!http.close(CLOSE_WAIT)) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "fake server: {0} request threads still running after close",
                        handler.activeHandlers());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.log(System.Logger.Level.DEBUG, "fake LLM server closed");
    }

    /** {@return whether every thread of the server has ended after close; for tests} */
    boolean terminated() {
        return http.terminated();
    }

    /** Forgets the queue, the dispatcher, the records and the counts, as a new server would; for the extension. */
    void reset() {
        queue.clear();
        dispatcher = FakeLlmServer::prompt;
        recorded.clear();
        untaken.clear();
        handler.reset();
        opaque.reset();
    }

    /** The default dispatcher: every request answered as a model would. */
    private static FakeResponse prompt(RecordedRequest request) {
        return FakeResponse.answerPrompt();
    }

    private void answer(Exchange exchange) throws IOException {
        if (aws.serves(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), exchange.getRequestHeaders())) {
            aws.answer(exchange); // the credential endpoints: neither recorded nor scripted
            return;
        }
        RecordedRequest request = new RecordedRequest(
                exchange.getRequestMethod(), exchange.target(), exchange.getRequestHeaders(), exchange.requestBytes());
        if (record) {
            recorded.add(request);
            untaken.add(request);
        }
        FakeResponse response = queue.poll();
        if (response == null)
            response = Objects.requireNonNull(dispatcher.apply(request), "the dispatcher returned null");
        try {
            handler.handle(exchange, response);
        } catch (Pacing.ClientGone e) {
            if (onClientClosed != null) {
                try {
                    onClientClosed.accept(request);
                } catch (RuntimeException listenerFailure) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "fake server: the onClientClosed listener threw; ignored",
                            listenerFailure);
                }
            }
            throw e;
        }
    }

    /** Options of a {@link FakeLlmServer}; each setter checks its argument. Not thread-safe. */
    public static final class Builder {
        private int port = 0;
        private double tokensPerSecond = 0;
        private @Nullable Duration firstTokenDelay;
        private long seed;
        private boolean record = true;
        private Duration stallLimit = Duration.ofMinutes(5);
        private @Nullable Consumer<RecordedRequest> onClientClosed;
        private int rateLimitEvery; // 0: none
        private Duration rateLimitRetryAfter = Duration.ZERO;

        private Builder() {}

        /**
         * Answers every {@code n}-th model request (counted over the server, from its first, every
         * API alike) with HTTP 429 and {@code retry-after} (whole seconds, rounded up) and
         * {@code retry-after-ms}, in the API's own error shape, at once, as {@link FakeResponse#rateLimited}
         * does: a deterministic share of rate limits (4 is 25 %) whatever the model name, for load
         * tests and benchmarks of a client's back-off. What is counted is every request to a model's
         * API (token counting aside) that an answer would meet: the server's own, or a scripted
         * answer or object, queued or from the {@linkplain FakeLlmServer#setDispatcher dispatcher}; a scripted error,
         * replay or silence is sent as it is and not counted. A request retried after a 429 is
         * counted again.
         *
         * @param n the period: every n-th request is refused, 2 or more
         * @param retryAfter what the 429 tells the client to wait
         * @return this builder
         * @throws IllegalArgumentException if n is below 2 or retryAfter is negative
         * @throws NullPointerException if retryAfter is null
         */
        public Builder rateLimitEvery(int n, Duration retryAfter) {
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (n < 2) throw new IllegalArgumentException("rateLimitEvery needs a period of 2 or more: " + n);
            if (retryAfter.isNegative())
                throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
            this.rateLimitEvery = n;
            this.rateLimitRetryAfter = retryAfter;
            return this;
        }

        /**
         * Sets what to tell when a client closes its connection while its response waits for its
         * next event (a paced answer, a slow start): the server sees the close at once, and calls
         * {@code listener} on the request's thread before it ends the request. For tests and
         * benchmarks that measure when a client let go (a cancel, a hedge's loser).
         *
         * @param listener called with the request; what it throws is logged and ignored
         * @return this builder
         * @throws NullPointerException if listener is null
         */
        public Builder onClientClosed(Consumer<RecordedRequest> listener) {
            this.onClientClosed = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Sets the port.
         *
         * @param port the port to listen on, 0 (the default) for an ephemeral one
         * @return this builder
         * @throws IllegalArgumentException if not within 0–65535
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be within 0-65535: " + port);
            this.port = port;
            return this;
        }

        /**
         * Sets the pace of the stream, in output tokens per second (70 is a model's): a planned
         * answer's delta waits for the tokens before it, the usage it reports; a scripted answer's
         * deltas count one each.
         *
         * @param tokensPerSecond the pace of tokens; 0 (the default) sends everything at once
         * @return this builder
         * @throws IllegalArgumentException if negative, NaN or infinite
         */
        public Builder tokensPerSecond(double tokensPerSecond) {
            if (!(tokensPerSecond >= 0) || Double.isInfinite(tokensPerSecond)) {
                throw new IllegalArgumentException("tokensPerSecond must be a finite number >= 0: " + tokensPerSecond);
            }
            this.tokensPerSecond = tokensPerSecond;
            return this;
        }

        /**
         * Sets the wait between the request and the first event.
         *
         * @param delay the wait before the first event (default 300 ms with a pace, 0 without)
         * @return this builder
         * @throws NullPointerException if {@code delay} is null
         * @throws IllegalArgumentException if negative
         */
        public Builder firstTokenDelay(Duration delay) {
            Objects.requireNonNull(delay, "firstTokenDelay");
            if (delay.isNegative())
                throw new IllegalArgumentException("firstTokenDelay must not be negative: " + delay);
            this.firstTokenDelay = delay;
            return this;
        }

        /**
         * Sets the seed of the text choice, for tests that want another answer to the same prompt.
         *
         * @param seed mixed into the choice of answer and its chunking (default 0); the same seed
         *     and prompt give the same text and deltas
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets whether requests are recorded. A long-running server (a demo, a load test) turns it
         * off, so that its memory does not grow with every request.
         *
         * @param record whether requests are kept for {@link FakeLlmServer#takeRequest()} and {@link FakeLlmServer#requests()} (default true)
         * @return this builder
         */
        public Builder recordRequests(boolean record) {
            this.record = record;
            return this;
        }

        /** How long a stall holds a connection at most (default five minutes); for tests. */
        Builder stallLimit(Duration limit) {
            Objects.requireNonNull(limit, "stallLimit");
            if (limit.isNegative()) throw new IllegalArgumentException("stallLimit must not be negative: " + limit);
            this.stallLimit = limit;
            return this;
        }

        /**
         * {@return a server with these options, listening}
         *
         * @throws UncheckedIOException if the port cannot be bound
         */
        public FakeLlmServer start() {
            Duration delay = firstTokenDelay != null
                    ? firstTokenDelay
                    : tokensPerSecond == 0 ? Duration.ZERO : Duration.ofMillis(300);
            return new FakeLlmServer(this, delay);
        }
    }
}
