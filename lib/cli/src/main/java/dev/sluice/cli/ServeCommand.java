package dev.sluice.cli;

import dev.sluice.RelayException;
import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ApprovalPolicy;
import dev.sluice.agent.ToolRunner;
import dev.sluice.agent.TurnCheckpoint;
import dev.sluice.bedrock.BedrockClient;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.Effort;
import dev.sluice.chat.FallbackChain;
import dev.sluice.chat.Hedging;
import dev.sluice.chat.ProviderClient;
import dev.sluice.chat.ToolResult;
import dev.sluice.cli.serve.ServeServer;
import dev.sluice.client.RetryPolicy;
import dev.sluice.mcp.McpClient;
import dev.sluice.providers.ProviderCatalog;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayLimits;
import dev.sluice.relay.RelaySource;
import dev.sluice.relay.StartRequest;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.relay.http.RequestGuard;
import dev.sluice.relay.http.Route;
import dev.sluice.relay.http.ServerSpec;
import dev.sluice.relay.redis.RedisRelayStore;
import dev.sluice.server.ChatPage;
import dev.sluice.stream.StreamController;
import dev.sluice.testkit.FakeLlmServer;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@code sluice serve [flags]}: the relay and the chat page on Jetty ({@link ServeServer}), until
 * Ctrl-C or until the running thread is interrupted. Every provider is offered to the page; each
 * uses its key and base URL from the environment, or the embedded fake server when neither is
 * set. Each prompt runs through the tool runner with the demo tools ({@link RelaySource#toolRunner}),
 * so the page shows tool progress. Loopback by default; the origin, host, token and limit rules
 * are {@link RequestGuard}'s, {@link RelayAdmission}'s and {@link ServeServer}'s, set by the flags
 * ({@link #usage()}); every flag, and the limits' worst-case memory against the heap
 * ({@link MemoryBudget}), are checked first, then the port, before anything binds or starts
 * ({@link ListenAddress}; an {@code --approve} name that no demo tool has waits for the MCP
 * servers' tools, which are known once the servers run). Prints
 * {@code sluice serve: http://HOST:PORT/} on stderr once it listens (after a line saying which
 * providers stream from the fake server); one access-log line per stream on stderr or to
 * {@code --access-log}, and its log records on stderr in the same shape ({@link LogLine}); nothing
 * to stdout.
 *
 * <p>Why this file is long: every flag of {@code serve} is read, checked and turned into its setting here,
 * before anything binds, so that the command's usage and the order of its checks read in one place;
 * the server itself is {@link ServeServer}'s.
 */
final class ServeCommand implements Command {
    /** The tools the page's model may call: made-up weather, and a count that reports progress. */
    private static final List<AgentTool> DEMO_TOOLS =
            List.of(DemoTools.weather(), DemoTools.countSlowly(Duration.ofMillis(300)));

    private static final int MAX_TURNS = 5;
    /** The environment variable that sets the token, as {@code --token} does. */
    static final String TOKEN_VARIABLE = "SLUICE_SERVE_TOKEN";
    /** The environment variables of the Redis user and password, for --store (never printed). */
    static final String REDIS_USER_VARIABLE = "SLUICE_REDIS_USER";

    static final String REDIS_PASSWORD_VARIABLE = "SLUICE_REDIS_PASSWORD";
    static final int DEFAULT_MAX_CONNECTIONS = 100;
    private static final Set<String> VALUED = Set.of(
            "--port",
            "--fallback",
            "--route",
            "--hedge-after",
            "--failover-cooldown",
            "--effort",
            "--host",
            "--provider",
            "--model",
            "--heartbeat",
            "--resume-window",
            "--token",
            "--allow-origin",
            "--allow-host",
            "--max-streams",
            "--max-streams-per-client",
            "--max-creations-per-minute",
            "--max-failed-resumes-per-minute",
            "--max-tokens",
            "--models",
            "--max-connections",
            "--max-connections-per-client",
            "--header-timeout",
            "--body-timeout",
            "--answer-timeout",
            "--replay-bytes",
            "--max-request-bytes",
            "--max-prompt-chars",
            "--access-log",
            "--store",
            "--store-ca",
            "--trusted-proxy",
            "--mcp",
            "--approve",
            "--tool-timeout",
            "--approval-timeout",
            "--mcp-env",
            "--max-tool-result");
    private final Map<String, String> env;

    ServeCommand() {
        this(System.getenv());
    }

    /** For tests: the environment. */
    ServeCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "serve the chat page and the relay API (SSE and WebSocket) on Jetty";
    }

    @Override
    public String usage() {
        return """
                usage: sluice serve [--port N] [--host H] [--provider P] [--model M] [flags below]

                Serves a chat page and the relay's API until stopped (Ctrl-C):
                  GET /                              the page (markdown, highlighted code, TTFT, tokens/s, Stop)
                  POST /api/streams                  {"messages": [{"role": "user"|"assistant", "content"}, ...] or
                                                     "prompt": "...", "provider"?, "model"?, "system"?, "maxTokens"?}
                                                     as Content-Type: application/json
                                                     -> 201 {"id", "events"}; refused -> 4xx {"error": {"type", "message"}}
                  GET /api/streams/ID/events         text/event-stream, id: 1, 2, 3 ...; resumes with Last-Event-ID
                  DELETE /api/streams/ID             cancels the stream -> 204
                  POST /v1/chat/completions          the gateway's front doors (OpenAI Chat Completions, OpenAI Responses,
                  POST /v1/responses                 Anthropic Messages), model "PROVIDER/MODEL" (any provider above) or
                  POST /v1/messages                  a --route alias; the caller's tools; the token as Authorization:
                  GET /v1/models                     Bearer or x-api-key (docs/serve.md)
                  POST|GET /v1/keys, DELETE /v1/keys/ID  with the token: keys with models, a token budget and a rate,
                                                     taken by the front doors as the token (docs/serve.md#keys-and-budgets)
                  WebSocket /api/ws                  {"type":"start",...}, {"type":"cancel"}, {"type":"resume","stream","lastEventId"}
                  WebSocket /v1/responses            the Responses API over a WebSocket (Codex's supports_websockets):
                                                     {"type":"response.create",...}; --no-responses-websocket: 426
                  POST /api/chat                     the Vercel AI SDK's useChat: its UI message stream
                  GET /api/chat/ID/stream            its resume (204: the chat runs no stream of this client's)
                  POST /api/ag-ui                    AG-UI: a RunAgentInput, answered with AG-UI events
                  GET /healthz                       for load balancers: 200 {"status":"ok"}, 503 while --store's Redis
                                                     does not answer; any Host, no token (docs/serve.md#deploying)
                  --port N            port, 0-65535 (default 8080; 0: any free port)
                  --host H            address to bind (default 127.0.0.1, loopback only; 0.0.0.0: every address)
                  --provider P        the page's default provider: %s (default %s)
                  --model M           the default provider's model (default: the provider's default)
                  --fallback P:M,...  the default provider's streams go on with the next PROVIDER:MODEL
                                      when they fail (each switch is a 'switch' event; see docs/serve.md)
                  --route A=P:M,...   the model name A on every front door, the page and /api/providers: a
                                      fallback chain over the PROVIDER:MODELs in order (repeatable; docs/serve.md)
                  --failover-cooldown S  seconds a --route or --fallback target whose answer broke off is asked
                                      last by that chain, so a client's retry goes to the next target (default %d;
                                      0: none)
                  --hedge-after T     with --fallback or --route: a stream without content after T (800ms, 1.5s; or
                                      pNN[,floor=T]) also starts the next target, the first to answer is
                                      kept (a 'hedge' event); at most 5%% of the last 100 streams per model
                  --effort LEVEL      none|minimal|low|medium|high|xhigh|max: how hard every model thinks when
                                      the request names no effort, sent as each model takes it (checked
                                      against --model and --fallback before anything starts; docs/models.md)
                  --heartbeat S       seconds without an event before a ': ping' (default 15)
                  --resume-window S   seconds a stream whose client left keeps running for a resume
                                      (default 10; 0: cancel at once)
                  --mcp URL|COMMAND   also offer an MCP server's tools to every prompt (repeatable): http:// or
                                      https:// is Streamable HTTP, anything else a command line run over stdio
                                      (split as a shell would, nothing expanded), stopped with serve; a
                                      command gets PATH, HOME and the locale of this environment, not the
                                      rest (your API keys); a server that dies is started again
                  --mcp-env NAME      also pass this environment variable to the --mcp commands (repeatable)
                  --max-tool-result N a tool's result is cut to N characters, saying so (default %d)
                  --approve NAME|all  a call of this tool, of this MCP server's tools, or of any tool waits
                                      until the page (or the API) approves it (repeatable, or NAME,NAME)
                  --tool-timeout S    seconds a tool call may go without progress before it fails and the
                                      model reads so (default none; an MCP server's call still stops
                                      after 60 s without progress, or 10 minutes in all)
                  --approval-timeout S seconds a call waits for the page's approval, or a tool's question
                                      (an MCP server's, an MCP task's) for the page's answer, before the
                                      call is not run or the question is unanswered and its task
                                      cancelled (default 600)
                Who may call (docs/serve.md):
                  --token T           require 'Authorization: Bearer T' on the API; the page is opened once at
                                      /?token=T, which sets a cookie (also $%s; at least 16 characters). Bound to
                                      a non-loopback address without one, serve makes one and prints the URL with it
                  --no-token          serve a non-loopback address without a token (anyone who reaches it spends your keys)
                  --no-responses-websocket  answer the WebSocket upgrade of /v1/responses with 426 (POST still works)
                  --allow-origin URL  also accept API calls from pages at this origin, with CORS headers (repeatable)
                  --allow-host NAME   also answer to this Host name, e.g. a reverse proxy's (repeatable)
                  --trusted-proxy CIDR  requests from these addresses (a reverse proxy's: 127.0.0.1, 10.0.0.0/8, ::1;
                                      repeatable or comma-separated) count as the client their X-Forwarded-For
                                      (or Forwarded) names, for every per-client limit and the access log, and
                                      their X-Forwarded-Proto: https makes the cookies Secure; from others those
                                      headers are ignored (default: none)
                Limits (refusals are 400 or 429 with a JSON error):
                  --max-streams N                 streams at once, in all (default %d)
                  --max-streams-per-client N      streams at once per client address (default %d)
                  --max-creations-per-minute N    streams started per client address per minute, 429 with Retry-After past it
                                                  (default %d; 0: no limit)
                  --max-failed-resumes-per-minute N
                                                  chat resumes per client address per minute that find no chat of
                                                  the client's, 429 with Retry-After past them (default %d; 0: no limit)
                  --max-tokens N                  the largest "maxTokens" a request may ask for (default %d)
                  --models P=M1,M2                the models provider P offers, others 400 (repeatable; default: each
                                                  provider's default model only; P=* any model)
                  --max-connections N             connections at once (default %d)
                  --max-connections-per-client N  connections at once per client address (default %d)
                  --header-timeout S              seconds a connection may take to send a request's headers (default %d)
                  --body-timeout S                seconds a request's body may take to arrive whole, 408 past it (default %d)
                  --answer-timeout S              seconds the gateway waits for an answer asked without a stream, 504
                                                  past it (default 600)
                  --replay-bytes N                each stream's replay buffer, in UTF-8 bytes (default %d)
                  --max-request-bytes N           the largest request body, 413 past it (default %d; a coding agent's
                                                  requests need MBs: 16777216)
                  --max-prompt-chars N            the most characters of a request's messages and system prompt
                                                  (default %d; a coding agent's: 4000000)
                  --access-log FILE               one line per stream (time, client, stream, provider, model, tokens,
                                                  end, duration) appended to FILE (default: stderr)
                Several nodes (docs/serve.md):
                  --store redis://HOST:PORT[/DB]  keep streams in Redis (rediss:// for TLS), shared by every serve on it:
                                                  resume, cancel and limits work across nodes; any node of a Redis
                                                  Cluster (found by itself), or several HOST:PORT separated by commas
                                                  (tried in turn); user and password from the URL or $%s / $%s
                                                  (never printed)
                  --store-ca FILE                 rediss:// only: trust only the CA certificates of this PEM file
                                                  (default: the JDK's CAs); the host name is always verified
                serve refuses to start when the limits could take more than half the heap.
                A provider uses its key and base URL from the environment (ANTHROPIC_API_KEY, OPENAI_API_KEY,
                GEMINI_API_KEY and their *_BASE_URL), a cloud provider its cloud's variables ('sluice stream --help');
                with none set, the embedded fake server answers (paced at $SLUICE_FAKE_TOKENS_PER_SECOND, default
                70). A cloud provider whose variables are set but incomplete is left out, with a line saying why,
                unless --provider or --fallback names it.
                Prints 'sluice serve: http://HOST:PORT/' on stderr once listening.
                """.formatted(
                        ProviderCatalog.names(),
                        Providers.DEFAULT.id(),
                        FallbackChain.DEFAULT_COOLDOWN.toSeconds(),
                        McpClient.DEFAULT_MAX_RESULT_CHARS,
                        TOKEN_VARIABLE,
                        ServerSpec.DEFAULT_MAX_STREAMS,
                        RelayAdmission.DEFAULT_MAX_STREAMS_PER_CLIENT,
                        ServerSpec.DEFAULT_MAX_CREATIONS_PER_MINUTE,
                        RelayAdmission.DEFAULT_MAX_FAILED_RESUMES_PER_MINUTE,
                        ServerSpec.DEFAULT_MAX_TOKENS,
                        DEFAULT_MAX_CONNECTIONS,
                        ServeServer.DEFAULT_MAX_CONNECTIONS_PER_CLIENT,
                        ServeServer.DEFAULT_HEADER_TIMEOUT.toSeconds(),
                        RelayAdmission.DEFAULT_BODY_TIMEOUT.toSeconds(),
                        ServerSpec.DEFAULT_REPLAY_BYTES,
                        RelayAdmission.DEFAULT_MAX_REQUEST_BYTES,
                        RelayLimits.defaults().maxPromptChars(),
                        REDIS_USER_VARIABLE,
                        REDIS_PASSWORD_VARIABLE);
    }

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) throws UsageException {
        Args parsed = Args.parse(args, VALUED, Set.of("--no-token", "--no-responses-websocket"));
        if (!parsed.positional().isEmpty()) {
            throw new UsageException(
                    "serve takes no arguments, not '" + parsed.positional().getFirst() + "'");
        }
        int port = (int) parsed.getLong("--port", 8080, 0, 65535);
        String host = parsed.get("--host", "127.0.0.1");
        if (host.isBlank()) throw new UsageException("--host must not be blank");
        ProviderCatalog first = Providers.named(parsed.get("--provider", Providers.DEFAULT.id()));
        String defaultProvider = first.id();
        String model = parsed.get("--model");
        if (model != null && model.isBlank()) throw new UsageException("--model must not be blank");
        Duration heartbeat = parsed.getSeconds("--heartbeat");
        Duration resumeWindow = seconds(parsed, "--resume-window");
        Duration headerTimeout = parsed.getSeconds("--header-timeout");
        Duration bodyTimeout = parsed.getSeconds("--body-timeout");
        Duration answerTimeout = parsed.getSeconds("--answer-timeout");
        Duration cooldown = seconds(parsed, "--failover-cooldown");
        Duration failoverCooldown = cooldown != null ? cooldown : FallbackChain.DEFAULT_COOLDOWN;
        int maxStreams = (int) parsed.getLong("--max-streams", ServerSpec.DEFAULT_MAX_STREAMS, 1, 100_000);
        int perClient = (int)
                parsed.getLong("--max-streams-per-client", RelayAdmission.DEFAULT_MAX_STREAMS_PER_CLIENT, 1, 100_000);
        int creations = (int)
                parsed.getLong("--max-creations-per-minute", ServerSpec.DEFAULT_MAX_CREATIONS_PER_MINUTE, 0, 1_000_000);
        int failedResumes = (int) parsed.getLong(
                "--max-failed-resumes-per-minute", RelayAdmission.DEFAULT_MAX_FAILED_RESUMES_PER_MINUTE, 0, 1_000_000);
        int maxTokens =
                (int) parsed.getLong("--max-tokens", ServerSpec.DEFAULT_MAX_TOKENS, 1, StartRequest.MAX_TOKENS_LIMIT);
        int maxConnections = (int) parsed.getLong("--max-connections", DEFAULT_MAX_CONNECTIONS, 1, 1_000_000);
        int connectionsPerClient = (int) parsed.getLong(
                "--max-connections-per-client", ServeServer.DEFAULT_MAX_CONNECTIONS_PER_CLIENT, 1, 1_000_000);
        long replayBytes = parsed.getLong("--replay-bytes", ServerSpec.DEFAULT_REPLAY_BYTES, 4096, 1L << 30);
        int replayEvents = ServerSpec.replayEvents(replayBytes);
        Double fakeRate = Endpoint.fakeRate(env);
        Endpoint.checkBaseUrls(env, order(first)); // every provider is offered to the page
        String token = token(parsed, host, err);
        Map<String, Set<String>> models = models(parsed, first, model);
        String fallback = parsed.get("--fallback");
        List<Fallbacks.Target> fallbacks = fallback == null
                ? List.of()
                : Fallbacks.parse(fallback, new Fallbacks.Target(first, model != null ? model : first.defaultModel()));
        Map<String, Route> routes = Routes.parse(
                parsed.getAll("--route"),
                Arrays.stream(ProviderCatalog.values()).map(ProviderCatalog::id).toList());
        Hedging hedging = fallbacks.isEmpty() && !routes.isEmpty() && parsed.get("--hedge-after") != null
                ? Fallbacks.parseHedge(parsed.get("--hedge-after"))
                : StreamCommand.hedging(parsed, fallbacks);
        List<String> asked = new ArrayList<>(List.of(model != null ? model : first.defaultModel()));
        fallbacks.forEach(t -> asked.add(t.model()));
        routes.values().forEach(r -> r.targets().forEach(t -> asked.add(t.model())));
        Effort effort = Efforts.parse(parsed.get("--effort"), asked);
        Efforts.noticeRetirements(err, asked); // as stream, agent and object do: before it serves a request

        int maxRequestBytes = (int) parsed.getLong(
                "--max-request-bytes", RelayAdmission.DEFAULT_MAX_REQUEST_BYTES, 1024, 256L * 1024 * 1024);
        int maxPromptChars = (int)
                parsed.getLong("--max-prompt-chars", RelayLimits.defaults().maxPromptChars(), 1, Integer.MAX_VALUE);
        String storeUrl = parsed.get("--store");
        RedisRelayStore.Builder storeBuilder =
                storeUrl == null ? null : storeBuilder(storeUrl, parsed.get("--store-ca"));
        if (storeUrl == null && parsed.get("--store-ca") != null)
            throw new UsageException("--store-ca is the CA of --store's rediss:// Redis: give --store too");
        // with a shared store a node also buffers the streams of other nodes its clients read (as many again)
        List<McpServers.Spec> mcpSpecs = McpServers.parse(parsed.getAll("--mcp"));
        Map<String, String> mcpEnv = McpServers.variables(parsed.getAll("--mcp-env"), env);
        int maxToolResult = AgentCommand.maxToolResult(parsed);
        MemoryBudget budget = new MemoryBudget(
                storeBuilder == null ? maxStreams : 2 * maxStreams,
                replayBytes,
                replayEvents,
                maxPromptChars,
                maxConnections,
                maxRequestBytes,
                mcpSpecs.size(),
                maxToolResult,
                // Bedrock Runtime answers in AWS event-stream frames, each decoded whole (the embedded fake's are
                // small)
                order(first).stream()
                        .anyMatch(p -> p.configured(env) && p.baseUrlVariables().contains(BedrockClient.ENDPOINT_ENV)));
        long heap = Runtime.getRuntime().maxMemory();
        budget.check(heap);
        Long softMaxHeap = HeapCeiling.asked();
        List<String> approve = AgentCommand.approvals(parsed.getAll("--approve"));
        if (mcpSpecs.isEmpty()) policy(approve, McpServers.NONE); // an MCP server's tool names are known once it runs
        Duration toolTimeout = parsed.getSeconds("--tool-timeout");
        Duration approvalTimeout = parsed.getSeconds("--approval-timeout");
        checkAddresses(parsed);
        ListenAddress listen = new ListenAddress(host, port);
        listen.checkFree(); // after every flag, before the fake server, the clients or the store start

        LogLine.install(); // warnings in the access log's shape, a line each
        List<AutoCloseable> clients = new ArrayList<>();
        FakeLlmServer fake = null;
        ServeServer served = null;
        HeapCeiling ceiling = null;
        RedisRelayStore store = null;
        McpServers mcp = McpServers.NONE;
        PrintStream accessLog = err;
        try {
            if (!mcpSpecs.isEmpty()) {
                mcp = McpServers.start(mcpSpecs, mcpEnv, maxToolResult);
                mcp.describe().forEach(err::println);
            }
            ApprovalPolicy policy = policy(approve, mcp);
            String file = parsed.get("--access-log");
            if (file != null)
                accessLog = new PrintStream(new FileOutputStream(file, true), true, StandardCharsets.UTF_8);
            McpServers tools = mcp;
            // the server's specification (as the Boot starter fills it from its properties)
            ServerSpec.Builder spec = ServerSpec.builder()
                    .maxStreams(maxStreams)
                    .replayBytes(replayBytes)
                    .maxPromptChars(maxPromptChars)
                    .maxStreamsPerClient(perClient)
                    .maxCreationsPerMinute(creations)
                    .maxFailedResumesPerMinute(failedResumes)
                    .maxTokens(maxTokens)
                    .maxRequestBytes(maxRequestBytes)
                    .accessLog(accessLog::println)
                    .page(ChatPage.assets())
                    .token(token)
                    .responsesWebSocket(!parsed.has("--no-responses-websocket"))
                    .failoverCooldown(failoverCooldown)
                    // each stream runs through the tool runner with the demo tools: the page shows tool progress
                    .sources(p -> toolRunner(p, tools, policy, toolTimeout, approvalTimeout, maxToolResult))
                    .routeChains(c -> c.hedging(hedging));
            if (heartbeat != null) spec.heartbeat(heartbeat);
            if (resumeWindow != null) spec.resumeWindow(resumeWindow);
            if (bodyTimeout != null) spec.bodyTimeout(bodyTimeout);
            if (answerTimeout != null) spec.answerTimeout(answerTimeout);
            parsed.getAll("--trusted-proxy").forEach(spec::trustedProxy); // checked by checkAddresses
            parsed.getAll("--allow-origin").forEach(spec::allowOrigin);
            parsed.getAll("--allow-host").forEach(spec::allowHost);
            if (storeBuilder != null) {
                store = storeBuilder.build();
                store.ping(); // refuse to start on a Redis that does not answer, rather than answer 503 to everyone
                spec.store(store).keys(store.apiKeys());
                err.println("sluice serve: streams are shared through " + store);
            }
            List<String> offline = new ArrayList<>();
            List<String> needed = new ArrayList<>(List.of(defaultProvider)); // the providers serve cannot start without
            fallbacks.forEach(t -> needed.add(t.provider().id()));
            routes.values().forEach(r -> r.targets().forEach(t -> needed.add(t.provider())));
            Map<String, ChatProvider> byName = new HashMap<>();
            // per cloud's variables (one lookup of AWS's credentials for its six providers)
            Map<List<String>, Optional<String>> credentialsProblems = new HashMap<>();
            for (ProviderCatalog p : order(first)) {
                String name = p.id();
                String key = p.key(env).orElse(null);
                String base = p.baseUrl(env).orElse(null);
                Map<String, String> connectEnv = env;
                if (!p.configured(env)) {
                    if (fake == null) fake = Endpoint.startFake(fakeRate);
                    base = fake.baseUrl() + Providers.fakePath(p);
                    key = Providers.fakeKey(p);
                    connectEnv = Providers.fakeEnv(p, env);
                    offline.add(name);
                }
                ProviderClient client;
                try {
                    client = p.connect(
                            Providers.options(key, base, RetryPolicy.defaults()).build(), connectEnv);
                    if (!offline.contains(name)) { // a cloud half set (AWS_REGION, no credentials) is not offered
                        String problem = credentialsProblems
                                .computeIfAbsent(p.cloudVariables(), v -> Providers.credentialsProblem(p, env))
                                .orElse(null);
                        if (problem != null) {
                            client.close();
                            throw new IllegalStateException(problem);
                        }
                    }
                } catch (IllegalArgumentException | IllegalStateException e) {
                    if (!p.cloudVariables().isEmpty()
                            && !needed.contains(name)) { // a cloud's variable set for another tool
                        err.println("sluice serve: " + name + " is not offered: " + e.getMessage());
                        models.remove(name);
                        continue;
                    }
                    throw e;
                }
                clients.add(client);
                ChatProvider provider = effort == null ? client : ChatProvider.withEffort(client, effort);
                byName.put(name, provider);
                Function<String, FallbackChain> chains = name.equals(defaultProvider) && !fallbacks.isEmpty()
                        ? Fallbacks.perModel(
                                p,
                                fallbacks,
                                hedging,
                                failoverCooldown,
                                q -> Objects.requireNonNull(byName.get(q.id()), "every provider has a client"))
                        : null;
                String offered = name.equals(defaultProvider) && model != null ? model : p.defaultModel();
                if (chains == null) spec.provider(name, offered, provider);
                else { // a chain from the model asked for; the gateway's, continuing only (Fallbacks.byModel)
                    spec.provider(
                            name,
                            offered,
                            provider,
                            new PerModel(
                                    forModel -> toolRunner(
                                            chains.apply(forModel),
                                            tools,
                                            policy,
                                            toolTimeout,
                                            approvalTimeout,
                                            maxToolResult),
                                    offered),
                            Fallbacks.byModel(chains));
                }
                p.makersOwnApi().ifPresent(maker -> spec.ownApi(name, maker));
            }
            routes.values().forEach(spec::route); // each a chain over its targets, offered as a provider of its own
            models.forEach(spec::models);
            if (!offline.isEmpty()) {
                err.println("sluice serve: no API key for " + String.join(", ", offline)
                        + "; streaming from the embedded fake server at "
                        + Objects.requireNonNull(fake, "started for the offline providers")
                                .baseUrl());
            }
            ServerSpec server = spec.build();
            Relay relay = server.relay();
            ServeServer.Builder b;
            try {
                b = ServeServer.builder(server.api(relay))
                        .host(host)
                        .port(port)
                        .maxConnections(maxConnections)
                        .maxConnectionsPerClient(connectionsPerClient);
            } catch (RuntimeException e) {
                relay.close();
                throw e;
            }
            if (headerTimeout != null) b.headerTimeout(headerTimeout);
            served = b.start();
            RelayAdmission admission = served.routes().admission();
            if (!admission.trustedProxies().isEmpty()) {
                err.println(
                        "sluice serve: the client of a request from " + String.join(", ", admission.trustedProxies())
                                + " is the one its X-Forwarded-For (or Forwarded) names");
            }
            err.println("sluice serve: " + budget.describe(heap));
            if (softMaxHeap != null) {
                ceiling = HeapCeiling.start(softMaxHeap, served::releasePooledBuffers)
                        .orElse(null);
                if (ceiling != null) err.println("sluice serve: " + ceiling.describe());
            }
            return await(served, mcp, token != null && !token.equals(given(parsed)) ? token : null, err);
        } catch (UncheckedIOException
                | IllegalArgumentException
                | IllegalStateException
                | IOException
                | RelayException e) {
            listen.throwIfBindFailure(e); // the port taken since the check
            err.println("error: " + e.getMessage());
            return 1;
        } finally {
            if (served != null) served.close();
            if (ceiling != null) ceiling.close();
            mcp.close();
            if (store != null) store.close();
            for (AutoCloseable c : clients) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing a client on the way out: nothing left to report to
                }
            }
            if (fake != null) fake.close();
            @SuppressWarnings("ReferenceEquality") // identity: the log file opened here, not stderr
            boolean ownLog = accessLog != err;
            if (ownLog) accessLog.close();
        }
    }

    /**
     * The tool runs of a provider whose streams go through a fallback chain from the model each
     * asks for ({@code --fallback}): a stream runs on its model's chain, and so does the rest of a
     * run whose node stopped while its tools' tasks worked, on the node that took it over
     * ({@link Relay.SourceFactory#resume}, on the chain of the checkpoint's model). Each turn of the
     * rest starts on the chain's first target, as every turn of a run does (a chain's stream
     * starts on its first target): the target that served the turn before is not remembered, and
     * need not be, since the provider state of that turn, kept in the checkpoint with its route,
     * goes back only to the target that made it. A task followed alone needs no model: the
     * default model's chain follows it.
     *
     * @param byModel the tool runs on the chain from a model
     * @param defaultModel the model a stream that names none asks for
     */
    private record PerModel(Function<String, Relay.SourceFactory> byModel, String defaultModel)
            implements Relay.SourceFactory {
        @Override
        public RelaySource open(StartRequest.Resolved request, StreamController controller) {
            return byModel.apply(request.model()).open(request, controller);
        }

        @Override
        public @Nullable RelaySource follow(
                String callId, String toolName, String taskId, StreamController controller) {
            return byModel.apply(defaultModel).follow(callId, toolName, taskId, controller);
        }

        @Override
        public @Nullable RelaySource resume(
                TurnCheckpoint checkpoint,
                Map<String, String> tasks,
                Map<String, ToolResult> results,
                StreamController controller) {
            return byModel.apply(checkpoint.request().model()).resume(checkpoint, tasks, results, controller);
        }
    }

    /**
     * {@return each stream's prompt run through the tool runner with the demo tools and the MCP
     * servers' tools, from this provider, the calls the policy selects waiting for approval, each
     * call failed after {@code toolTimeout} without progress (null: no such bound), approvals and
     * tools' questions waiting at most {@code approvalTimeout} (null: the runner's default)}
     */
    private static Relay.SourceFactory toolRunner(
            ChatProvider provider,
            McpServers mcp,
            ApprovalPolicy policy,
            @Nullable Duration toolTimeout,
            @Nullable Duration approvalTimeout,
            int maxToolResult) {
        ToolRunner.Builder b = ToolRunner.builder(provider)
                .maxTurns(MAX_TURNS)
                .approval(policy)
                .maxResultChars(maxToolResult);
        if (toolTimeout != null) b.toolTimeout(toolTimeout);
        if (approvalTimeout != null) b.approvalTimeout(approvalTimeout);
        DEMO_TOOLS.forEach(b::tool);
        mcp.tools().forEach(b::tool);
        return RelaySource.toolRunner(b.build());
    }

    /**
     * {@return the calls that wait for approval: every one for {@code all}, else those of the tools
     * and of the MCP servers named}
     *
     * @throws UsageException for a name that is neither a tool's nor a server's
     */
    private static ApprovalPolicy policy(List<String> names, McpServers mcp) throws UsageException {
        return AgentCommand.policy(names, DEMO_TOOLS, mcp);
    }

    /**
     * Checks --trusted-proxy, --allow-origin and --allow-host as the server's specification will
     * take them, so that a bad one is a usage error before anything binds or starts.
     *
     * @throws UsageException naming the flag and the value
     */
    private static void checkAddresses(Args parsed) throws UsageException {
        ServerSpec.Builder spec = ServerSpec.builder(); // checks each as it is set
        Map<String, Consumer<String>> checks = new LinkedHashMap<>();
        checks.put("--trusted-proxy", spec::trustedProxy);
        checks.put("--allow-origin", spec::allowOrigin);
        checks.put("--allow-host", spec::allowHost);
        for (Map.Entry<String, Consumer<String>> check : checks.entrySet()) {
            for (String value : parsed.getAll(check.getKey())) {
                try {
                    check.getValue().accept(value);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(check.getKey() + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * {@return the store's builder: the URL checked, its CA pinned when given, user and password
     * from the environment when set there}
     */
    private RedisRelayStore.Builder storeBuilder(String url, @Nullable String ca) throws UsageException {
        RedisRelayStore.Builder b;
        try {
            b = RedisRelayStore.builder(url); // its message shows the URL without the password
        } catch (IllegalArgumentException e) {
            throw new UsageException("--store: " + e.getMessage());
        }
        try {
            if (ca != null) b.trustedCa(Path.of(ca));
        } catch (IllegalArgumentException e) { // InvalidPathException too
            throw new UsageException("--store-ca: " + e.getMessage());
        }
        String user = Endpoint.nonBlank(env.get(REDIS_USER_VARIABLE));
        String password = Endpoint.nonBlank(env.get(REDIS_PASSWORD_VARIABLE));
        if (user != null || password != null) b.credentials(user, password);
        return b;
    }

    /** {@return the providers, the default first, then the others in the catalog's order (--help's)} */
    private static List<ProviderCatalog> order(ProviderCatalog defaultProvider) {
        List<ProviderCatalog> order = new ArrayList<>(List.of(defaultProvider));
        for (ProviderCatalog p : ProviderCatalog.values()) if (p != defaultProvider) order.add(p);
        return order;
    }

    /** {@return the token given with --token or the environment, or null} */
    private @Nullable String given(Args parsed) {
        String t = parsed.get("--token");
        return t != null ? t : Endpoint.nonBlank(env.get(TOKEN_VARIABLE));
    }

    /**
     * {@return the token the server requires, or null for none} A given one; else, bound to a
     * non-loopback address, a new one (printed with the URL), unless --no-token says otherwise.
     */
    private @Nullable String token(Args parsed, String host, PrintStream err) throws UsageException {
        String token = given(parsed);
        boolean none = parsed.has("--no-token");
        if (token != null && none)
            throw new UsageException(
                    "--no-token and a token (--token or " + TOKEN_VARIABLE + ") contradict each other");
        if (token != null) {
            try {
                return RequestGuard.checkToken(token);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--token: " + e.getMessage());
            }
        }
        if (isLoopback(host)) return null;
        if (none) {
            err.println("sluice serve: warning: --no-token on " + host
                    + ": anyone who can reach it can start streams on your API keys");
            return null;
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static boolean isLoopback(String host) throws UsageException {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new UsageException("--host: cannot resolve '" + host + "'");
        }
    }

    /**
     * {@return the model allowlists: each provider's default model (and --model for the default
     * provider), replaced by --models P=M1,M2 where given; P=* lifts the list}
     */
    private static Map<String, Set<String>> models(Args parsed, ProviderCatalog defaultProvider, @Nullable String model)
            throws UsageException {
        Map<String, Set<String>> lists = new LinkedHashMap<>();
        for (ProviderCatalog p : order(defaultProvider)) {
            lists.put(p.id(), Set.of(p == defaultProvider && model != null ? model : p.defaultModel()));
        }
        for (String spec : parsed.getAll("--models")) {
            int eq = spec.indexOf('=');
            String provider = eq < 0 ? "" : spec.substring(0, eq).strip();
            if (ProviderCatalog.named(provider).isEmpty()) {
                throw new UsageException("--models needs PROVIDER=MODEL[,MODEL...] with a provider of "
                        + ProviderCatalog.names() + ", not '" + spec + "'");
            }
            Set<String> allowed = new LinkedHashSet<>();
            for (String m : spec.substring(eq + 1).split(",")) if (!m.isBlank()) allowed.add(m.strip());
            if (allowed.isEmpty()) throw new UsageException("--models " + provider + "= names no model");
            if (allowed.equals(Set.of("*"))) lists.remove(provider);
            else lists.put(provider, allowed);
        }
        return lists;
    }

    private static int await(ServeServer server, McpServers mcp, @Nullable String generatedToken, PrintStream err) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    server.close();
                    mcp.close(); // the JVM may halt before the command's thread closes them: no child outlives it
                    stopped.countDown();
                },
                "sluice-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        err.println("sluice serve: " + server.uri() + (generatedToken == null ? "" : "?token=" + generatedToken));
        if (server.routes().requiresToken() && generatedToken == null) {
            err.println(
                    "sluice serve: the token is required: send Authorization: Bearer TOKEN, or open the page once at /?token=TOKEN");
        }
        err.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Endpoint.removeShutdownHook(hook);
        }
        return 0;
    }

    /** Seconds, 0 allowed. */
    private static @Nullable Duration seconds(Args parsed, String flag) throws UsageException {
        String v = parsed.get(flag);
        if (v == null) return null;
        if (v.trim().equals("0")) return Duration.ZERO;
        return parsed.getSeconds(flag);
    }
}
