package dev.sluice.relay;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A key minted for one caller of the gateway (a person, a team, a tool), as an {@link ApiKeyStore}
 * keeps it: never its secret, which only its hash finds.
 *
 * @param id the key's public name, {@code key_} and letters and digits; what logs and spans name
 * @param name the operator's name for it
 * @param models the models it may use, each {@code provider/model} or a route's alias; empty for
 *     every model the gateway offers
 * @param maxTokensTotal the most tokens (input and output, from each answer's usage) it may spend
 *     in all; 0 for no budget
 * @param maxRequestsPerMinute the most requests it may start in a minute; 0 for no rate
 * @param expiresAt when it stops working; null for never
 * @param createdAt when it was minted
 */
public record ApiKey(
        String id,
        String name,
        List<String> models,
        long maxTokensTotal,
        int maxRequestsPerMinute,
        @Nullable Instant expiresAt,
        Instant createdAt) {
    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if the id does not start with {@code key_}, the name is
     *     blank, or a limit is negative
     */
    public ApiKey {
        if (!Objects.requireNonNull(id, "id").startsWith("key_") || id.length() > 64)
            throw new IllegalArgumentException("a key's id is key_ and at most 60 letters and digits: " + id);
        if (Objects.requireNonNull(name, "name").isBlank())
            throw new IllegalArgumentException("a key's name must not be blank");
        models = List.copyOf(models);
        if (maxTokensTotal < 0)
            throw new IllegalArgumentException("maxTokensTotal must not be negative: " + maxTokensTotal);
        if (maxRequestsPerMinute < 0)
            throw new IllegalArgumentException("maxRequestsPerMinute must not be negative: " + maxRequestsPerMinute);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * {@return whether it has expired at this instant}
     *
     * @param now the instant
     */
    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /**
     * {@return whether it may use a model}
     *
     * @param model the model as the gateway names it: {@code provider/model}, or a route's alias
     */
    public boolean allows(String model) {
        return models.isEmpty() || models.contains(model);
    }
}
