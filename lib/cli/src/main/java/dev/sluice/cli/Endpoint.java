package dev.sluice.cli;

import dev.sluice.chat.ProviderClient;
import dev.sluice.client.ClientOptions;
import dev.sluice.client.RetryPolicy;
import dev.sluice.models.ModelCatalog;
import dev.sluice.providers.ProviderCatalog;
import dev.sluice.testkit.FakeLlmServer;
import java.io.PrintStream;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a command sends its provider's requests: the key and base URL from the environment, or,
 * with neither, the embedded fake server, started here and stopped by {@link #close()}. Without a
 * key, the client sends a placeholder key to a base URL on loopback, as every Sluice client does,
 * and refuses any other, naming the variable. A cloud provider's endpoint and key (where the cloud
 * has keys) come the same way; its other settings and its credentials the provider reads from the
 * environment itself ({@link #connect}). Says which on stderr, as DESIGN.md's
 * command-line contract asks. Shared by {@code stream}, {@code object} and {@code agent}.
 */
final class Endpoint implements AutoCloseable {
    /** The environment variable that sets the fake server's pace, in tokens per second. */
    static final String FAKE_RATE_VARIABLE = "SLUICE_FAKE_TOKENS_PER_SECOND";

    private final ProviderCatalog provider;

    /** The key from the environment, or null. */
    final @Nullable String key;

    final @Nullable String base;
    private final @Nullable FakeLlmServer fake;
    private final @Nullable String unsetKeyVariable; // set when only the base URL came from the environment

    private Endpoint(
            ProviderCatalog provider,
            @Nullable String key,
            @Nullable String base,
            @Nullable FakeLlmServer fake,
            @Nullable String unsetKeyVariable) {
        this.provider = provider;
        this.key = key;
        this.base = base;
        this.fake = fake;
        this.unsetKeyVariable = unsetKeyVariable;
    }

    /**
     * Checks the base URL each provider's variables set ({@code ANTHROPIC_BASE_URL},
     * {@code AWS_ENDPOINT_URL_BEDROCK_RUNTIME} ...), the catalog's reading of them
     * ({@link ProviderCatalog#options}: which host's variables apply), and a cloud provider's other
     * settings (an AWS region), as the client will, so that a bad one is reported naming the
     * variable before anything starts.
     *
     * @throws UsageException naming the variable and what is wrong with its value
     */
    static void checkBaseUrls(Map<String, String> env, Collection<ProviderCatalog> providers) throws UsageException {
        for (ProviderCatalog p : providers) {
            for (String variable : p.baseUrlVariables()) {
                String base = nonBlank(env.get(variable));
                if (base == null) continue;
                try {
                    ClientOptions.builder().baseUrl(base);
                } catch (IllegalArgumentException e) {
                    String m = Objects.requireNonNullElse(e.getMessage(), "");
                    throw new UsageException(
                            m.startsWith("baseUrl ") ? variable + m.substring("baseUrl".length()) : variable + ": " + m,
                            false);
                }
            }
            try {
                p.options(env); // the catalog's own reading: which host's variables apply, and their values
            } catch (IllegalArgumentException e) {
                throw new UsageException(String.valueOf(e.getMessage()), false);
            }
            Providers.check(p, env);
        }
    }

    /**
     * {@return the fake server's pace from {@link #FAKE_RATE_VARIABLE}, or null when unset}
     *
     * @throws UsageException when it is not a number from 0 to 1,000,000
     */
    static @Nullable Double fakeRate(Map<String, String> env) throws UsageException {
        String v = nonBlank(env.get(FAKE_RATE_VARIABLE));
        if (v == null) return null;
        try {
            double r = Double.parseDouble(v.trim());
            if (r >= 0 && r <= 1_000_000) return r;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(
                FAKE_RATE_VARIABLE + " must be a number of tokens per second from 0 to 1000000, not '" + v + "'");
    }

    /**
     * {@return the endpoint for {@code provider}: its key and base URL from {@code env}, or the fake
     * server (paced at {@code fakeRate} when not null) when none of its variables is set (a cloud
     * provider then sends the fake its test key)} Writes the line saying so to {@code err}.
     */
    static Endpoint open(
            Map<String, String> env, ProviderCatalog provider, @Nullable Double fakeRate, PrintStream err) {
        String key = provider.key(env).orElse(null);
        String base = provider.baseUrl(env).orElse(null);
        FakeLlmServer fake = null;
        if (!provider.configured(env)) {
            fake = startFake(fakeRate);
            base = fake.baseUrl() + Providers.fakePath(provider);
            key = Providers.fakeKey(provider);
            err.println(
                    "sluice: no " + provider.whatToSet() + " set; streaming from the embedded fake server at " + base);
            err.flush();
        }
        boolean placeholder = key == null
                && fake == null
                && provider.cloudVariables().isEmpty(); // a cloud's chain finds its credentials
        return new Endpoint(
                provider, key, base, fake, placeholder ? provider.keyVariable().orElse(null) : null);
    }

    /**
     * {@return the provider's client on this endpoint, from these options (its key and base URL
     * from {@link #options}) and the environment (on the embedded fake, with its settings: {@link Providers#fakeEnv})}
     *
     * @throws IllegalArgumentException for a setting the client refuses
     * @throws IllegalStateException for a setting missing (the message says which variable to set)
     */
    ProviderClient connect(ClientOptions options, Map<String, String> env) {
        return provider.connect(options, fake != null ? Providers.fakeEnv(provider, env) : env);
    }

    /**
     * {@return the backend of {@code sluice stream} on this endpoint: Anthropic's full-fidelity
     * Messages stream for {@code anthropic}, any other provider through the provider-neutral layer}
     */
    StreamBackend backend(ClientOptions options, Map<String, String> env) {
        if (provider == ProviderCatalog.ANTHROPIC) return AnthropicBackend.connect(options);
        ProviderClient client = connect(options, env);
        return new ChatBackend(client, client);
    }

    /** {@return client options with this endpoint's key (when set), base URL and the retries} */
    ClientOptions.Builder options(RetryPolicy retries) {
        return Providers.options(key, base, retries);
    }

    /**
     * Says on stderr that a placeholder key goes to the base URL, when the environment set only
     * the base URL. Call it once the client is built: a client builds without a key only for a
     * base URL on loopback.
     */
    void notePlaceholderKey(PrintStream err) {
        if (unsetKeyVariable == null) return;
        err.println("sluice: no " + unsetKeyVariable + " set; sending a placeholder key to " + base);
        err.flush();
    }

    /**
     * On the embedded fake server, one {@code note:} line for each model the catalog does not know:
     * the fake answers any id, where the provider's API answers a typo ({@code claude-sonet-5-5})
     * with a 404.
     */
    void noteUnknownModels(PrintStream err, List<String> models) {
        if (fake == null) return;
        for (String model : new LinkedHashSet<>(models)) {
            if (ModelCatalog.find(model).isPresent()) continue;
            err.println("note: " + model + " is not a model the catalog knows; the fake answers it, the real API"
                    + " would answer 404");
        }
        err.flush();
    }

    /** {@return the embedded fake server, started, paced at {@code fakeRate} tokens per second (null: 70)} */
    static FakeLlmServer startFake(@Nullable Double fakeRate) {
        return FakeLlmServer.builder()
                .tokensPerSecond(fakeRate != null ? fakeRate : 70)
                .recordRequests(false)
                .start();
    }

    /** {@return {@code s}, or null when it is null or blank} */
    static @Nullable String nonBlank(@Nullable String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /**
     * Removes a shutdown hook the command installed, unless the JVM is already exiting (Ctrl-C:
     * the hook runs).
     */
    static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook runs or has run
        }
    }

    /** Stops the fake server, if this endpoint started one. */
    @Override
    public void close() {
        if (fake != null) fake.close();
    }
}
