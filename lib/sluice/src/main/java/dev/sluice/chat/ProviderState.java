package dev.sluice.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Opaque state a provider attaches to a response and needs back, unchanged, when that response is
 * repeated in a later request: Anthropic's thinking blocks with their signatures, redacted thinking,
 * compaction, server-side fallback blocks and server-tool results (the API refuses a tool loop's
 * next turn without them), Bedrock's reasoning blocks, Gemini's thought signatures, the Responses
 * API's encrypted reasoning and compaction items (with its custom tool calls' ids), and, on Chat
 * Completions, the reasoning an OpenAI-compatible server streamed ({@code reasoning_content},
 * {@code reasoning}, {@code reasoning_details}: DeepSeek answers 400 without its
 * {@code reasoning_content} in a tool-call turn). The provider's own chunk mapper fills it in (on the last chunks of a
 * response; the {@link ChunkAggregator} keeps the latest), {@link ChatMessage#assistant(ChatResponse)}
 * carries it into the next request, and the same provider's request mapper reads it back verbatim.
 * A request mapper sends back only state whose {@link #provider()} is its own; another provider
 * ignores it.
 *
 * <p><b>The state rule:</b> state goes back to the <em>same target</em> that produced it, and
 * never to another. A plain client leaves {@link #route()} empty: it only ever sends to itself. A
 * {@link FallbackChain} stamps the state of each chunk with the name of the chain target that
 * produced it (the name given to {@link FallbackChain.Builder#target(String, ChatProvider, String)},
 * by default the model), and before it sends a request to a target it strips every state not
 * stamped for that target: after a failover or a hedge the new target gets a clean history (the
 * text and tool calls, without another target's signatures), and the next turn goes back to the
 * target that produced the state with the state intact. A chain inside a chain (wrapped, such as by
 * {@link ChatProvider#peeking}) adds its own name in front, so the route is the path through the
 * chains, the outermost first; each chain takes its own name off before it hands the request on.
 * A state without a route sent through a chain is stripped: the chain cannot know which target made
 * it.
 *
 * <p>The data is the provider's business and may change between releases: store it only to send
 * it back to the same target; do not parse it, do not show it (it is not the user's: a relay keeps
 * it on the server). It is plain text, so it serialises as it is. {@link #toString()} shows its size
 * only.
 *
 * @param provider which provider made it, as the tool names it: {@code anthropic},
 *     {@code bedrock-anthropic}, {@code vertex-anthropic}, {@code gemini}, {@code vertex},
 *     {@code bedrock}, {@code openai-responses}, {@code openai} (Chat Completions: OpenAI's own
 *     API sends no reasoning there, so only a compatible server's responses carry it) and
 *     {@code azure-openai} (either API on Azure)
 * @param data the state, as text (JSON, in practice)
 * @param route the names of the {@link FallbackChain} targets it came through, the outermost
 *     chain's first; empty for the state of a plain client
 */
public record ProviderState(String provider, String data, List<String> route) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if an argument or an element of route is null
     * @throws IllegalArgumentException if provider or a name in route is blank
     */
    public ProviderState {
        Objects.requireNonNull(provider, "provider");
        if (provider.isBlank()) throw new IllegalArgumentException("provider must not be blank");
        Objects.requireNonNull(data, "data");
        route = List.copyOf(Objects.requireNonNull(route, "route"));
        for (String name : route) {
            if (name.isBlank()) throw new IllegalArgumentException("a target name in route must not be blank");
        }
    }

    /**
     * The state as a provider's client makes it: no chain target yet.
     *
     * @param provider which provider made it
     * @param data the state
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if provider is blank
     */
    public ProviderState(String provider, String data) {
        this(provider, data, List.of());
    }

    /**
     * {@return the name of the chain target that produced it (the first of {@link #route()}), or
     * null for the state of a plain client}
     */
    public @Nullable String target() {
        return route.isEmpty() ? null : route.getFirst();
    }

    /** {@return this state stamped by a chain for its target {@code name}: the name put in front of the route} */
    ProviderState stampedFor(String name) {
        List<String> r = new ArrayList<>(route.size() + 1);
        r.add(name);
        r.addAll(route);
        return new ProviderState(provider, data, r);
    }

    /**
     * {@return what a chain sends to its target {@code name}: this state with the name taken off
     * its route, when it was stamped for that target; else null (stripped)}
     */
    @Nullable
    ProviderState forTarget(String name) {
        if (!name.equals(target())) return null;
        return new ProviderState(provider, data, route.subList(1, route.size()));
    }

    /** {@return the provider, the route and the size of the data; the data itself (signatures) is left out} */
    @Override
    public String toString() {
        return "ProviderState[provider=" + provider + (route.isEmpty() ? "" : ", route=" + String.join(" > ", route))
                + ", " + data.length() + " chars]";
    }
}
