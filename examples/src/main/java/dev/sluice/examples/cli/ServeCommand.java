package dev.sluice.examples.cli;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatProvider;
import dev.sluice.examples.DemoTools;
import dev.sluice.examples.fake.FakeAnthropicServer;
import dev.sluice.examples.serve.AgentRelaySource;
import dev.sluice.examples.serve.RelayServer;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.relay.Relay;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code sluice serve [--port N] [--host H] [--provider P] [--model M] [--heartbeat S]
 * [--resume-window S]}: the relay and the chat page on Jetty ({@link RelayServer}), until Ctrl-C
 * or until the running thread is interrupted. Every provider is offered to the page; each uses its
 * key and base URL from the environment, or the embedded fake server when neither is set. Each
 * prompt runs through the tool runner with the demo tools ({@link AgentRelaySource}), so the page
 * shows tool progress. Prints
 * {@code sluice serve: http://HOST:PORT/} on stderr once it listens (after a line saying which
 * providers stream from the fake server); nothing to stdout.
 */
final class ServeCommand implements Command {
    /** The tools the page's model may call: made-up weather, and a count that reports progress. */
    private static final List<dev.sluice.agent.AgentTool> DEMO_TOOLS =
            List.of(DemoTools.weather(), DemoTools.countSlowly(Duration.ofMillis(300)));
    private static final int MAX_TURNS = 5;
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
                usage: sluice serve [--port N] [--host H] [--provider P] [--model M] [--heartbeat S] [--resume-window S]

                Serves a chat page and the relay's API until stopped (Ctrl-C):
                  GET /                              the page (markdown, highlighted code, TTFT, tokens/s, Stop)
                  POST /api/streams                  {"prompt": "...", "provider"?, "model"?, "system"?, "maxTokens"?}
                                                     -> 201 {"id", "events"}; bad input -> 4xx {"error": {"type", "message"}}
                  GET /api/streams/ID/events         text/event-stream, id: 1, 2, 3 ...; resumes with Last-Event-ID
                  DELETE /api/streams/ID             cancels the stream -> 204
                  WebSocket /api/ws                  {"type":"start",...}, {"type":"cancel"}, {"type":"resume","stream","lastEventId"}
                  --port N            port, 0-65535 (default 8080; 0: any free port)
                  --host H            address to bind (default 127.0.0.1)
                  --provider P        the page's default provider: %s (default %s)
                  --model M           the default provider's model (default: the provider's default)
                  --heartbeat S       seconds without an event before a ': ping' (default 15)
                  --resume-window S   seconds a stream whose client left keeps running for a resume
                                      (default 10; 0: cancel at once)
                A provider uses its key and base URL from the environment (ANTHROPIC_API_KEY, OPENAI_API_KEY,
                GEMINI_API_KEY and their *_BASE_URL); with neither, the embedded fake server answers.
                Prints 'sluice serve: http://HOST:PORT/' on stderr once listening.
                """.formatted(Providers.names(), Providers.DEFAULT);
    }

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) throws UsageException {
        Args parsed = Args.parse(args, Set.of("--port", "--host", "--provider", "--model", "--heartbeat", "--resume-window"), Set.of());
        if (!parsed.positional().isEmpty()) {
            throw new UsageException("serve takes no arguments, not '" + parsed.positional().getFirst() + "'");
        }
        int port = (int) parsed.getLong("--port", 8080, 0, 65535);
        String host = parsed.get("--host", "127.0.0.1");
        if (host.isBlank()) throw new UsageException("--host must not be blank");
        String defaultProvider = parsed.get("--provider", Providers.DEFAULT);
        if (Providers.named(defaultProvider).isEmpty()) {
            throw new UsageException("unknown provider '" + defaultProvider + "'; use one of " + Providers.names());
        }
        String model = parsed.get("--model", null);
        if (model != null && model.isBlank()) throw new UsageException("--model must not be blank");
        Duration heartbeat = parsed.getSeconds("--heartbeat");
        Duration resumeWindow = seconds(parsed, "--resume-window");

        List<AutoCloseable> clients = new ArrayList<>();
        FakeAnthropicServer fake = null;
        RelayServer server = null;
        try {
            Relay.Builder relay = Relay.builder();
            List<String> offline = new ArrayList<>();
            List<String> order = new ArrayList<>(List.of(defaultProvider));
            for (String name : List.of("anthropic", "openai", "gemini")) if (!order.contains(name)) order.add(name);
            for (String name : order) {
                Providers.Provider p = Providers.named(name).orElseThrow();
                String key = Endpoint.nonBlank(env.get(p.keyVariable()));
                String base = Endpoint.nonBlank(env.get(p.baseUrlVariable()));
                if (key == null && base == null) {
                    if (fake == null) fake = FakeAnthropicServer.builder().build().start();
                    base = fake.baseUrl().toString();
                    offline.add(name);
                }
                ChatProvider client = client(name, key == null ? Endpoint.PLACEHOLDER_KEY : key, base);
                clients.add((AutoCloseable) client);
                // Each stream runs through the tool runner with the demo tools: the page shows tool progress.
                relay.source(name, name.equals(defaultProvider) && model != null ? model : p.defaultModel(),
                        AgentRelaySource.factory(client, DEMO_TOOLS, MAX_TURNS));
            }
            if (heartbeat != null) relay.heartbeat(heartbeat);
            if (resumeWindow != null) relay.resumeWindow(resumeWindow);
            if (!offline.isEmpty()) {
                err.println("sluice serve: no API key for " + String.join(", ", offline) + "; streaming from the embedded fake server at " + fake.baseUrl());
            }
            server = RelayServer.start(relay.build(), host, port);
            return await(server, err);
        } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } finally {
            if (server != null) server.close();
            for (AutoCloseable c : clients) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing a client on the way out: nothing left to report to
                }
            }
            if (fake != null) fake.close();
        }
    }

    private static int await(RelayServer server, PrintStream err) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "sluice-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        err.println("sluice serve: " + server.uri());
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

    /** A provider's client as a {@link ChatProvider} (each is also {@link AutoCloseable}). */
    static ChatProvider client(String name, String key, String base) {
        return switch (name) {
            case "anthropic" -> {
                AnthropicClient.Builder b = AnthropicClient.builder().apiKey(key);
                if (base != null) b.baseUrl(base);
                yield b.build();
            }
            case "openai" -> {
                OpenAiClient.Builder b = OpenAiClient.builder().apiKey(key);
                if (base != null) b.baseUrl(base);
                yield b.build();
            }
            case "gemini" -> {
                GeminiClient.Builder b = GeminiClient.builder().apiKey(key);
                if (base != null) b.baseUrl(base);
                yield b.build();
            }
            default -> throw new IllegalArgumentException("unknown provider " + name);
        };
    }

    /** Seconds, 0 allowed. */
    private static Duration seconds(Args parsed, String flag) throws UsageException {
        String v = parsed.get(flag, null);
        if (v == null) return null;
        if (v.trim().equals("0")) return Duration.ZERO;
        return parsed.getSeconds(flag);
    }
}
