package dev.sluice.internal.low.auth;

import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.http.RequestAuth;
import java.util.Map;
import java.util.Objects;

/**
 * Authorizes each attempt with {@code Authorization: Bearer} and a token valid at that moment (the
 * source refreshes it before it expires, one refresh shared by concurrent callers when it is a
 * {@link CachingTokenSource}). Thread-safe; {@link #toString()} names the source, never a token.
 *
 * @param tokens where the tokens come from
 */
public record BearerAuth(TokenSource tokens) implements RequestAuth {
    /** @throws NullPointerException if tokens is null */
    public BearerAuth {
        Objects.requireNonNull(tokens, "tokens");
    }

    /**
     * {@inheritDoc}
     *
     * @throws dev.sluice.SluiceException subtypes as {@link TokenSource#token()}
     */
    @Override
    public Map<String, String> headers(HttpPost post) {
        return Map.of("authorization", tokens.token().authorization());
    }

    @Override
    public String toString() {
        return "Bearer[" + tokens + "]";
    }
}
