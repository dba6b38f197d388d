package dev.sluice.internal.call.client;

import dev.sluice.CredentialsException;
import dev.sluice.SluiceException;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.internal.low.auth.AccessToken;
import dev.sluice.internal.low.auth.BearerAuth;
import dev.sluice.internal.low.auth.TokenSource;
import dev.sluice.internal.low.http.RequestAuth;
import java.util.Objects;

/**
 * An application's {@link AccessTokenProvider} as a token source, for a cloud's access (Vertex AI's,
 * Azure's): what it throws, or a null it returns, is a {@link CredentialsException} of kind
 * {@code FAILED} whose message names only the failure's class (its message is the application's
 * text, and may name a secret), with it as the cause; a Sluice exception passes as it is. Immutable;
 * thread-safe as the provider is.
 */
public final class ProvidedTokens implements TokenSource {
    private final AccessTokenProvider provider;
    private final String givenTo;

    /**
     * @param provider the application's provider
     * @param givenTo what it was given to, for messages ({@code VertexAccess})
     */
    public ProvidedTokens(AccessTokenProvider provider, String givenTo) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.givenTo = Objects.requireNonNull(givenTo, "givenTo");
    }

    /**
     * {@inheritDoc}
     *
     * @throws CredentialsException ({@code FAILED}) if the provider threw or returned null
     */
    @Override
    public AccessToken token() {
        AccessTokenProvider.Token t;
        try {
            t = provider.token();
        } catch (SluiceException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CredentialsException(
                    CredentialsException.Kind.FAILED,
                    "the AccessTokenProvider given to " + givenTo + " gave no token: it threw "
                            + e.getClass().getName() + " (the cause)",
                    e);
        }
        if (t == null) {
            throw new CredentialsException(
                    CredentialsException.Kind.FAILED,
                    "the AccessTokenProvider given to " + givenTo + " returned null instead of a token",
                    null);
        }
        return new AccessToken(t.value(), t.expiresAt());
    }

    @Override
    public String toString() {
        return "the application's AccessTokenProvider";
    }

    /**
     * {@return each attempt authorized with {@code Authorization: Bearer} and a token of a cloud
     * access's} For the tokens an access hands out, cached and checked there already.
     *
     * @param tokens the access's tokens
     */
    public static RequestAuth bearer(AccessTokenProvider tokens) {
        Objects.requireNonNull(tokens, "tokens");
        return new BearerAuth(new TokenSource() {
            @Override
            public AccessToken token() {
                AccessTokenProvider.Token t = tokens.token();
                return new AccessToken(t.value(), t.expiresAt());
            }

            @Override
            public String toString() {
                return tokens.toString();
            }
        });
    }
}
