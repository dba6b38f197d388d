package dev.sluice.cli;

import dev.sluice.SluiceException;
import dev.sluice.agent.AgentEvent;
import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ApprovalPolicy;
import dev.sluice.agent.ToolApprovals;
import dev.sluice.agent.ToolRunner;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Effort;
import dev.sluice.chat.Hedging;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ProviderClient;
import dev.sluice.chat.ResponseMetadata;
import dev.sluice.client.RetryPolicy;
import dev.sluice.client.StreamObserver;
import dev.sluice.mcp.McpClient;
import dev.sluice.providers.ProviderCatalog;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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
 *
 * <p>Why this file is long: the command's flags, its MCP servers and approvals, and the printing of each
 * tool event on stderr, in the order a run meets them; the run itself is the library's tool runner.
 */
final class AgentCommand implements Command {
    static final int DEFAULT_MAX_TURNS = 10;
    private static final Set<String> VALUED = Set.of(
            "--provider",
            "--model",
            "--max-turns",
            "--max-tokens",
            "--system",
            "--tool-timeout",
            "--max-retries",
            "--fallback",
            "--hedge-after",
            "--mcp",
            "--approve",
            "--mcp-env",
            "--max-tool-result",
            "--effort",
            "--file");

    /** The most characters of a tool call's arguments shown on its line. */
    static final int ARGUMENTS_SHOWN = 60;

    private final Map<String, String> env;
    private final boolean shutdownHook;
    private final Duration countStep;
    private final Supplier<Terminal> terminal;
    private final Supplier<Optional<ApprovalPrompt>> prompt;

    AgentCommand() {
        this(System.getenv(), true, Duration.ofMillis(250), Terminal::detect, ApprovalPrompt::open);
    }

    /** For tests: the environment, whether to install the Ctrl-C hook, and count_slowly's step. */
    AgentCommand(Map<String, String> env, boolean shutdownHook, Duration countStep) {
        this(env, shutdownHook, countStep, () -> Terminal.NONE);
    }

    /** For tests: as above, and where stdout and stderr go. */
    AgentCommand(Map<String, String> env, boolean shutdownHook, Duration countStep, Supplier<Terminal> terminal) {
        this(env, shutdownHook, countStep, terminal, Optional::empty);
    }

    /** For tests: as above, and the terminal that --approve asks on (empty: none). */
    AgentCommand(
            Map<String, String> env,
            boolean shutdownHook,
            Duration countStep,
            Supplier<Terminal> terminal,
            Supplier<Optional<ApprovalPrompt>> prompt) {
        this.env = Map.copyOf(env);
        this.shutdownHook = shutdownHook;
        this.countStep = countStep;
        this.terminal = terminal;
        this.prompt = prompt;
    }

    @Override
    public String name() {
        return "agent";
    }

    @Override
    public String summary() {
        return "run PROMPT through the tool runner with demo tools (get_weather, count_slowly) and MCP servers' tools";
    }

    @Override
    public String usage() {
        return """
                usage: sluice agent [flags] PROMPT...

                Runs PROMPT through the tool runner: the model may call get_weather(city) (made-up
                weather as JSON), count_slowly(n) (reports progress at each step) and the tools of the
                --mcp servers; their results go back to the model until it answers without calling tools.
                  --provider NAME     anthropic (default), openai, openai-responses, gemini or a
                                      cloud's: bedrock, bedrock-anthropic, bedrock-openai,
                                      bedrock-openai-responses, bedrock-mantle-anthropic, vertex,
                                      vertex-anthropic, azure-openai, azure-openai-responses,
                                      foundry-anthropic
                                      ('sluice stream --help')
                  --model ID          default: claude-sonnet-5-5, gpt-6-luna or gemini-3.8-flash
                  --max-turns N       most model turns, >= 1 (default 10)
                  --effort LEVEL      none|minimal|low|medium|high|xhigh|max: how hard the
                                      model thinks, as it takes it (docs/models.md)
                  --thinking          the model's thinking to stderr as it comes, each line
                                      starting 'thinking: ' (a model that does not think: exit 2)
                  --cache             mark the system prompt and the prompt for the provider's
                                      prompt cache; the usage line says 'cache: N read, M written'
                  --file PATH         attach a file to the prompt (repeatable): a PDF, a PNG, JPEG,
                                      WebP or GIF image, a WAV or MP3 clip; a kind the model
                                      cannot read (docs/models.md): exit 2, nothing sent
                  --max-tokens N      most tokens per turn, >= 1 (default 1024)
                  --system TEXT       a system prompt
                  --tool-timeout S    seconds a tool call may go without progress (default 60)
                  --max-retries N     retries of a failed opening, >= 0 (default 2)
                  --fallback P:M,...  a turn that fails goes on with the next PROVIDER:MODEL (as
                                      'sluice stream'); a restarted turn's text is printed again
                  --hedge-after T     with --fallback: a turn without content after T (800ms, 1.5s;
                                      or pNN[,floor=T]) also starts the next target, and the first
                                      to answer is kept (as 'sluice stream')
                  --mcp URL|COMMAND   also offer an MCP server's tools (repeatable): http:// or https:// is
                                      Streamable HTTP, anything else a command line run over stdio, split
                                      into words as a shell would ('...', "...", \\ quote; nothing expanded)
                                      and stopped when agent ends; a command gets PATH, HOME and the
                                      locale of this environment, not the rest (your API keys)
                  --mcp-env NAME      also pass this environment variable to the --mcp commands
                                      (repeatable, or NAME,NAME)
                  --max-tool-result N a tool's result is cut to N characters, saying so (default %d)
                  --approve NAME|all  ask on the terminal before a call of this tool, of this MCP server's
                                      tools, or of any tool runs (repeatable, or NAME,NAME): y or yes runs
                                      it, anything else denies it (the model reads the denial); needs a
                                      terminal

                Environment: as 'sluice stream' (the provider's key and base URL; with neither, the
                embedded fake server answers; SLUICE_FAKE_TOKENS_PER_SECOND sets its pace).

                stdout: the model's text of every turn, in order, as it arrives; nothing else. Where
                        stdout is not a terminal (a pipe, a file), each turn's text and the answer
                        end with a line break, so that a program reads the turns apart.
                stderr: one line per tool event, each on a line of its own (also where stdout and
                        stderr share a terminal, file or pipe and the text stopped mid-line):
                          tool NAME(ARGUMENTS) started  (the arguments as sent, cut at %d characters)
                          tool NAME: 2/4 MESSAGE        (progress of a total; tool NAME: 50%% MESSAGE
                                                        with a percentage, tool NAME: MESSAGE without)
                          tool NAME: MESSAGE            (an MCP task's new status)
                          tool NAME asks: MESSAGE       (an MCP server's question, asked on the
                                                        terminal: a prompt per field, ending in ':'
                                                        or '?'; an enum answered by its value; with
                                                        no terminal the question is not answered and
                                                        an MCP task that asked is cancelled)
                          tool NAME done in S s
                          tool NAME failed: MESSAGE     (the model reads MESSAGE and may try again)
                          tool NAME not run: MESSAGE    (the call was denied: the tool never saw it)
                        a line per MCP server started: its name and tools;
                        each retry as 'sluice stream' says it; then time to first token, tokens/s
                        (output tokens over the time the model was streaming, tool time left out),
                        usage (every turn added up), stop reason (the last turn's, or 'turn limit
                        (--max-turns N)'), request id (the last turn's), turns: N; with
                        --hedge-after, 'answered by: P:M (...)' for the last turn, as 'sluice stream';
                        on failure one line 'error: <cause>'.
                exit:   0 the run completed (also at the turn limit; tools that failed or were denied
                        count as completed); 1 it failed or was cancelled, or an MCP server could not
                        start; 130 after Ctrl-C (143 after SIGTERM); 2 usage error, nothing sent
                        (--approve without a terminal, or naming no tool or server).
                """.formatted(McpClient.DEFAULT_MAX_RESULT_CHARS, ARGUMENTS_SHOWN);
    }

    private record Options(
            ProviderCatalog provider,
            String model,
            String prompt,
            @Nullable String system,
            int maxTurns,
            int maxTokens,
            Duration toolTimeout,
            int maxRetries,
            List<Fallbacks.Target> fallbacks,
            @Nullable Hedging hedging,
            List<McpServers.Spec> mcp,
            List<String> approve,
            Map<String, String> mcpEnv,
            int maxToolResult,
            @Nullable Effort effort,
            boolean thinking,
            boolean cache,
            Attachments files) {}

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) throws UsageException {
        Options o = parse(args);
        Efforts.noticeRetirements(err, Efforts.models(o.model(), o.fallbacks()));
        Optional<ApprovalPrompt> asker = o.approve().isEmpty() ? Optional.empty() : prompt.get();
        if (!o.approve().isEmpty() && asker.isEmpty()) {
            throw new UsageException(
                    "--approve asks on the terminal, and this process has none; run it from a terminal,"
                            + " or leave --approve out");
        }
        Double fakeRate = Endpoint.fakeRate(env);
        Endpoint.checkBaseUrls(env, StreamCommand.providers(o.provider(), o.fallbacks()));
        Terminal term = terminal.get();
        MidLine midLine = new MidLine(term.sharedWithStdout(), !term.stdoutIsTerminal());
        Consumer<String> line = l -> {
            err.print(midLine.lineBreak());
            err.println(l);
            err.flush();
        };
        StreamController controller = StreamController.create();
        AtomicReference<McpServers> servers = new AtomicReference<>(McpServers.NONE);
        Questioner questions = new Questioner(asker.orElse(null), prompt);
        CountDownLatch ended = new CountDownLatch(1);
        Thread hook = shutdownHook
                ? new Thread(
                        () -> {
                            controller.cancel("interrupted by Ctrl-C or SIGTERM");
                            out.flush();
                            if (questions.endWaitingQuestion()) {
                                // the command's thread waits for the answer and will not get to say it: say it here
                                err.println("error: cancelled ("
                                        + controller.cancelReason().orElse("cancelled") + ")");
                                err.flush();
                            } else {
                                try { // the run's end says so, and sends its MCP tasks' cancel before their servers
                                    // close
                                    ended.await(2, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                            servers.get().close(); // the JVM may halt before the command's thread closes them: no child
                            // outlives it
                        },
                        "sluice-agent-shutdown")
                : null;
        if (hook != null) Runtime.getRuntime().addShutdownHook(hook);
        try (McpServers mcp = startServers(o, servers, err);
                Questioner ask = questions) {
            if (mcp == null) return 1;
            ApprovalPolicy policy =
                    policy(o.approve(), List.of(DemoTools.weather(), DemoTools.countSlowly(countStep)), mcp);
            return run(o, fakeRate, midLine, line, controller, mcp, policy, ask, out, err);
        } finally {
            ended.countDown();
            if (hook != null) Endpoint.removeShutdownHook(hook);
        }
    }

    /** {@return the started servers, also set in {@code servers} for the shutdown hook; null when one failed (said on err)} */
    private static @Nullable McpServers startServers(Options o, AtomicReference<McpServers> servers, PrintStream err) {
        if (o.mcp().isEmpty()) return McpServers.NONE;
        try {
            McpServers started = McpServers.start(o.mcp(), o.mcpEnv(), o.maxToolResult());
            servers.set(started);
            started.describe().forEach(err::println);
            return started;
        } catch (IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return null;
        }
    }

    /**
     * {@return the calls that ask on the terminal: every one for {@code all}, else those of the tools
     * and of the MCP servers named}
     *
     * @throws UsageException for a name that is neither a tool's nor a server's
     */
    static ApprovalPolicy policy(List<String> names, List<AgentTool> demoTools, McpServers mcp) throws UsageException {
        if (names.isEmpty()) return ApprovalPolicy.none();
        if (names.equals(List.of("all"))) return ApprovalPolicy.all();
        List<String> known = new ArrayList<>();
        demoTools.forEach(t -> known.add(t.name()));
        mcp.tools().forEach(t -> known.add(t.name()));
        List<String> sources =
                mcp.tools().stream().map(AgentTool::source).distinct().toList();
        for (String n : names) {
            if (!known.contains(n) && !sources.contains(n)) {
                throw new UsageException(
                        "--approve " + printable(n) + ": no tool or MCP server has that name; the tools are "
                                + printable(String.join(", ", known)));
            }
        }
        String[] all = names.toArray(String[]::new);
        return ApprovalPolicy.tools(all).or(ApprovalPolicy.sources(all));
    }

    private int run(
            Options o,
            @Nullable Double fakeRate,
            MidLine midLine,
            Consumer<String> line,
            StreamController controller,
            McpServers mcp,
            ApprovalPolicy policy,
            Questioner ask,
            PrintStream out,
            PrintStream err) {
        try (Endpoint endpoint = Endpoint.open(env, o.provider(), fakeRate, err)) {
            ProviderClient provider;
            Fallbacks fallbacks = null;
            try {
                RetryPolicy retries = RetryPolicy.defaults().withMaxRetries(o.maxRetries());
                StreamObserver notices = StreamCommand.notices(o.maxRetries(), 0, line, () -> "");
                provider = endpoint.connect(
                        endpoint.options(retries).observer(notices).build(), env);
                endpoint.notePlaceholderKey(err);
                if (!o.fallbacks().isEmpty()) {
                    fallbacks = Fallbacks.open(
                            new Fallbacks.Target(o.provider(), o.model()),
                            provider,
                            o.fallbacks(),
                            o.hedging(),
                            env,
                            fakeRate,
                            retries,
                            notices,
                            err);
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                err.println("error: " + e.getMessage());
                return 1;
            }
            try {
                LastTurn turns = new LastTurn(fallbacks == null ? provider : fallbacks.chain());
                ToolRunner.Builder runner = ToolRunner.builder(turns)
                        .tool(DemoTools.weather())
                        .tool(DemoTools.countSlowly(countStep))
                        .maxTurns(o.maxTurns())
                        .toolTimeout(o.toolTimeout())
                        .maxResultChars(o.maxToolResult())
                        .approval(policy);
                mcp.tools().forEach(runner::tool);
                return runAgent(runner, turns, o, midLine, line, controller, ask, out, err);
            } finally {
                if (fallbacks != null) fallbacks.close();
                provider.close();
            }
        }
    }

    private int runAgent(
            ToolRunner.Builder builder,
            LastTurn provider,
            Options o,
            MidLine midLine,
            Consumer<String> line,
            StreamController controller,
            Questioner ask,
            PrintStream out,
            PrintStream err) {
        ToolRunner runner;
        try {
            runner = builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("error: " + e.getMessage()); // an MCP tool named as a demo tool
            return 1;
        }
        ChatRequest.Builder request = ChatRequest.builder()
                .model(o.model())
                .maxTokens(o.maxTokens())
                .addMessage(o.files().message(o.prompt()));
        if (o.system() != null) request.system(o.system());
        if (o.effort() != null) request.effort(o.effort());
        if (o.thinking()) request.showThinking(true);
        if (o.cache())
            PromptCaching.mark(request, o.model(), o.system(), o.files().message(o.prompt()));
        ThinkingLines thinking = new ThinkingLines(line);
        ToolApprovals approvals = ToolApprovals.create();
        long start = System.nanoTime();
        long firstText = -1;
        long turnFirst = -1; // the first and the latest chunk of the model's turn, while it streams
        long turnLast = -1;
        long generating = 0; // the turns' streaming time added up: tool time left out
        AgentEvent.RunFinished finished = null;
        try (EventStream<AgentEvent> events = runner.run(request.build(), controller, approvals)) {
            for (AgentEvent event : events) {
                switch (event) {
                    case AgentEvent.ModelChunk chunk
                    when chunk.chunk().failover() != null ->
                        line.accept(
                                "sluice: " + Fallbacks.describe(chunk.chunk().failover()));
                    case AgentEvent.ModelChunk chunk
                    when chunk.chunk().hedge() != null ->
                        line.accept(
                                "sluice: " + Fallbacks.describe(chunk.chunk().hedge()));
                    case AgentEvent.ModelChunk chunk -> {
                        long now = System.nanoTime();
                        if (turnFirst < 0) turnFirst = now;
                        turnLast = now;
                        if (!chunk.chunk().thinking().isEmpty())
                            thinking.add(chunk.chunk().thinking());
                        if (chunk.text().isEmpty()) break;
                        thinking.flush();
                        if (firstText < 0) firstText = now;
                        out.print(chunk.text());
                        out.flush();
                        if (out.checkError()) controller.cancel("stdout was closed");
                        midLine.printed(chunk.text());
                    }
                    case AgentEvent.TurnEnded t -> {
                        thinking.flush();
                        midLine.endLine(out); // piped: the next turn's text starts a line of its own
                        if (turnFirst >= 0) generating += turnLast - turnFirst;
                        turnFirst = -1;
                    }
                    case AgentEvent.ToolStarted s -> {
                        thinking.flush();
                        line.accept("tool " + printable(s.name()) + "(" + brief(s.arguments()) + ") started");
                    }
                    case AgentEvent.ToolProgress p ->
                        line.accept(progressLine(p.name(), p.message(), p.percent(), p.progress(), p.total()));
                    case AgentEvent.ApprovalRequested a -> {
                        err.flush();
                        ApprovalPrompt asking =
                                Objects.requireNonNull(ask.approvals(), "approvals are asked under --approve only");
                        approvals.decide(a.id(), asking.ask(midLine.lineBreak(), a.name(), a.arguments()), null);
                    }
                    case AgentEvent.InputRequested q -> {
                        err.flush();
                        ApprovalPrompt asking = ask.questions();
                        if (asking == null) {
                            approvals.unanswered(q.id(), "sluice agent has no terminal to ask on");
                        } else {
                            asking.answer(midLine.lineBreak(), q.name(), q.message(), q.schema())
                                    .ifPresentOrElse(
                                            content -> approvals.answer(q.id(), content),
                                            () -> approvals.decide(q.id(), false, "declined"));
                        }
                    }
                    case AgentEvent.ToolCompleted c ->
                        line.accept("tool " + printable(c.name()) + " done in "
                                + String.format(Locale.ROOT, "%.3f", c.elapsed().toNanos() / 1e9) + " s");
                    case AgentEvent.ToolFailed f ->
                        line.accept("tool " + printable(f.name())
                                + (f.kind() == AgentEvent.ToolFailed.Kind.DENIED ? " not run: " : " failed: ")
                                + printable(f.error()));
                    case AgentEvent.RunFinished f -> finished = f;
                    default -> {}
                }
            }
            if (turnFirst >= 0) generating += turnLast - turnFirst; // the last turn ends with the run
            midLine.endLine(out);
            if (out.checkError()) return 0; // stdout closed (`| head`): a Unix tool's normal end, said by nothing
            if (events.endReason().orElse(EndReason.COMPLETED) == EndReason.CANCELLED || finished == null) {
                line.accept("error: cancelled (" + controller.cancelReason().orElse("cancelled") + ")");
                return 1;
            }
            err.print(midLine.lineBreak());
            summary(err, finished, o, start, firstText, generating, provider.requestId());
            return 0;
        } catch (SluiceException e) {
            midLine.endLine(out);
            if (out.checkError()) return 0; // stdout closed, so we cancelled: a failure after that is its echo
            err.print(midLine.lineBreak());
            err.println("error: " + StreamCommand.describe(e));
            e.requestId().ifPresent(id -> err.println("request id: " + id));
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static void summary(
            PrintStream err,
            AgentEvent.RunFinished f,
            Options o,
            long start,
            long firstText,
            long generating,
            Optional<String> requestId) {
        err.println("time to first token: " + (firstText < 0 ? "none" : StreamCommand.seconds(firstText - start)));
        long tokens = f.usage().outputTokens();
        err.println("tokens/s: " + StreamCommand.rate(tokens, generating));
        err.println("usage: " + StreamCommand.tokens(Long.toString(f.usage().inputTokens()), "input") + ", "
                + StreamCommand.tokens(Long.toString(tokens), "output")
                + StreamCommand.cache(f.usage().cacheReadTokens(), f.usage().cacheWriteTokens()));
        String stop = f.reason() == AgentEvent.RunFinished.StopReason.TURN_LIMIT
                ? "turn limit (--max-turns " + o.maxTurns() + ")"
                : f.lastResponse().finishReason() == null
                        ? "unknown"
                        : f.lastResponse().finishReason().raw();
        err.println("stop reason: " + stop);
        err.println("request id: " + requestId.orElse("unknown"));
        err.println("turns: " + f.turns());
        if (o.hedging() != null) { // the last turn's
            ResponseMetadata m = f.lastResponse().metadata();
            err.println(Fallbacks.answeredBy(
                    new Fallbacks.Target(o.provider(), o.model()).name(),
                    m.hedge(),
                    m.failovers().isEmpty() ? null : m.failovers().getLast().to()));
        }
    }

    /** {@return a tool call's arguments on one line, cut at {@link #ARGUMENTS_SHOWN} characters} */
    static String brief(String arguments) {
        String s = printable(arguments).strip();
        return s.length() <= ARGUMENTS_SHOWN ? s : s.substring(0, ARGUMENTS_SHOWN - 3) + "...";
    }

    /**
     * {@return a tool's progress line: {@code tool NAME: 2/4 MESSAGE} when how far and of how much
     * are known, else {@code tool NAME: 50% MESSAGE} with a percentage, else {@code tool NAME: MESSAGE}}
     */
    static String progressLine(
            String name, String message, @Nullable Double percent, @Nullable Double progress, @Nullable Double total) {
        String how = progress != null && total != null
                ? number(progress) + "/" + number(total)
                : percent != null ? Math.round(percent) + "%" : "";
        String text = printable(message).strip();
        return "tool " + printable(name) + ":" + (how.isEmpty() ? "" : " " + how) + (text.isEmpty() ? "" : " " + text);
    }

    /** {@return a number as a person writes it: {@code 2}, {@code 2.5}, {@code 0.333}} */
    static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) return String.valueOf(d);
        return BigDecimal.valueOf(d)
                .setScale(3, RoundingMode.HALF_EVEN)
                .stripTrailingZeros()
                .toPlainString();
    }

    /**
     * {@return text from a model or a tool server made safe for one line of a terminal: line breaks
     * and tabs become spaces, other control characters (an escape sequence's ESC among them) escaped
     * as {@link TerminalText} escapes them}
     */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') continue;
            b.append(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
        }
        return TerminalText.escape(b.toString());
    }

    /**
     * The terminal the run asks on: {@code --approve}'s, opened at the start, else opened at a
     * tool's first question (none when the process has no terminal, and the question is then
     * answered {@link ToolApprovals#unanswered}). Threading: the command's thread opens and asks;
     * the Ctrl-C hook ends a waiting question from its own.
     */
    private static final class Questioner implements AutoCloseable {
        private final @Nullable ApprovalPrompt approvals;
        private final Supplier<Optional<ApprovalPrompt>> open;
        private volatile @Nullable ApprovalPrompt opened;
        private boolean tried;

        Questioner(@Nullable ApprovalPrompt approvals, Supplier<Optional<ApprovalPrompt>> open) {
            this.approvals = approvals;
            this.open = open;
        }

        @Nullable
        ApprovalPrompt approvals() {
            return approvals;
        }

        /** {@return the terminal to ask a tool's question on; null when there is none} */
        @Nullable
        ApprovalPrompt questions() {
            if (approvals != null) return approvals;
            if (!tried) {
                tried = true;
                opened = open.get().orElse(null);
            }
            return opened;
        }

        boolean endWaitingQuestion() {
            ApprovalPrompt a = approvals != null ? approvals : opened;
            return a != null && a.endWaitingQuestion();
        }

        @Override
        public void close() {
            if (approvals != null) approvals.close();
            ApprovalPrompt o = opened;
            if (o != null) o.close();
        }
    }

    /**
     * The run's provider, keeping each turn's stream so that the summary can name the last
     * response's request id. The turns' streams are opened on the runner's threads, one at a time.
     */
    private static final class LastTurn implements ChatProvider {
        private final ChatProvider provider;
        private volatile @Nullable EventStream<MessageChunk> last;

        LastTurn(ChatProvider provider) {
            this.provider = provider;
        }

        @Override
        public EventStream<MessageChunk> stream(ChatRequest request) {
            return last = provider.stream(request);
        }

        @Override
        public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
            return last = provider.stream(request, controller);
        }

        Optional<String> requestId() {
            EventStream<MessageChunk> s = last;
            return s == null ? Optional.empty() : s.requestId();
        }
    }

    /**
     * {@return the names --approve gives, each value split at commas; {@code all} stands alone}
     *
     * @throws UsageException for a blank name
     */
    static List<String> approvals(List<String> values) throws UsageException {
        List<String> names = new ArrayList<>();
        for (String v : values) {
            for (String name : v.split(",", -1)) {
                if (name.isBlank())
                    throw new UsageException(
                            "--approve needs a tool's name, an MCP server's name or all, not '" + v + "'");
                if (!names.contains(name.strip())) names.add(name.strip());
            }
        }
        return names.contains("all") ? List.of("all") : List.copyOf(names);
    }

    private Options parse(List<String> args) throws UsageException {
        Args parsed = Args.parse(args, VALUED, Set.of("--thinking", "--cache"));
        if (parsed.positional().isEmpty()) throw new UsageException("a PROMPT is required");
        String prompt = String.join(" ", parsed.positional());
        if (prompt.isBlank()) throw new UsageException("the PROMPT must not be blank");
        ProviderCatalog provider = Providers.named(parsed.get("--provider", Providers.DEFAULT.id()));
        String model = parsed.get("--model", provider.defaultModel());
        if (model.isBlank()) throw new UsageException("--model must not be blank");
        int maxTurns = (int) parsed.getLong("--max-turns", DEFAULT_MAX_TURNS, 1, 1000);
        int maxTokens = (int) parsed.getLong("--max-tokens", StreamCommand.DEFAULT_MAX_TOKENS, 1, Integer.MAX_VALUE);
        String system = Endpoint.nonBlank(parsed.get("--system"));
        Duration toolTimeout = parsed.getSeconds("--tool-timeout");
        int maxRetries = (int) parsed.getLong("--max-retries", RetryPolicy.DEFAULT_MAX_RETRIES, 0, 100);
        String fallback = parsed.get("--fallback");
        List<Fallbacks.Target> fallbacks =
                fallback == null ? List.of() : Fallbacks.parse(fallback, new Fallbacks.Target(provider, model));
        return new Options(
                provider,
                model,
                prompt,
                system,
                maxTurns,
                maxTokens,
                toolTimeout != null ? toolTimeout : Duration.ofSeconds(60),
                maxRetries,
                fallbacks,
                StreamCommand.hedging(parsed, fallbacks),
                McpServers.parse(parsed.getAll("--mcp")),
                approvals(parsed.getAll("--approve")),
                McpServers.variables(parsed.getAll("--mcp-env"), env),
                maxToolResult(parsed),
                Efforts.parse(parsed.get("--effort"), Efforts.models(model, fallbacks)),
                thinking(parsed, Efforts.models(model, fallbacks)),
                parsed.has("--cache"),
                Attachments.read(parsed.getAll("--file"), Efforts.models(model, fallbacks)));
    }

    /** {@return whether --thinking is given, checked against every model the agent may ask} */
    private static boolean thinking(Args parsed, List<String> models) throws UsageException {
        if (!parsed.has("--thinking")) return false;
        ThinkingLines.check(models);
        return true;
    }

    /** {@return --max-tool-result, checked} */
    static int maxToolResult(Args parsed) throws UsageException {
        return (int) parsed.getLong("--max-tool-result", McpClient.DEFAULT_MAX_RESULT_CHARS, 1024, 64L * 1024 * 1024);
    }
}
