package dev.sluice.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code serve --route ALIAS=PROVIDER:MODEL[,PROVIDER:MODEL...]} (repeatable): a model name the
 * gateway's front doors, the page and {@code GET /api/providers} offer, served by a fallback chain
 * over the targets in order. The targets are parsed by {@code --fallback}'s parser
 * ({@link Fallbacks#parse}); this is the one place that splits the flag's value.
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
     *     {@code .}, {@code _} or {@code -}, or repeated, or a provider's name, and as {@link Fallbacks#parse}
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
            String list = value.substring(eq + 1);
            int comma = list.indexOf(',');
            List<Fallbacks.Target> targets = new ArrayList<>();
            try {
                // --fallback's parser reads the targets after a first one: the first as a list of its own, then the
                // rest
                Fallbacks.Target first = Fallbacks.parse(comma < 0 ? list : list.substring(0, comma), NONE)
                        .getFirst();
                targets.add(first);
                if (comma >= 0) targets.addAll(Fallbacks.parse(list.substring(comma + 1), first));
            } catch (UsageException e) {
                throw new UsageException(
                        String.valueOf(e.getMessage()).replace("--fallback:", "--route " + alias + ":"));
            }
            routes.put(alias, new Route(alias, targets));
        }
        return routes;
    }

    /** A first target no parsed target equals: {@link Fallbacks#parse} checks the list against it. */
    private static final Fallbacks.Target NONE =
            new Fallbacks.Target(Providers.named(Providers.DEFAULT).orElseThrow(), "\u0000");
}
