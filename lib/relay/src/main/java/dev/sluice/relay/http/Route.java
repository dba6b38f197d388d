package dev.sluice.relay.http;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A route of the gateway and the page: a model name of its own (the alias) served by a fallback
 * chain over its targets, in order ({@link ServerSpec.Builder#route}). {@code sluice serve --route
 * ALIAS=P:M,...} and the Boot starter's {@code sluice.server.routes.ALIAS} are each read into one.
 *
 * @param alias the model name clients ask for: letters, digits, {@code .}, {@code _} and {@code
 *     -}, starting with a letter or digit, at most 64 characters
 * @param targets the provider and model of each target, the first asked first; at least one, none
 *     repeated
 */
public record Route(String alias, List<Route.Target> targets) {
    /**
     * Checks the alias and the targets.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the alias is not as above, there is no target, or a target
     *     is repeated
     */
    public Route {
        Objects.requireNonNull(alias, "alias");
        if (!isAlias(alias))
            throw new IllegalArgumentException(
                    "the alias '" + alias + "' is not letters, digits, '.', '_' and '-' (at most 64)");
        targets = List.copyOf(targets);
        if (targets.isEmpty()) throw new IllegalArgumentException("the route " + alias + " names no target");
        Set<Target> seen = new HashSet<>();
        for (Target t : targets)
            if (!seen.add(t)) throw new IllegalArgumentException(t.name() + " is a target already");
    }

    /**
     * {@return whether {@code name} can be a route's alias: letters, digits, {@code .}, {@code _} and
     * {@code -}, starting with a letter or digit, at most 64 characters}
     */
    public static boolean isAlias(String name) {
        return name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    }

    /** {@return the first target, the one asked first} */
    public Target first() {
        return targets.getFirst();
    }

    /**
     * One target of a route.
     *
     * @param provider the provider's name, as the server's providers are named
     * @param model the model to ask of it
     */
    public record Target(String provider, String model) {
        /**
         * Checks the parts.
         *
         * @throws NullPointerException if one is null
         * @throws IllegalArgumentException if one is blank
         */
        public Target {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(model, "model");
            if (provider.isBlank() || model.isBlank())
                throw new IllegalArgumentException("a target needs a provider and a model: " + provider + ":" + model);
        }

        /** {@return {@code PROVIDER:MODEL}, the target's name in the chain's switches and logs} */
        public String name() {
            return provider + ":" + model;
        }
    }
}
