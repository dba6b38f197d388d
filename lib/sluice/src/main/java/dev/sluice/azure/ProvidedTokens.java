package dev.sluice.azure;

import dev.sluice.CredentialsException;
import dev.sluice.SluiceException;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.internal.low.auth.AccessToken;
import dev.sluice.internal.low.auth.TokenSource;

/**
 * The application's {@link AccessTokenProvider} as a token source: what it throws becomes a
 * {@link CredentialsException} ({@code FAILED}) with it as the cause, its message left out (it is
 * the application's text, and may name a secret). Immutable; thread-safe when the provider is.
 */
final class ProvidedTokens implements TokenSource {
    private final AccessTokenProvider provider;

    ProvidedTokens(AccessTokenProvider provider) {
        this.provider = provider;
    }

    @Override
    public AccessToken token() {
        AccessTokenProvider.Token token;
        try {
            token = provider.token();
        } catch (SluiceException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CredentialsException(CredentialsException.Kind.FAILED, "the AccessTokenProvider gave no Entra ID token: it threw "
                    + e.getClass().getName() + " (the cause)", e);
        }
        if (token == null) {
            throw new CredentialsException(CredentialsException.Kind.FAILED, "the AccessTokenProvider gave no Entra ID token: it returned null", null);
        }
        return new AccessToken(token.value(), token.expiresAt());
    }

    @Override
    public String toString() {
        return "the application's AccessTokenProvider";
    }
}
