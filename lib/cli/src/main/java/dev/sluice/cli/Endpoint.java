package dev.sluice.cli;

import dev.sluice.testkit.FakeLlmServer;
import java.io.PrintStream;
import java.util.Map;

/**
 * Where a command sends its provider's requests: the key and base URL from the environment, or,
 * with neither, the embedded fake server, started here and stopped by {@link #close()}. With only
 * a base URL, a placeholder key goes to it. Says which on stderr, as DESIGN.md's command-line
 * contract asks. Shared by {@code stream} and {@code agent}.
 */
final class Endpoint implements AutoCloseable {
    /** The environment variable that sets the fake server's pace, in tokens per second. */
    static final String FAKE_RATE_VARIABLE = "SLUICE_FAKE_TOKENS_PER_SECOND";
    /** The key sent when only a base URL is set (a local server that ignores keys). */
    static final String PLACEHOLDER_KEY = "sluice-placeholder-key";

    final String key;
    final String base;
    private final FakeLlmServer fake;

    private Endpoint(String key, String base, FakeLlmServer fake) {
        this.key = key;
        this.base = base;
        this.fake = fake;
    }

    /**
     * {@return the fake server's pace from {@link #FAKE_RATE_VARIABLE}, or null when unset}
     *
     * @throws UsageException when it is not a number from 0 to 1,000,000
     */
    static Double fakeRate(Map<String, String> env) throws UsageException {
        String v = nonBlank(env.get(FAKE_RATE_VARIABLE));
        if (v == null) return null;
        try {
            double r = Double.parseDouble(v.trim());
            if (r >= 0 && r <= 1_000_000) return r;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(FAKE_RATE_VARIABLE + " must be a number of tokens per second from 0 to 1000000, not '" + v + "'");
    }

    /**
     * {@return the endpoint for {@code provider}: its key and base URL from {@code env}, or the fake
     * server (paced at {@code fakeRate} when not null) when neither is set} Writes the line saying so
     * to {@code err}.
     */
    static Endpoint open(Map<String, String> env, Providers.Provider provider, Double fakeRate, PrintStream err) {
        String key = nonBlank(env.get(provider.keyVariable()));
        String base = nonBlank(env.get(provider.baseUrlVariable()));
        FakeLlmServer fake = null;
        if (key == null && base == null) {
            fake = startFake(fakeRate);
            base = fake.baseUrl().toString();
            key = PLACEHOLDER_KEY;
            err.println("sluice: no " + provider.keyVariable() + " set; streaming from the embedded fake server at " + base);
        } else if (key == null) {
            key = PLACEHOLDER_KEY;
            err.println("sluice: no " + provider.keyVariable() + " set; sending a placeholder key to " + base);
        }
        err.flush();
        return new Endpoint(key, base, fake);
    }

    /** {@return the embedded fake server, started, paced at {@code fakeRate} tokens per second (null: 70)} */
    static FakeLlmServer startFake(Double fakeRate) {
        return FakeLlmServer.builder().tokensPerSecond(fakeRate != null ? fakeRate : 70).recordRequests(false).start();
    }

    /** {@return {@code s}, or null when it is null or blank} */
    static String nonBlank(String s) {
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
