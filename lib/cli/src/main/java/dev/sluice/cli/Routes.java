package dev.sluice.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code serve --route ALIAS=PROVIDER:MODEL[,PROVIDER:MODEL...]} (repeatable): a model name the
 * gateway's front doors, the page and {@code GET /api/providers} offer, served by a fallback chain
 * over the targets in order. Each target is a {@code PROVIDER:MODEL} as
 * {@link dev.sluice.providers.ProviderCatalog.Target#parse} reads it (a provider alone: its default
 * model, {@link Fallbacks#parse(String, String, List)}); this is the one place that splits the flag's value.
 */
final class Routes {
    private Routes() {}

    /** One route: its alias and its targets, the first first. */
    record Route(String alias, List<Fallbacks.Target> targets) {
        Route {
            targets = List.copyOf(targets);
        }

        Fallbacks.Target first() {
            return targets.getFirst();
        }

        List<Fallbacks.Target> rest() {
            return targets.subList(1, targets.size());
        }
    }

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
            if (!alias.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}"))
                throw new UsageException("--route: '" + value + "' is not ALIAS=PROVIDER:MODEL[,PROVIDER:MODEL...]"
                        + " (an alias of letters, digits, '.', '_' and '-')");
            if (taken.contains(alias) || routes.containsKey(alias))
                throw new UsageException("--route: the alias '" + alias + "' is taken: name it otherwise");
            List<Fallbacks.Target> targets = Fallbacks.parse("--route " + alias, value.substring(eq + 1), List.of());
            routes.put(alias, new Route(alias, targets));
        }
        return routes;
    }
}
