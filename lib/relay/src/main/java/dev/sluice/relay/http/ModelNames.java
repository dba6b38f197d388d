package dev.sluice.relay.http;

import dev.sluice.models.ModelCapabilities;
import dev.sluice.models.ModelCatalog;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Which provider a bare model id goes to at the gateway's doors, when several offer it: its
 * maker's own API (the model table's {@link ModelCapabilities#maker()}, the providers'
 * {@link GatewayHttp.Builder#ownApi}), and of two such the one the door prefers (OpenAI's Responses
 * API at {@code /v1/responses}, its Chat Completions elsewhere).
 *
 * <p>Immutable and safe from any thread.
 *
 * @param ownApis the maker whose own API each such provider is, by the provider's name
 */
record ModelNames(Map<String, ModelCapabilities.Maker> ownApis) {
    ModelNames {
        ownApis = Map.copyOf(ownApis);
    }

    /**
     * {@return the providers a bare id goes to: one when it is decided, else every provider that
     * offers it (the caller names them)}
     *
     * @param model the bare id
     * @param serving the providers that offer it, in the gateway's order; not empty
     * @param doorPrefers whether the door prefers a provider, among its maker's own APIs
     */
    List<String> choose(String model, List<String> serving, Predicate<String> doorPrefers) {
        if (serving.size() == 1) return serving;
        ModelCapabilities.Maker maker =
                ModelCatalog.find(model).map(ModelCapabilities::maker).orElse(null);
        if (maker == null) return serving;
        List<String> own = serving.stream().filter(p -> ownApis.get(p) == maker).toList();
        if (own.size() == 1) return own;
        List<String> preferred = own.stream().filter(doorPrefers).toList();
        return preferred.size() == 1 ? preferred : serving;
    }
}
