package dev.sluice.cli;

import dev.sluice.ApiException;
import dev.sluice.CircuitOpenException;
import dev.sluice.ConcurrencyLimitException;
import dev.sluice.CredentialsException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.LimitExceededException;
import dev.sluice.LocalFailureException;
import dev.sluice.McpException;
import dev.sluice.ObjectException;
import dev.sluice.ProtocolException;
import dev.sluice.RelayException;
import dev.sluice.RequestRateLimitException;
import dev.sluice.SluiceException;
import dev.sluice.StreamInterruptedException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.TransportException;
import dev.sluice.chat.Effort;
import dev.sluice.chat.Hedging;
import dev.sluice.chat.ProviderClient;
import dev.sluice.client.Failover;
import dev.sluice.client.Hedge;
import dev.sluice.client.RetryPolicy;
import dev.sluice.client.StreamObserver;
import dev.sluice.providers.ProviderCatalog;
import dev.sluice.relay.RelayEvent;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code sluice stream [flags] PROMPT}: streams one reply; its output is the contract of
 * DESIGN.md, spelled out in {@link #usage()}. stdout gets exactly the text deltas, flushed one by
 * one, and nothing else; stderr gets the notices, the status line (terminals only), the summary
 * or the {@code error:} line. Exit 0 completed (or chunk limit), 1 failed, 2 usage error (before
 * any request, before the fake server starts).
 *
 * <p>Threading: {@link #run} streams on the calling thread; the status line has its own virtual
 * thread; a shutdown hook (Ctrl-C) cancels the stream from the JVM's hook thread.
 *
 * <p>Why this file is long: the command's flags and the contract of its two outputs (stdout the text
 * alone, stderr the status line and summary), read top to bottom as a run goes.
 */
final class StreamCommand implements Command {
    static final int DEFAULT_MAX_TOKENS = 1024;
    static final Set<String> VALUED = Set.of(
            "--provider",
            "--model",
            "--max-tokens",
            "--system",
            "--first-event-timeout",
            "--idle-timeout",
            "--total-timeout",
            "--max-retries",
            "--max-chunks",
            "--fallback",
            "--hedge-after",
            "--effort",
            "--file");

    private final Map<String, String> env;
    private final Supplier<Terminal> terminal;
    private final boolean shutdownHook;

    StreamCommand() {
        this(System.getenv(), Terminal::detect, true);
    }

    /** For tests: the environment, the terminal, and whether to install the Ctrl-C hook. */
    StreamCommand(Map<String, String> env, Supplier<Terminal> terminal, boolean shutdownHook) {
        this.env = Map.copyOf(env);
        this.terminal = terminal;
        this.shutdownHook = shutdownHook;
    }

    @Override
    public String name() {
        return "stream";
    }

    @Override
    public String summary() {
        return "stream a reply to PROMPT (from the embedded fake server when no API key is set)";
    }

    @Override
    public String usage() {
        return """
                usage: sluice stream [flags] PROMPT...

                Streams a reply to PROMPT (several words are joined with spaces) as it arrives.
                  --provider NAME            anthropic (default), openai, openai-responses, gemini
                                             or a cloud's: bedrock, bedrock-anthropic, bedrock-openai,
                                             bedrock-openai-responses, bedrock-mantle-anthropic, vertex,
                                             vertex-anthropic, azure-openai, azure-openai-responses,
                                             foundry-anthropic (see Environment)
                  --model ID                 default: claude-sonnet-5-5 (anthropic)
                  --effort LEVEL             none|minimal|low|medium|high|xhigh|max: how hard
                                             the model thinks, as it takes it (docs/models.md)
                  --thinking                 the model's thinking to stderr as it comes, each line
                                             starting 'thinking: ' (a model that does not think: exit 2)
                  --cache                    mark the system prompt and the prompt for the provider's
                                             prompt cache (docs/models.md); the usage line says
                                             'cache: N read, M written' where the provider reports it
                  --file PATH                attach a file to the prompt (repeatable): a PDF, a PNG,
                                             JPEG, WebP or GIF image, a WAV or MP3 clip, sent in the
                                             provider's own shape; a kind the model cannot read
                                             (docs/models.md): exit 2, nothing sent
                  --max-tokens N             most tokens to generate, >= 1 (default 1024)
                  --system TEXT              a system prompt
                  --first-event-timeout S    seconds until the first content event (default 120)
                  --idle-timeout S           longest gap between content events, seconds (default 60)
                  --total-timeout S          seconds for the whole stream (default: none)
                  --max-retries N            retries of a failed opening, >= 0 (default 2)
                  --max-chunks N             end normally after N content events, >= 1 (default: none)
                  --resume                   anthropic: continue a stream whose connection drops after
                                             text (up to 3 times), with the text so far as a prefill
                  --fallback P:M[,P:M...]    when the stream fails (overloaded, rate limited, 5xx, a
                                             timeout, a lost connection), go on with the next
                                             PROVIDER:MODEL; stderr says 'switched to ... after ...'
                  --hedge-after T            with --fallback: when the first target has sent no
                                             content after T (800ms, 1.5s), start the next one too
                                             and keep the first to answer; or pNN[,floor=T]: after
                                             the NNth percentile of its recent times to first
                                             content, at least T (default 500ms). At most 5% of
                                             the last 100 streams are hedged
                Seconds may be fractional and must be > 0.

                Environment: ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL (without /v1/messages); openai:
                OPENAI_API_KEY, OPENAI_BASE_URL; gemini: GEMINI_API_KEY, GEMINI_BASE_URL. With
                neither set, an embedded fake server on 127.0.0.1 answers (paced at
                SLUICE_FAKE_TOKENS_PER_SECOND, default 70). With only a base URL on loopback (localhost,
                127.0.0.0/8, [::1]), a placeholder key is sent; any other base URL needs the key.
                A cloud provider reads its cloud's variables, as its SDK does (docs/clouds.md):
                  bedrock, bedrock-anthropic
                             AWS_REGION (or AWS_DEFAULT_REGION, or the profile's); AWS_ENDPOINT_URL_BEDROCK_RUNTIME
                             (or AWS_ENDPOINT_URL); AWS_BEARER_TOKEN_BEDROCK (a Bedrock API key), else the AWS
                             SDK's credential chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN,
                             AWS_PROFILE, web identity, the container's and the instance's credentials)
                  bedrock-openai
                             as bedrock: Chat Completions on bedrock-runtime's /openai/v1
                  bedrock-openai-responses, bedrock-mantle-anthropic
                             as bedrock, on the bedrock-mantle host: AWS_ENDPOINT_URL_BEDROCK_MANTLE (or
                             AWS_ENDPOINT_URL); the Responses API under the model's path (/v1 or /openai/v1),
                             Claude's Messages at /anthropic/v1/messages; SLUICE_BEDROCK_RESPONSES_ENDPOINT=runtime
                             puts the Responses API on bedrock-runtime instead
                  vertex, vertex-anthropic
                             GOOGLE_CLOUD_PROJECT, GOOGLE_CLOUD_LOCATION (default global), GOOGLE_VERTEX_BASE_URL;
                             Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's, the
                             metadata server)
                  azure-openai, azure-openai-responses
                             AZURE_OPENAI_ENDPOINT; AZURE_OPENAI_API_KEY, else Microsoft Entra ID as
                             azure-identity reads it (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET,
                             AZURE_FEDERATED_TOKEN_FILE, IDENTITY_ENDPOINT); the model is the deployment's name
                  foundry-anthropic
                             ANTHROPIC_FOUNDRY_RESOURCE or ANTHROPIC_FOUNDRY_BASE_URL; ANTHROPIC_FOUNDRY_API_KEY,
                             else Microsoft Entra ID
                With none of its variables set, the embedded fake server answers it too (sent its test
                key); model ids with colons work in --fallback (bedrock:us.anthropic...-v1:0).

                stdout: exactly the streamed text (text deltas only), UTF-8, flushed as it arrives;
                        no newline is added.
                stderr: notices; on a terminal a live status line; each retry and resume as it happens,
                          retrying after overloaded_error (1 of 2) in 0.5 s
                          resuming after a lost connection (1 of 3)         (with --resume)
                        then, on success,
                          time to first token: 0.312 s
                          tokens/s: 68.5                            (n/a: under 10 tokens or 0.25 s)
                          usage: 12 input tokens, 87 output tokens   (~87: counted, the stream ended early)
                          stop reason: end_turn                     (or: chunk limit (--max-chunks N))
                          request id: req_...                       (or: unknown)
                          resumed: 1                                (with --resume: continuations)
                          answered by: openai:gpt-6-luna (hedged after 0.800 s: anthropic:... cancelled,
                            its tokens 0)                           (with --hedge-after; or '(not hedged)')
                        on failure one line 'error: <cause>' (then 'request id: ...' when known, and
                        'hint: --resume ...' when anthropic's connection dropped after text).
                exit:   0 the stream completed or reached --max-chunks; 1 it failed (the text
                        received before the failure is on stdout); 2 usage error, nothing sent.
                Content events, as --max-chunks counts them: content_block_start/delta/stop,
                message_delta and message_stop (not message_start, ping or unknown events).
                """;
    }

    /** The parsed command line. */
    record Options(
            ProviderCatalog provider,
            StreamBackend.Request request,
            StreamController controller,
            int maxRetries,
            boolean resume,
            List<Fallbacks.Target> fallbacks,
            @Nullable Hedging hedging) {}

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) throws UsageException {
        Options o = parse(args);
        Double fakeRate =
                Endpoint.fakeRate(env); // an environment error, like a usage error, comes before anything starts
        Endpoint.checkBaseUrls(env, providers(o.provider(), o.fallbacks()));
        Efforts.noticeRetirements(err, Efforts.models(o.request().model(), o.fallbacks()));
        Efforts.noteMoved(
                err,
                Efforts.models(o.request().model(), o.fallbacks()),
                o.request().effort());
        Terminal term = terminal.get();
        StatusLine status = new StatusLine(err, term, System::nanoTime);
        TextSink sink = new TextSink(out, status, o.controller(), term.sharedWithStdout());
        try (Endpoint endpoint = Endpoint.open(env, o.provider(), fakeRate, err)) {
            endpoint.noteUnknownModels(err, List.of(o.request().model()));
            StreamBackend.Factory factory =
                    o.resume() ? AnthropicBackend::connectResuming : options -> endpoint.backend(options, env);
            StreamBackend backend;
            RetryPolicy retries = RetryPolicy.defaults().withMaxRetries(o.maxRetries());
            try {
                StreamObserver notices = notices(o, status::println, sink::lineBreak);
                if (o.fallbacks().isEmpty()) {
                    backend = factory.connect(
                            endpoint.options(retries).observer(notices).build());
                    endpoint.notePlaceholderKey(err);
                } else {
                    backend = chained(o, endpoint, fakeRate, retries, notices, err);
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                err.println("error: " + e.getMessage());
                return 1;
            }
            try (backend) {
                return stream(backend, o, status, sink, out, err);
            }
        }
    }

    /** {@return the backend of --fallback: a chain from the command's provider and model through the fallbacks} */
    private StreamBackend chained(
            Options o,
            Endpoint endpoint,
            @Nullable Double fakeRate,
            RetryPolicy retries,
            StreamObserver notices,
            PrintStream err) {
        return chat(o, endpoint, env, fakeRate, retries, notices, err);
    }

    /**
     * {@return the command's provider on the provider-neutral layer: its client on {@code endpoint},
     * or with {@code --fallback}, a chain from it through the fallbacks (their keys and base URLs
     * from {@code env}, or fake servers)} Closing the backend closes every client and fake server it
     * opened. Shared with {@code object}.
     *
     * @throws IllegalArgumentException for a base URL a client cannot use
     */
    static ChatBackend chat(
            Options o,
            Endpoint endpoint,
            Map<String, String> env,
            @Nullable Double fakeRate,
            RetryPolicy retries,
            StreamObserver notices,
            PrintStream err) {
        ProviderClient first =
                endpoint.connect(endpoint.options(retries).observer(notices).build(), env);
        endpoint.notePlaceholderKey(err);
        if (o.fallbacks().isEmpty()) return new ChatBackend(first, first);
        Fallbacks fallbacks = Fallbacks.open(
                new Fallbacks.Target(o.provider(), o.request().model()),
                first,
                o.fallbacks(),
                o.hedging(),
                env,
                fakeRate,
                retries,
                notices,
                err);
        return new ChatBackend(fallbacks.chain(), () -> {
            fallbacks.close();
            first.close();
        });
    }

    /**
     * {@return an observer writing each retry and resume as it happens, as a line of its own}
     *
     * @param print writes a line on stderr
     * @param lineBreak what a line must start with to stand on its own where stdout is mid-line ("\n" or "")
     */
    static StreamObserver notices(Options o, Consumer<String> print, Supplier<String> lineBreak) {
        return notices(o.maxRetries(), o.resume() ? AnthropicBackend.MAX_RESUMES : 0, print, lineBreak);
    }

    /** As {@link #notices(Options, java.util.function.Consumer, Supplier)}, for a command with these limits. */
    static StreamObserver notices(int maxRetries, int maxResumes, Consumer<String> print, Supplier<String> lineBreak) {
        return start -> new StreamObserver.Observation() {
            @Override
            public void onRetry(int retry, Duration delay, SluiceException cause) {
                print.accept(lineBreak.get() + "retrying after " + cause(cause) + " (" + retry + " of " + maxRetries
                        + ") in "
                        + String.format(
                                Locale.ROOT, delay.toMillis() < 100 ? "%.2f s" : "%.1f s", delay.toMillis() / 1000.0));
            }

            @Override
            public void onResume(int resume, SluiceException cause) {
                print.accept(
                        lineBreak.get() + "resuming after " + cause(cause) + " (" + resume + " of " + maxResumes + ")");
            }
        };
    }

    /** {@return the provider and those of the fallback targets} */
    static List<ProviderCatalog> providers(ProviderCatalog first, List<Fallbacks.Target> fallbacks) {
        List<ProviderCatalog> all = new ArrayList<>(List.of(first));
        fallbacks.forEach(t -> all.add(t.provider()));
        return all;
    }

    /**
     * {@return what went wrong, in a few words a person reads, never a Java class name:
     * "overloaded_error", "HTTP 503", "a refused connection", "a lost connection"}
     */
    static String cause(SluiceException e) {
        return switch (e) {
            case ApiException a -> a.errorType().isBlank() ? "HTTP " + a.statusCode() : a.errorType();
            case TransportException t -> refused(t) ? "a refused connection" : "a lost connection";
            case IncompleteStreamException i -> "a stream that ended early";
            case StreamTimeoutException t -> "a " + t.timeout().label() + " timeout";
            case ProtocolException p -> "a malformed stream";
            case LimitExceededException l -> "a limit";
            case ConcurrencyLimitException c -> "the concurrency limit";
            case RequestRateLimitException r -> "the request rate limit";
            case CircuitOpenException c -> "an open circuit breaker";
            default -> "a failure";
        };
    }

    /** {@return whether the connection was never made: the JDK's ConnectException somewhere in the causes} */
    @SuppressWarnings("ReferenceEquality") // identity: a throwable that is its own cause ends the chain
    private static boolean refused(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConnectException) return true;
        }
        return false;
    }

    private int stream(
            StreamBackend backend, Options o, StatusLine status, TextSink sink, PrintStream out, PrintStream err) {
        StreamController controller = o.controller();
        Thread hook = shutdownHook
                ? new Thread(
                        () -> {
                            controller.cancel("interrupted by Ctrl-C or SIGTERM");
                            out.flush();
                        },
                        "sluice-stream-shutdown")
                : null;
        if (hook != null) Runtime.getRuntime().addShutdownHook(hook);
        long start = System.nanoTime();
        status.start();
        try {
            StreamBackend.Outcome outcome = backend.stream(o.request(), controller, sink);
            sink.thinkingStopped();
            status.stop();
            // stdout closed (`sluice stream ... | head`): a Unix tool's normal end, said by nothing
            if (sink.stdoutFailed) return 0;
            err.print(sink.lineBreak()); // the summary or error on a line of its own
            if (outcome.endReason() == EndReason.CANCELLED) {
                err.println("error: cancelled (" + controller.cancelReason().orElse("cancelled") + ")");
                outcome.requestId().ifPresent(id -> err.println("request id: " + id));
                return 1;
            }
            summary(err, outcome, sink.deltas, sink.firstDeltaNanos, start, System.nanoTime(), controller);
            Effort effort = o.request().effort();
            if (effort != null)
                err.println("effort: " + Efforts.sent(o.request().model(), effort));
            if (o.resume()) err.println("resumed: " + outcome.resumes());
            if (o.hedging() != null) {
                err.println(Fallbacks.answeredBy(
                        new Fallbacks.Target(o.provider(), o.request().model()).name(), sink.hedge, sink.answeredBy));
            } else if (sink.answeredBy != null) {
                err.println("answered by: " + sink.answeredBy);
            }
            return 0;
        } catch (SluiceException e) {
            sink.thinkingStopped();
            status.stop();
            if (sink.stdoutFailed) return 0; // stdout closed, so we cancelled: a failure after that is its echo
            err.print(sink.lineBreak()); // the summary or error on a line of its own
            err.println("error: " + describe(e));
            e.requestId().ifPresent(id -> err.println("request id: " + id));
            if (sink.deltas > 0
                    && !o.resume()
                    && o.provider() == ProviderCatalog.ANTHROPIC
                    && (e instanceof TransportException || e instanceof IncompleteStreamException)) {
                err.println("hint: --resume continues a stream whose connection drops, from where it stopped");
            }
            return 1;
        } finally {
            status.stop();
            out.flush();
            err.flush();
            if (hook != null) Endpoint.removeShutdownHook(hook);
        }
    }

    /**
     * {@return the usage line's cache part, {@code ", cache: N read, M written"}, where the provider
     * reported a cache read or write; else empty}
     *
     * @param read input tokens read from the prompt cache
     * @param written input tokens written to it
     */
    static String cache(long read, long written) {
        return read == 0 && written == 0 ? "" : ", cache: " + read + " read, " + written + " written";
    }

    /**
     * Writes the figures of a stream that did not fail: time to first token, tokens/s, usage, stop
     * reason and request id, one a line.
     *
     * @param deltas the content deltas counted
     * @param firstDeltaNanos when the first came ({@link System#nanoTime()}), if any came
     * @param start when the request was sent
     * @param end when the stream ended
     */
    static void summary(
            PrintStream err,
            StreamBackend.Outcome outcome,
            long deltas,
            long firstDeltaNanos,
            long start,
            long end,
            StreamController controller) {
        err.println("time to first token: " + (deltas == 0 ? "none" : seconds(firstDeltaNanos - start)));
        // The provider's output count is final only at the end; a stream cut short by the chunk
        // limit shows the deltas counted instead, marked with a tilde.
        boolean exact = outcome.endReason() == EndReason.COMPLETED
                && outcome.outputTokens().isPresent();
        long tokens = exact ? outcome.outputTokens().getAsLong() : deltas;
        err.println("tokens/s: " + (deltas == 0 ? "n/a" : rate(tokens, end - firstDeltaNanos)));
        err.println("usage: " + tokens(count(outcome.inputTokens()), "input") + ", "
                + tokens((exact ? "" : "~") + tokens, "output")
                + cache(outcome.cacheReadTokens(), outcome.cacheWriteTokens()));
        String stop = outcome.endReason() == EndReason.CHUNK_LIMIT
                ? "chunk limit (--max-chunks "
                        + controller.options().maxChunks().orElse(0) + ")"
                : outcome.stopReason().orElse("unknown");
        err.println("stop reason: " + stop);
        err.println("request id: " + outcome.requestId().orElse("unknown"));
    }

    /** {@return "1 input token", "12 input tokens", "unknown input tokens": the count (a number, maybe "~N", or "unknown") and its kind} */
    static String tokens(String count, String kind) {
        return count + " " + kind + (count.equals("1") || count.equals("~1") ? " token" : " tokens");
    }

    private static String count(OptionalLong n) {
        return n.isPresent() ? Long.toString(n.getAsLong()) : "unknown";
    }

    /**
     * {@return output tokens per second over {@code nanos} from the first token to the end, as
     * "68.5", or "n/a" when the answer is too short to measure (the relay's rule, {@link
     * RelayEvent.Done#tokensPerSecond(long, Duration)}, which the chat page shows too)}
     */
    static String rate(long tokens, long nanos) {
        double rate = RelayEvent.Done.tokensPerSecond(tokens, Duration.ofNanos(Math.max(0, nanos)));
        return rate > 0 ? String.format(Locale.ROOT, "%.1f", rate) : "n/a";
    }

    /** {@return seconds with millisecond precision: "0.312 s"} */
    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f s", Math.max(0, nanos) / 1e9);
    }

    /** {@return the cause of a failure, worded for the command line} */
    static String describe(SluiceException e) {
        return switch (e) {
            case StreamTimeoutException t ->
                t.timeout().label() + " timeout of " + duration(t.limit()) + " expired after waiting "
                        + duration(t.waited()) + " (raise --" + t.timeout().label() + "-timeout)";
            case IncompleteStreamException i ->
                strip(String.valueOf(i.getMessage()), "; the partial message is attached");
            case TransportException t -> String.valueOf(t.getMessage()).replace(": java.io.IOException: ", ": ");
            case ApiException a -> String.valueOf(a.getMessage());
            case ProtocolException p -> String.valueOf(p.getMessage());
            case LimitExceededException l -> String.valueOf(l.getMessage());
            case StreamInterruptedException s -> "interrupted: " + s.getMessage();
            case LocalFailureException l -> String.valueOf(l.getMessage());
            case ConcurrencyLimitException c -> String.valueOf(c.getMessage());
            case CircuitOpenException c -> String.valueOf(c.getMessage());
            case RequestRateLimitException r -> String.valueOf(r.getMessage());
            case RelayException r -> String.valueOf(r.getMessage()); // the relay's refusals: no stream ends with one
            case ObjectException o -> String.valueOf(o.getMessage());
            case McpException m -> String.valueOf(m.getMessage());
            case CredentialsException c -> String.valueOf(c.getMessage()); // names what was tried and what to set
        };
    }

    private static String strip(String message, String suffix) {
        return message.endsWith(suffix) ? message.substring(0, message.length() - suffix.length()) : message;
    }

    private static String duration(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0
                ? ms / 1000 + " s"
                : String.format(Locale.ROOT, "%.3f s", ms / 1000.0).replaceAll("0+ s$", " s");
    }

    /**
     * {@return the hedging of {@code --hedge-after}, or null without it}
     *
     * @throws UsageException for a value {@link Fallbacks#parseHedge} refuses, or without {@code --fallback}
     */
    static @Nullable Hedging hedging(Args parsed, List<Fallbacks.Target> fallbacks) throws UsageException {
        String hedge = parsed.get("--hedge-after");
        if (hedge == null) return null;
        if (fallbacks.isEmpty()) {
            throw new UsageException("--hedge-after needs --fallback: the hedge starts the next target of the chain");
        }
        return Fallbacks.parseHedge(hedge);
    }

    private Options parse(List<String> args) throws UsageException {
        return parse(Args.parse(args, VALUED, Set.of("--resume", "--thinking", "--cache")));
    }

    /**
     * {@return the options of {@code stream}'s flags (those of {@link #VALUED} and {@code --resume})
     * and its PROMPT, from a parsed command line} Shared with {@code object}, which takes the same
     * provider flags.
     */
    static Options parse(Args parsed) throws UsageException {
        if (parsed.positional().isEmpty()) throw new UsageException("a PROMPT is required");
        String prompt = String.join(" ", parsed.positional());
        if (prompt.isBlank()) throw new UsageException("the PROMPT must not be blank");
        ProviderCatalog provider = Providers.named(parsed.get("--provider", Providers.DEFAULT.id()));
        boolean resume = parsed.has("--resume");
        if (resume && provider != ProviderCatalog.ANTHROPIC) {
            throw new UsageException(
                    "--resume works with --provider anthropic only (it continues with an assistant prefill)");
        }
        String model = parsed.get("--model", provider.defaultModel());
        if (model.isBlank()) throw new UsageException("--model must not be blank");
        String fallback = parsed.get("--fallback");
        List<Fallbacks.Target> fallbacks =
                fallback == null ? List.of() : Fallbacks.parse(fallback, new Fallbacks.Target(provider, model));
        if (resume && !fallbacks.isEmpty()) {
            throw new UsageException(
                    "--resume and --fallback are exclusive: --fallback continues an Anthropic answer on its next target");
        }
        int maxTokens = (int) parsed.getLong("--max-tokens", DEFAULT_MAX_TOKENS, 1, Integer.MAX_VALUE);
        Effort effort = Efforts.parse(parsed.get("--effort"), Efforts.models(model, fallbacks));
        boolean thinking = parsed.has("--thinking");
        if (thinking) ThinkingLines.check(Efforts.models(model, fallbacks));
        String system = Endpoint.nonBlank(parsed.get("--system"));
        StreamOptions.Builder c = StreamOptions.builder();
        Duration first = parsed.getSeconds("--first-event-timeout");
        if (first != null) c.firstEventTimeout(first);
        Duration idle = parsed.getSeconds("--idle-timeout");
        if (idle != null) c.idleTimeout(idle);
        Duration total = parsed.getSeconds("--total-timeout");
        if (total != null) c.totalTimeout(total);
        int maxRetries = (int) parsed.getLong("--max-retries", RetryPolicy.DEFAULT_MAX_RETRIES, 0, 100);
        if (parsed.has("--max-chunks")) c.maxChunks(parsed.getLong("--max-chunks", 0, 1, Long.MAX_VALUE));
        return new Options(
                provider,
                new StreamBackend.Request(
                        model,
                        maxTokens,
                        system,
                        prompt,
                        effort,
                        thinking,
                        parsed.has("--cache"),
                        Attachments.read(parsed.getAll("--file"), Efforts.models(model, fallbacks))),
                StreamController.of(c.build()),
                maxRetries,
                resume,
                fallbacks,
                hedging(parsed, fallbacks));
    }

    /**
     * Prints text deltas to stdout as they come and keeps the counts for the summary. Used by the
     * consuming thread only.
     */
    private static final class TextSink implements StreamBackend.Sink {
        private final PrintStream out;
        private final StatusLine status;
        private final StreamController controller;
        private final MidLine midLine;
        private final ThinkingLines thinking;

        @Nullable
        String answeredBy;

        @Nullable
        Hedge hedge;

        long deltas;
        long firstDeltaNanos;
        boolean stdoutFailed;

        TextSink(PrintStream out, StatusLine status, StreamController controller, boolean sharedWithStdout) {
            this.out = out;
            this.status = status;
            this.controller = controller;
            this.midLine = new MidLine(sharedWithStdout);
            this.thinking = new ThinkingLines(line -> status.println(midLine.lineBreak(), line));
        }

        /** Writes the thinking's unfinished line, if any. */
        void thinkingStopped() {
            thinking.flush();
        }

        /** {@return what a line of stderr must start with now (see {@link MidLine#lineBreak()})} */
        String lineBreak() {
            return midLine.lineBreak();
        }

        @Override
        public void text(String delta) {
            counted();
            if (delta.isEmpty()) return;
            thinking.flush();
            status.beforeText();
            out.print(delta);
            out.flush();
            midLine.printed(delta);
            if (out.checkError() && !stdoutFailed) { // a closed pipe: nobody reads the answer any more
                stdoutFailed = true;
                controller.cancel("stdout was closed");
            }
        }

        @Override
        public void otherDelta() {
            counted();
        }

        @Override
        public void thinking(String delta) {
            counted();
            thinking.add(delta);
        }

        @Override
        public void failover(Failover failover) {
            status.println(midLine.lineBreak(), "sluice: " + Fallbacks.describe(failover));
            answeredBy = failover.to();
        }

        @Override
        public void hedge(Hedge hedge) {
            status.println(midLine.lineBreak(), "sluice: " + Fallbacks.describe(hedge));
            this.hedge = hedge;
        }

        private void counted() {
            if (deltas++ == 0) firstDeltaNanos = System.nanoTime();
            status.delta();
        }
    }
}
