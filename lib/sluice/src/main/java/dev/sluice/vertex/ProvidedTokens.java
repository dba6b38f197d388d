package dev.sluice.vertex;

import dev.sluice.CredentialsException;
import dev.sluice.StreamInterruptedException;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.internal.low.auth.AccessToken;
import dev.sluice.internal.low.auth.TokenSource;
import java.util.Objects;

/**
 * The tokens of an application's own {@link AccessTokenProvider}; what it throws, or a null it
 * returns, is a {@link CredentialsException} of kind {@code FAILED} whose message names only the
 * failure's class (its message may hold anything). Thread-safe as the provider is.
 */
final class ProvidedTokens implements TokenSource {
    private final AccessTokenProvider provider;

    ProvidedTokens(AccessTokenProvider provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    @Override
    public AccessToken token() {
        AccessTokenProvider.Token t;
        try {
            t = provider.token();
        } catch (StreamInterruptedException | CredentialsException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CredentialsException(CredentialsException.Kind.FAILED, "the AccessTokenProvider given to VertexAccess"
                    + " gave no token: it threw " + e.getClass().getName() + " (the cause)", e);
        }
        if (t == null) {
            throw new CredentialsException(CredentialsException.Kind.FAILED, "the AccessTokenProvider given to VertexAccess"
                    + " returned null instead of a token", null);
        }
        return new AccessToken(t.value(), t.expiresAt());
    }

    @Override
    public String toString() {
        return "an AccessTokenProvider";
    }
}
