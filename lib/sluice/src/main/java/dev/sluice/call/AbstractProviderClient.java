package dev.sluice.call;

import dev.sluice.chat.ProviderClient;
import dev.sluice.client.RateLimits;
import dev.sluice.client.ResilienceMetrics;
import dev.sluice.internal.call.client.ClientCore;
import java.net.http.HttpClient;
import java.util.Objects;
import java.util.Optional;

/**
 * What each of Sluice's four provider clients ({@code AnthropicClient}, {@code OpenAiClient},
 * {@code GeminiClient}, {@code BedrockClient}) does the same way, written once: its reports (the
 * rate limits last seen, whether a new stream would be refused, the concurrency limit and breaker)
 * and its life cycle ({@link #close()}). Each client's streams, requests and settings are its own.
 *
 * <p>Not for extending: its one constructor takes the client's core, a type of the implementation
 * that no code outside Sluice can reach, and refuses null, so the four clients are its only
 * subclasses with instances; a user holds one of the four, or a {@link ProviderClient}. (Not
 * {@code sealed}: a {@code permits} clause would name the four clients' packages from this one,
 * which they use, a cycle the layer table forbids.) Thread-safe, as the clients are.
 */
public abstract class AbstractProviderClient implements ProviderClient {
    // Threading: the core is final and thread-safe (see ClientCore).

    private final ClientCore core;

    /**
     * A client over its core. For the four clients alone: its parameter's type is the
     * implementation's, which no code outside Sluice can name or make.
     *
     * @param core the client's core: transport, retrier, open streams
     * @throws NullPointerException if core is null
     * @hidden
     */
    // "exports": ClientCore is not exported, on purpose: it keeps every other subclass out (see the class's note);
    // "InvalidBlockTag": Error Prone knows no @hidden on a constructor, which javadoc honours (it leaves it out)
    @SuppressWarnings({"exports", "InvalidBlockTag"})
    protected AbstractProviderClient(ClientCore core) {
        this.core = Objects.requireNonNull(core, "core");
    }

    /**
     * {@return the rate limits reported with the latest response of any of this client's streams
     * (or the delay named by the latest refused opening), when one came} Each stream also has its
     * own response's, {@code stream.rateLimits()}. Any thread.
     */
    @Override
    public final Optional<RateLimits> rateLimits() {
        return core.rateLimits();
    }

    /**
     * {@return whether a stream opened now would be refused without a request: the breaker is open
     * or the concurrency limit full} Any thread.
     */
    @Override
    public final boolean refusesNewStreams() {
        return core.refusesNewStreams();
    }

    /** {@return the state of the client's concurrency limit and circuit breaker now} Any thread. */
    public final ResilienceMetrics resilienceMetrics() {
        return core.resilienceMetrics();
    }

    /**
     * Cancels every open stream and in-flight request of this client (their producer threads end),
     * then closes the {@link HttpClient} if this client created it (one passed to its builder is
     * left open). Idempotent, safe from any thread; later calls to its stream and request methods
     * throw {@link IllegalStateException}.
     */
    @Override
    public final void close() {
        core.close();
    }
}
