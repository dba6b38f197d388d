package dev.sluice.cli;

import dev.sluice.relay.http.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code serve --route ALIAS=PROVIDER:MODEL[,PROVIDER:MODEL...]} (repeatable): a model name the
 * gateway's front doors, the page and {@code GET /api/providers} offer, served by a fallback chain
 * over the targets in order. Each target is a {@code PROVIDER:MODEL} as
 * {@link dev.sluice.providers.ProviderCatalog.Target#parse} reads it (a provider alone: its default
 * model, {@link Fallbacks#parse(String, String, List)}); this is the one place that splits the flag's value,
 * into the {@link Route} that the server's specification takes, as the Boot starter's routes are.
 */
final class Routes {
    private Routes() {}

    /**
     * {@return the routes of every {@code --route} value, by alias, in order}
     *
     * @param values the flag's values
     * @param taken names an alias must not be (the providers', which {@code provider/model} names)
     * @throws UsageException for a value without {@code ALIAS=}, an alias that is not letters, digits,
     *     {@code .}, {@code _} or {@code -}, or repeated, or a provider's name, an unknown provider, a
     *     blank model, or a target repeated
     */
    static Map<String, Route> parse(List<String> values, List<String> taken) throws UsageException {
        Map<String, Route> routes = new LinkedHashMap<>();
        for (String value : values) {
            int eq = value.indexOf('=');
            String alias = eq < 0 ? "" : value.substring(0, eq).strip();
            if (!Route.isAlias(alias))
                throw new UsageException("--route: '" + value + "' is not ALIAS=PROVIDER:MODEL[,PROVIDER:MODEL...]"
                        + " (an alias of letters, digits, '.', '_' and '-')");
            if (taken.contains(alias) || routes.containsKey(alias))
                throw new UsageException("--route: the alias '" + alias + "' is taken: name it otherwise");
            List<Fallbacks.Target> targets = Fallbacks.parse("--route " + alias, value.substring(eq + 1), List.of());
            routes.put(
                    alias,
                    new Route(
                            alias,
                            targets.stream()
                                    .map(t -> new Route.Target(t.provider().id(), t.model()))
                                    .toList()));
        }
        return routes;
    }
}
