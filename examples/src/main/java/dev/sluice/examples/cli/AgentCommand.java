package dev.sluice.examples.cli;

import dev.sluice.RetryPolicy;
import dev.sluice.SluiceException;
import dev.sluice.agent.AgentEvent;
import dev.sluice.agent.ToolRunner;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.examples.DemoTools;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code sluice agent [flags] PROMPT}: the tool runner with two demo tools ({@link DemoTools}). stdout
 * gets the model's text of every turn, in order, flushed as it arrives, and nothing else (not even a
 * line break between two turns: the concatenation is exactly the model's text); stderr one line per tool event,
 * then the summary of {@code sluice stream} plus {@code turns: N}, or one {@code error:} line. Exit
 * codes as {@code sluice stream}: 0 the run completed (also at the turn limit), 1 it failed or was
 * cancelled, 2 usage error (nothing started).
 *
 * <p>Threading: {@link #run} reads the run's events on the calling thread; a shutdown hook (Ctrl-C)
 * cancels the run from the JVM's hook thread.
 */
final class AgentCommand implements Command {
    static final int DEFAULT_MAX_TURNS = 10;
    private static final Set<String> VALUED = Set.of("--provider", "--model", "--max-turns", "--max-tokens", "--system",
            "--tool-timeout", "--max-retries");

    private final Map<String, String> env;
    private final boolean shutdownHook;
    private final Duration countStep;

    AgentCommand() {
        this(System.getenv(), true, Duration.ofMillis(250));
    }

    /** For tests: the environment, whether to install the Ctrl-C hook, and count_slowly's step. */
    AgentCommand(Map<String, String> env, boolean shutdownHook, Duration countStep) {
        this.env = Map.copyOf(env);
        this.shutdownHook = shutdownHook;
        this.countStep = countStep;
    }

    @Override
    public String name() {
        return "agent";
    }

    @Override
    public String summary() {
        return "run PROMPT through the tool runner with demo tools (get_weather, count_slowly)";
    }

    @Override
    public String usage() {
        return """
                usage: sluice agent [flags] PROMPT...

                Runs PROMPT through the tool runner: the model may call get_weather(city) (made-up
                weather as JSON) and count_slowly(n) (reports progress at each step); their results go
                back to the model until it answers without calling tools.
                  --provider NAME     anthropic (default), openai, openai-responses or gemini
                  --model ID          default: claude-sonnet-4-5, gpt-4o-mini or gemini-2.5-flash
                  --max-turns N       most model turns, >= 1 (default 10)
                  --max-tokens N      most tokens per turn, >= 1 (default 1024)
                  --system TEXT       a system prompt
                  --tool-timeout S    seconds one tool call may run (default 60)
                  --max-retries N     retries of a failed opening, >= 0 (default 2)

                Environment: as 'sluice stream' (the provider's key and base URL; with neither, the
                embedded fake server answers; SLUICE_FAKE_TOKENS_PER_SECOND sets its pace).

                stdout: the model's text of every turn, in order, as it arrives; nothing else.
                stderr: one line per tool event:
                          tool NAME started
                          tool NAME NN% MESSAGE        (tool NAME MESSAGE without a percentage)
                          tool NAME done in S s
                          tool NAME failed: MESSAGE    (the model reads MESSAGE and may try again)
                        then time to first token, tokens/s, usage (every turn added up), stop reason
                        (the last turn's, or 'turn limit (--max-turns N)'), request id, turns: N;
                        on failure one line 'error: <cause>'.
                exit:   0 the run completed (also at the turn limit); 1 it failed or was cancelled;
                        2 usage error, nothing sent.
                """;
    }

    private record Options(Providers.Provider provider, String model, String prompt, String system, int maxTurns,
                           int maxTokens, Duration toolTimeout, int maxRetries) {}

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) throws UsageException {
        Options o = parse(args);
        Double fakeRate = Endpoint.fakeRate(env);
        try (Endpoint endpoint = Endpoint.open(env, o.provider(), fakeRate, err)) {
            ChatProvider provider;
            try {
                provider = Providers.chatProvider(o.provider(), endpoint.key, endpoint.base, RetryPolicy.defaults().withMaxRetries(o.maxRetries()));
            } catch (IllegalArgumentException | IllegalStateException e) {
                err.println("error: " + e.getMessage());
                return 1;
            }
            try {
                return runAgent(provider, o, out, err);
            } finally {
                close(provider);
            }
        }
    }

    private int runAgent(ChatProvider provider, Options o, PrintStream out, PrintStream err) {
        ToolRunner runner = ToolRunner.builder(provider)
                .tool(DemoTools.weather())
                .tool(DemoTools.countSlowly(countStep))
                .maxTurns(o.maxTurns())
                .toolTimeout(o.toolTimeout())
                .build();
        ChatRequest.Builder request = ChatRequest.builder().model(o.model()).maxTokens(o.maxTokens())
                .addMessage(ChatMessage.user(o.prompt()));
        if (o.system() != null) request.system(o.system());
        StreamController controller = StreamController.create();
        Thread hook = shutdownHook ? new Thread(() -> {
            controller.cancel("interrupted by Ctrl-C or SIGTERM");
            out.flush();
        }, "sluice-agent-shutdown") : null;
        if (hook != null) Runtime.getRuntime().addShutdownHook(hook);
        long start = System.nanoTime();
        long firstText = -1;
        boolean printed = false;
        boolean endsWithNewline = false;
        AgentEvent.RunFinished finished = null;
        try (EventStream<AgentEvent> events = runner.run(request.build(), controller)) {
            for (AgentEvent event : events) {
                switch (event) {
                    case AgentEvent.ModelChunk chunk when !chunk.text().isEmpty() -> {
                        if (firstText < 0) firstText = System.nanoTime();
                        out.print(chunk.text());
                        out.flush();
                        if (out.checkError()) controller.cancel("stdout was closed");
                        printed = true;
                        endsWithNewline = chunk.text().endsWith("\n");
                    }
                    case AgentEvent.ToolStarted s -> err.println("tool " + s.name() + " started");
                    case AgentEvent.ToolProgress p -> err.println("tool " + p.name() + " "
                            + (p.percent() == null ? "" : Math.round(p.percent()) + "% ") + oneLine(p.message()));
                    case AgentEvent.ToolCompleted c -> err.println("tool " + c.name() + " done in "
                            + String.format(Locale.ROOT, "%.3f", c.elapsed().toNanos() / 1e9) + " s");
                    case AgentEvent.ToolFailed f -> err.println("tool " + oneLine(f.name()) + " failed: " + oneLine(f.error()));
                    case AgentEvent.RunFinished f -> finished = f;
                    default -> { }
                }
            }
            long end = System.nanoTime();
            if (events.endReason().orElse(EndReason.COMPLETED) == EndReason.CANCELLED || finished == null) {
                if (printed && !endsWithNewline) err.println();
                err.println("error: cancelled (" + controller.cancelReason().orElse("cancelled") + ")");
                return 1;
            }
            summary(err, finished, o, start, firstText, end);
            return 0;
        } catch (SluiceException e) {
            err.println("error: " + StreamCommand.describe(e));
            e.requestId().ifPresent(id -> err.println("request id: " + id));
            return 1;
        } finally {
            out.flush();
            err.flush();
            if (hook != null) Endpoint.removeShutdownHook(hook);
        }
    }

    private static void summary(PrintStream err, AgentEvent.RunFinished f, Options o, long start, long firstText, long end) {
        err.println("time to first token: " + (firstText < 0 ? "none" : StreamCommand.seconds(firstText - start)));
        long tokens = f.usage().outputTokens();
        long span = end - firstText;
        err.println("tokens/s: " + (firstText >= 0 && span > 0 ? String.format(Locale.ROOT, "%.1f", tokens * 1e9 / span) : "n/a"));
        err.println("usage: " + f.usage().inputTokens() + " input tokens, " + tokens + " output tokens");
        String stop = f.reason() == AgentEvent.RunFinished.StopReason.TURN_LIMIT
                ? "turn limit (--max-turns " + o.maxTurns() + ")"
                : f.lastResponse().finishReason() == null ? "unknown" : f.lastResponse().finishReason().raw();
        err.println("stop reason: " + stop);
        err.println("request id: unknown");
        err.println("turns: " + f.turns());
    }

    private static String oneLine(String s) {
        return s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }

    private static void close(ChatProvider provider) {
        if (provider instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // closing a client after its run ended: nothing left to report
            }
        }
    }

    private Options parse(List<String> args) throws UsageException {
        Args parsed = Args.parse(args, VALUED, Set.of());
        if (parsed.positional().isEmpty()) throw new UsageException("a PROMPT is required");
        String prompt = String.join(" ", parsed.positional());
        if (prompt.isBlank()) throw new UsageException("the PROMPT must not be blank");
        String name = parsed.get("--provider", Providers.DEFAULT);
        Providers.Provider provider = Providers.named(name).orElseThrow(
                () -> new UsageException("unknown provider '" + name + "'; one of " + Providers.names()));
        String model = parsed.get("--model", provider.defaultModel());
        if (model.isBlank()) throw new UsageException("--model must not be blank");
        int maxTurns = (int) parsed.getLong("--max-turns", DEFAULT_MAX_TURNS, 1, 1000);
        int maxTokens = (int) parsed.getLong("--max-tokens", StreamCommand.DEFAULT_MAX_TOKENS, 1, Integer.MAX_VALUE);
        String system = Endpoint.nonBlank(parsed.get("--system", null));
        Duration toolTimeout = parsed.getSeconds("--tool-timeout");
        int maxRetries = (int) parsed.getLong("--max-retries", RetryPolicy.DEFAULT_MAX_RETRIES, 0, 100);
        return new Options(provider, model, prompt, system, maxTurns, maxTokens,
                toolTimeout != null ? toolTimeout : Duration.ofSeconds(60), maxRetries);
    }
}
