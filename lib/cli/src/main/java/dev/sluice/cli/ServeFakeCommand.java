package dev.sluice.cli;

import dev.sluice.providers.ProviderCatalog;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.clouds.FakeAzure;
import dev.sluice.testkit.clouds.FakeBedrock;
import dev.sluice.testkit.clouds.FakeVertex;
import dev.sluice.vertex.VertexAccess;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * {@code sluice serve-fake [--port N] [--tokens-per-second R]}: runs the embedded fake LLM server
 * alone, which speaks every provider's streaming API, until the process is stopped (Ctrl-C,
 * SIGTERM) or the running thread is interrupted. Prints to stderr its base URL, the environment
 * variable and path of each provider, and a command to try; nothing to stdout. Its pace is
 * {@code --tokens-per-second}, else {@code SLUICE_FAKE_TOKENS_PER_SECOND}, else 70.
 */
final class ServeFakeCommand implements Command {
    private static final double MAX_RATE = 1_000_000;

    private final Map<String, String> env;

    ServeFakeCommand() {
        this(System.getenv());
    }

    /** For tests: the environment. */
    ServeFakeCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public String name() {
        return "serve-fake";
    }

    @Override
    public String summary() {
        return "run the embedded fake LLM server (every provider's API) on loopback";
    }

    @Override
    public String usage() {
        return """
                usage: sluice serve-fake [--port N] [--tokens-per-second R]

                Runs a fake LLM server on 127.0.0.1 until stopped (Ctrl-C). It speaks every provider's
                streaming API, each at its own path under one base URL:
                  anthropic          POST /v1/messages                 ANTHROPIC_BASE_URL
                  openai             POST /v1/chat/completions         OPENAI_BASE_URL
                  openai-responses   POST /v1/responses                OPENAI_BASE_URL
                  gemini             POST /v1beta/models/M:streamGenerateContent?alt=sse   GEMINI_BASE_URL
                  bedrock            POST /model/M/converse-stream     AWS_ENDPOINT_URL_BEDROCK_RUNTIME
                  bedrock-anthropic  POST /model/M/invoke-with-response-stream   AWS_ENDPOINT_URL_BEDROCK_RUNTIME
                  bedrock-openai     POST /openai/v1/chat/completions  AWS_ENDPOINT_URL_BEDROCK_RUNTIME
                  bedrock-openai-responses  POST /mantle/v1/responses (and /mantle/openai/v1/responses)
                                                                       AWS_ENDPOINT_URL_BEDROCK_MANTLE (BASE/mantle)
                  bedrock-mantle-anthropic  POST /mantle/anthropic/v1/messages
                                                                       AWS_ENDPOINT_URL_BEDROCK_MANTLE (BASE/mantle)
                  vertex             POST /v1/projects/P/locations/L/publishers/google/models/M:streamGenerateContent
                                                                       GOOGLE_VERTEX_BASE_URL
                  vertex-anthropic   POST /v1/projects/P/locations/L/publishers/anthropic/models/M:streamRawPredict
                                                                       GOOGLE_VERTEX_BASE_URL
                  azure-openai       POST /openai/v1/chat/completions  AZURE_OPENAI_ENDPOINT
                  azure-openai-responses  POST /openai/v1/responses    AZURE_OPENAI_ENDPOINT
                  foundry-anthropic  POST /anthropic/v1/messages       ANTHROPIC_FOUNDRY_BASE_URL (BASE/anthropic)
                Any API key is accepted; the clouds' routes check credentials as the clouds do, and take the
                fake's test credentials, which the banner prints (docs/testkit.md):
                  bedrock*                     AWS_BEARER_TOKEN_BEDROCK, or AWS_ACCESS_KEY_ID and
                                               AWS_SECRET_ACCESS_KEY (any region; signed for bedrock,
                                               under /mantle for bedrock-mantle)
                  vertex, vertex-anthropic     GOOGLE_APPLICATION_CREDENTIALS (a key file serve-fake
                                               writes) and GOOGLE_CLOUD_PROJECT
                  azure-openai*                AZURE_OPENAI_API_KEY, or Entra ID (AZURE_TENANT_ID,
                                               AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_AUTHORITY_HOST)
                  foundry-anthropic            ANTHROPIC_FOUNDRY_API_KEY, or Entra ID
                  --port N                port to listen on, 0-65535 (default 0: any free port)
                  --tokens-per-second R   pace of the streamed deltas, >= 0 (default
                                          $SLUICE_FAKE_TOKENS_PER_SECOND, else 70; 0: no pacing)
                Models named fake-overloaded, fake-rate-limited, fake-flaky-N, fake-error-mid-stream,
                fake-drop, fake-stall, fake-not-sse, fake-echo-headers and fake-echo-headers-mid-stream
                inject faults (the last two repeat the request's headers, keys included, in an error).
                """;
    }

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) throws UsageException {
        Args parsed = Args.parse(args, Set.of("--port", "--tokens-per-second"), Set.of());
        if (!parsed.positional().isEmpty()) {
            throw new UsageException(
                    "serve-fake takes no arguments, not '" + parsed.positional().getFirst() + "'");
        }
        int port = (int) parsed.getLong("--port", 0, 0, 65535);
        FakeLlmServer.Builder builder =
                FakeLlmServer.builder().port(port).tokensPerSecond(70).recordRequests(false);
        Double fromEnv = Endpoint.fakeRate(env);
        if (parsed.has("--tokens-per-second")) builder.tokensPerSecond(rate(parsed.get("--tokens-per-second", "")));
        else if (fromEnv != null) builder.tokensPerSecond(fromEnv);

        FakeLlmServer server;
        ListenAddress listen = new ListenAddress("127.0.0.1", port);
        try {
            server = builder.start();
        } catch (UncheckedIOException e) {
            listen.throwIfBindFailure(e);
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    server.close();
                    stopped.countDown();
                },
                "sluice-serve-fake-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String vertexKey = vertexKeyFile(server.baseUrl());
        err.print(howToUse(server.baseUrl().toString(), vertexKey));
        err.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already stopping; the hook runs or has run
            }
        }
        return 0;
    }

    /**
     * {@return what serve-fake prints once it listens: where each provider's API is, how to point a
     * cloud provider at it (its endpoint variable, and the fake's test credentials, which open
     * nothing but the fake), and a command to try}
     */
    static String howToUse(String base, @Nullable String vertexKeyFile) {
        StringBuilder sb = new StringBuilder(
                "sluice serve-fake: a fake LLM server on " + base
                        + " speaks every provider's streaming API (Ctrl-C stops it); any API key is accepted, but the clouds' routes"
                        + " check credentials as the clouds do (the fake's test credentials are below and in docs/testkit.md)\n");
        for (ProviderCatalog p : ProviderCatalog.values()) {
            sb.append(String.format(
                    "  %-22s %-" + (34 + base.length() + 10) + "s %s%n",
                    p.id(),
                    p.baseUrlVariables().getFirst() + "=" + base + Providers.fakePath(p),
                    "POST " + p.basePath() + p.streamPath()));
        }
        // the clouds' providers that share a key variable share the fake's test credentials
        Map<String, List<ProviderCatalog>> byKey = new LinkedHashMap<>();
        for (ProviderCatalog p : ProviderCatalog.values()) {
            if (p.cloud() != ProviderCatalog.Cloud.NONE && p.keyVariable().isPresent())
                byKey.computeIfAbsent(p.keyVariable().get(), k -> new ArrayList<>())
                        .add(p);
        }
        boolean entraShown = false;
        for (Map.Entry<String, List<ProviderCatalog>> k : byKey.entrySet()) {
            ProviderCatalog first = k.getValue().getFirst();
            String or = "";
            if (first.cloud() == ProviderCatalog.Cloud.AWS) {
                or = " (or AWS_ACCESS_KEY_ID=" + FakeBedrock.ACCESS_KEY_ID + " AWS_SECRET_ACCESS_KEY="
                        + FakeBedrock.SECRET_ACCESS_KEY + ")";
            } else if (first.cloud() == ProviderCatalog.Cloud.AZURE) {
                or = entraShown
                        ? " (or Entra ID, as above)"
                        : " (or Entra ID: AZURE_TENANT_ID=" + FakeAzure.TENANT_ID + " AZURE_CLIENT_ID="
                                + FakeAzure.CLIENT_ID + " AZURE_CLIENT_SECRET=" + FakeAzure.CLIENT_SECRET
                                + " AZURE_AUTHORITY_HOST=the base URL)";
                entraShown = true;
            }
            sb.append(String.format(
                    "  %-22s %s%n",
                    glob(k.getValue()), "credentials: " + k.getKey() + "=" + Providers.fakeKey(first) + or));
        }
        if (vertexKeyFile != null) {
            sb.append(String.format(
                    "  %-22s %s%n",
                    glob(Arrays.stream(ProviderCatalog.values())
                            .filter(p -> p.cloud() == ProviderCatalog.Cloud.GOOGLE)
                            .toList()),
                    "credentials: GOOGLE_APPLICATION_CREDENTIALS=" + vertexKeyFile
                            + " (the fake's service account, its token_uri the fake's) " + VertexAccess.PROJECT_ENV
                            + "="
                            + FakeVertex.PROJECT));
        }
        ProviderCatalog openai = ProviderCatalog.OPENAI;
        ProviderCatalog bedrock = ProviderCatalog.BEDROCK;
        sb.append("try: ")
                .append(Providers.DEFAULT.baseUrlVariables().getFirst())
                .append('=')
                .append(base)
                .append(" ./sluice stream \"hi\"   (or ")
                .append(openai.baseUrlVariables().getFirst())
                .append('=')
                .append(base)
                .append(" ./sluice stream --provider ")
                .append(openai.id())
                .append(" \"hi\"; ")
                .append(bedrock.baseUrlVariables().getFirst())
                .append('=')
                .append(base)
                .append(' ')
                .append(bedrock.keyVariable().orElseThrow())
                .append('=')
                .append(FakeBedrock.API_KEY)
                .append(" ./sluice stream --provider ")
                .append(bedrock.id())
                .append(" \"hi\")\n");
        return sb.toString();
    }

    /** {@return the providers' ids as one pattern: the id of one, the common start of several and a '*'} */
    private static String glob(List<ProviderCatalog> providers) {
        String common = providers.getFirst().id();
        if (providers.size() == 1) return common;
        for (ProviderCatalog p : providers) {
            while (!p.id().startsWith(common)) common = common.substring(0, common.length() - 1);
        }
        return common.replaceFirst("-$", "") + "*";
    }

    /**
     * {@return a file holding the fake's service account key (test values; its {@code token_uri} the
     * fake's), deleted when the JVM exits, for {@code GOOGLE_APPLICATION_CREDENTIALS}; null if it cannot be written}
     */
    static @Nullable String vertexKeyFile(URI base) {
        try {
            Path key = Files.createTempFile("sluice-fake-vertex-key-", ".json");
            key.toFile().deleteOnExit();
            Files.writeString(key, FakeVertex.serviceAccountJson(base));
            return key.toString();
        } catch (IOException e) {
            return null; // the banner then leaves the line out
        }
    }

    private static double rate(String value) throws UsageException {
        double r;
        try {
            r = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--tokens-per-second needs a number, not '" + value + "'");
        }
        if (!(r >= 0) || r > MAX_RATE) {
            throw new UsageException(
                    "--tokens-per-second must be between 0 and " + (long) MAX_RATE + ", not '" + value + "'");
        }
        return r;
    }
}
