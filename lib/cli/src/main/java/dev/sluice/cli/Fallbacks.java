package dev.sluice.cli;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.FallbackChain;
import dev.sluice.chat.Hedging;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ProviderClient;
import dev.sluice.client.Failover;
import dev.sluice.client.Hedge;
import dev.sluice.client.RetryPolicy;
import dev.sluice.client.StreamObserver;
import dev.sluice.providers.ProviderCatalog;
import dev.sluice.providers.ProviderChain;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@code --fallback PROVIDER:MODEL[,PROVIDER:MODEL...]} of {@code stream}, {@code agent} and
 * {@code serve}: the targets after the command's own provider and model, built into a
 * {@link FallbackChain} with each provider's key and base URL from the environment (or the
 * embedded fake server). Closing it closes the clients and fake servers it opened. With
 * {@code --hedge-after}, the chain hedges ({@link #parseHedge}).
 */
final class Fallbacks implements AutoCloseable {
    /** One target as given on the command line. */
    record Target(ProviderCatalog provider, String model) {
        String name() {
            return provider.id() + ":" + model;
        }
    }

    private final ProviderChain chain;
    private final List<AutoCloseable> endpoints;

    private Fallbacks(ProviderChain chain, List<AutoCloseable> endpoints) {
        this.chain = chain;
        this.endpoints = endpoints;
    }

    /**
     * {@return the targets of a {@code --fallback} value, in order: each {@code PROVIDER:MODEL} as
     * {@link ProviderCatalog.Target#parse} reads it, a provider alone with its default model}
     *
     * @throws UsageException for an unknown provider, a blank model, or a target repeated
     */
    static List<Target> parse(String value, Target first) throws UsageException {
        return parse("--fallback", value, List.of(first));
    }

    /**
     * {@return the targets of a comma-separated list of {@code PROVIDER:MODEL}, in order, as
     * {@link ProviderCatalog.Target#parse} reads each (a provider alone: its default model)}
     *
     * @param flag what a message names ({@code --fallback}, {@code --route ALIAS})
     * @param before targets the list must not repeat
     * @throws UsageException for an unknown provider, a blank model, or a target repeated
     */
    static List<Target> parse(String flag, String value, List<Target> before) throws UsageException {
        List<Target> targets = new ArrayList<>();
        List<Target> seen = new ArrayList<>(before);
        for (String item : value.split(",", -1)) {
            ProviderCatalog.Target parsed;
            try {
                parsed = ProviderCatalog.Target.parse(item);
            } catch (IllegalArgumentException e) {
                throw new UsageException(flag + ": " + e.getMessage());
            }
            Target t = new Target(parsed.provider(), parsed.modelOrDefault());
            if (seen.contains(t)) throw new UsageException(flag + ": " + t.name() + " is a target already");
            seen.add(t);
            targets.add(t);
        }
        return targets;
    }

    /**
     * Builds the chain ({@link ProviderChain}): {@code first} on the given client, then each fallback on
     * a client of its own provider (its key and base URL from {@code env}, or a fake server), one per
     * provider; the first's provider's fallbacks on the given client.
     *
     * @param notices what reports each fallback client's retries and resumes, as the first client's do
     */
    static Fallbacks open(
            Target first,
            ChatProvider firstClient,
            List<Target> fallbacks,
            @Nullable Hedging hedging,
            Map<String, String> env,
            @Nullable Double fakeRate,
            RetryPolicy retries,
            StreamObserver notices,
            PrintStream err) {
        List<AutoCloseable> endpoints = new ArrayList<>();
        ProviderChain.Builder b = ProviderChain.builder()
                .client(first.provider(), firstClient)
                .connect(provider -> {
                    Endpoint endpoint = Endpoint.open(env, provider, fakeRate, err);
                    endpoints.add(endpoint);
                    ProviderClient client = endpoint.connect(
                            endpoint.options(retries).observer(notices).build(), env);
                    endpoint.notePlaceholderKey(err);
                    return client;
                })
                .hedging(hedging)
                .target(first.provider(), first.model());
        for (Target t : fallbacks) b.target(t.provider(), t.model());
        try {
            return new Fallbacks(b.build(), endpoints);
        } catch (RuntimeException e) {
            closeAll(endpoints);
            throw e;
        }
    }

    /**
     * {@return the chain from {@code first} through the fallbacks (a fallback equal to {@code first}
     * left out), each target on its provider's client, hedging as given (null: not), a target that
     * broke off mid-answer asked last for {@code cooldown} (zero: not)}
     */
    static FallbackChain chain(
            Target first,
            List<Target> fallbacks,
            @Nullable Hedging hedging,
            Duration cooldown,
            Function<ProviderCatalog, ChatProvider> client) {
        ProviderChain.Builder b = ProviderChain.builder()
                .hedging(hedging)
                .cooldown(cooldown)
                .target(first.provider(), first.model(), client.apply(first.provider()));
        for (Target t : fallbacks) b.target(t.provider(), t.model(), client.apply(t.provider()));
        return b.build().chain(); // on the caller's clients: nothing of its own to close
    }

    /** How many chains {@link #perModel} keeps: one per model asked for, up to this many. */
    static final int MODELS_KEPT = 256;

    /**
     * {@return the chain for each model asked of {@code first}'s provider (as {@link #chain}), the
     * same one each time for up to {@value #MODELS_KEPT} models, so that a hedging chain's cap, recent
     * times, counts and cooldowns span its streams} Any thread.
     */
    static Function<String, FallbackChain> perModel(
            ProviderCatalog first,
            List<Target> fallbacks,
            @Nullable Hedging hedging,
            Duration cooldown,
            Function<ProviderCatalog, ChatProvider> client) {
        Map<String, FallbackChain> chains = new ConcurrentHashMap<>();
        return model -> {
            FallbackChain c = chains.get(model);
            if (c != null) return c;
            c = chain(new Target(first, model), fallbacks, hedging, cooldown, client);
            if (chains.size() < MODELS_KEPT) {
                FallbackChain earlier = chains.putIfAbsent(model, c);
                if (earlier != null) c = earlier;
            }
            return c;
        };
    }

    /**
     * {@return a provider for the gateway's doors that hands each request to the chain of the model
     * it names ({@link #perModel}), {@linkplain FallbackChain#continuingOnly() continuing only} (a
     * door's client cannot discard what it read, so a broken-off answer is not restarted for it): its
     * streams, and its whole answers ({@link FallbackChain#answer}: each target's answer in one call,
     * failing over as a stream does before content)}
     */
    static ChatProvider byModel(Function<String, FallbackChain> chains) {
        return new ChatProvider() {
            @Override
            public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
                return chains.apply(request.model()).continuingOnly().stream(request, controller);
            }

            @Override
            public ChatResponse answer(ChatRequest request, StreamController controller, long maxBytes) {
                return chains.apply(request.model()).continuingOnly().answer(request, controller, maxBytes);
            }
        };
    }

    /** {@return the chain} */
    FallbackChain chain() {
        return chain.chain();
    }

    /** {@return the stderr line of a switch: {@code switched to openai:gpt-6-luna after timeout on anthropic:...}} */
    static String describe(Failover f) {
        String what = f.reset()
                ? "; the answer starts again (discard the text above)"
                : f.keptText().isEmpty() ? "" : "; the answer goes on where it stopped";
        String id = f.fromRequestId() == null ? "" : " (request id " + AgentCommand.printable(f.fromRequestId()) + ")";
        return "switched to " + f.to() + " after " + f.reasonName().replace('_', ' ') + " on " + f.from() + id + what;
    }

    /** {@return the stderr line of a hedge: {@code hedged: openai:gpt-6-luna started after 0.800 s without content from anthropic:...; openai:gpt-6-luna answered first}} */
    static String describe(Hedge h) {
        return "hedged: " + h.to() + " started after "
                + StreamCommand.seconds(h.after().toNanos()) + " without content from " + h.from() + "; " + h.winner()
                + " answered first";
    }

    /**
     * {@return the hedging of a {@code --hedge-after} value} ({@link Hedging#parse}): a duration
     * ({@code 800ms}, {@code 1.5s}), or a percentile of the first target's recent times to first
     * content with a floor ({@code p95}, floor 500 ms; {@code p95,floor=300ms})
     *
     * @throws UsageException for anything else
     */
    static Hedging parseHedge(String value) throws UsageException {
        try {
            return Hedging.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--hedge-after: " + e.getMessage());
        }
    }

    /**
     * {@return the summary's line naming the target that answered, with a hedging chain:
     * {@code answered by: openai:gpt-6-luna (hedged after 0.800 s: anthropic:... cancelled, its tokens 0)}}
     *
     * @param first the first target's name, which answered when no hedge or switch says otherwise
     * @param hedge the stream's hedge, or null
     * @param switchedTo the target of the last switch, or null
     */
    static String answeredBy(String first, @Nullable Hedge hedge, @Nullable String switchedTo) {
        if (hedge == null) return "answered by: " + (switchedTo != null ? switchedTo : first) + " (not hedged)";
        String by = switchedTo != null ? switchedTo : hedge.winner();
        return "answered by: " + by + " (hedged after "
                + StreamCommand.seconds(hedge.after().toNanos()) + ": " + hedge.loser() + " cancelled, its tokens "
                + hedge.loserTokens() + ")";
    }

    @Override
    public void close() {
        chain.close(); // the clients before their fake servers
        closeAll(endpoints);
    }

    private static void closeAll(List<AutoCloseable> all) {
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                // closing after the streams ended: nothing left to report
            }
        }
    }
}
