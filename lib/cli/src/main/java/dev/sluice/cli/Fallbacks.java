package dev.sluice.cli;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.FallbackChain;
import dev.sluice.client.Failover;
import dev.sluice.client.RetryPolicy;
import dev.sluice.client.StreamObserver;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code --fallback PROVIDER:MODEL[,PROVIDER:MODEL...]} of {@code stream}, {@code agent} and
 * {@code serve}: the targets after the command's own provider and model, built into a
 * {@link FallbackChain} with each provider's key and base URL from the environment (or the
 * embedded fake server). Closing it closes the clients and fake servers it opened.
 */
final class Fallbacks implements AutoCloseable {
    /** One target as given on the command line. */
    record Target(Providers.Provider provider, String model) {
        String name() {
            return provider.name() + ":" + model;
        }
    }

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final FallbackChain chain;

    private Fallbacks(FallbackChain chain) {
        this.chain = chain;
    }

    /**
     * {@return the targets of a {@code --fallback} value, in order}
     *
     * @throws UsageException for an unknown provider, a blank model, or a target repeated
     */
    static List<Target> parse(String value, Target first) throws UsageException {
        List<Target> targets = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of(first.name()));
        for (String item : value.split(",", -1)) {
            String s = item.strip();
            int colon = s.indexOf(':');
            String name = colon < 0 ? s : s.substring(0, colon);
            Providers.Provider p = Providers.named(name).orElseThrow(() -> new UsageException(
                    "--fallback: unknown provider '" + name + "' in '" + value + "'; one of " + Providers.names()));
            String model = colon < 0 ? p.defaultModel() : s.substring(colon + 1).strip();
            if (model.isEmpty()) throw new UsageException("--fallback: no model after '" + name + ":' (PROVIDER:MODEL)");
            Target t = new Target(p, model);
            if (names.contains(t.name())) throw new UsageException("--fallback: " + t.name() + " is a target already");
            names.add(t.name());
            targets.add(t);
        }
        return targets;
    }

    /**
     * Builds the chain: {@code first} on the given client, then each fallback on a client of its
     * own provider (its key and base URL from {@code env}, or a fake server), one per provider.
     *
     * @param notices what reports each fallback client's retries and resumes, as the first client's do
     */
    static Fallbacks open(Target first, ChatProvider firstClient, List<Target> fallbacks, Map<String, String> env,
                          Double fakeRate, RetryPolicy retries, StreamObserver notices, PrintStream err) {
        Map<String, ChatProvider> clients = new LinkedHashMap<>();
        clients.put(first.provider().name(), firstClient);
        List<AutoCloseable> opened = new ArrayList<>();
        FallbackChain chain;
        try {
            chain = chain(first, fallbacks, p -> clients.computeIfAbsent(p.name(), name -> {
                Endpoint endpoint = Endpoint.open(env, p, fakeRate, err);
                opened.add(endpoint);
                ChatProvider client = Providers.chatProvider(p, endpoint.options(retries).observer(notices).build());
                endpoint.notePlaceholderKey(err);
                if (client instanceof AutoCloseable c) opened.add(0, c); // clients close before their servers
                return client;
            }));
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
        Fallbacks f = new Fallbacks(chain);
        f.opened.addAll(opened);
        return f;
    }

    /**
     * {@return the chain from {@code first} through the fallbacks (a fallback equal to {@code first}
     * left out), each target on its provider's client}
     */
    static FallbackChain chain(Target first, List<Target> fallbacks, Function<Providers.Provider, ChatProvider> client) {
        FallbackChain.Builder b = FallbackChain.builder().target(first.name(), client.apply(first.provider()), first.model());
        for (Target t : fallbacks) {
            if (!t.name().equals(first.name())) b.target(t.name(), client.apply(t.provider()), t.model());
        }
        return b.build();
    }

    /** {@return the chain} */
    FallbackChain chain() {
        return chain;
    }

    /** {@return the stderr line of a switch: {@code switched to openai:gpt-4o-mini after timeout on anthropic:...}} */
    static String describe(Failover f) {
        String what = f.reset() ? "; the answer starts again (discard the text above)"
                : f.keptText().isEmpty() ? "" : "; the answer goes on where it stopped";
        return "switched to " + f.to() + " after " + f.reasonName().replace('_', ' ') + " on " + f.from() + what;
    }

    @Override
    public void close() {
        closeAll(opened);
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
