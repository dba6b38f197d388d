package dev.sluice.azure;

import dev.sluice.CredentialsException;
import dev.sluice.SluiceException;
import dev.sluice.StreamInterruptedException;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.internal.low.auth.AccessToken;
import dev.sluice.internal.low.auth.TokenSource;

/**
 * An {@link AzureAccess}'s cached tokens, as the public {@link AccessTokenProvider} its clients
 * read: a failure to get one is a {@link CredentialsException} (a token endpoint's refusal,
 * unreachable endpoint or unusable answer {@code FAILED}, a credential file gone {@code INVALID}),
 * the endpoint's cleaned message kept and the original failure as its cause. Thread-safe.
 */
final class AzureTokens implements AccessTokenProvider {
    private final TokenSource source;
    private final String description;

    AzureTokens(TokenSource source, String description) {
        this.source = source;
        this.description = description;
    }

    @Override
    public Token token() {
        AccessToken token;
        try {
            token = source.token();
        } catch (CredentialsException | StreamInterruptedException e) {
            throw e;
        } catch (SluiceException e) {
            throw new CredentialsException(
                    CredentialsException.Kind.FAILED,
                    "no Entra ID token for " + description + ": " + e.getMessage(),
                    e);
        } catch (IllegalStateException e) {
            throw new CredentialsException(
                    CredentialsException.Kind.INVALID,
                    "no Entra ID token for " + description + ": " + e.getMessage(),
                    e);
        }
        return new Token(token.value(), token.expiresAt());
    }

    /** {@return which credential, never a token} */
    @Override
    public String toString() {
        return "AzureTokens[" + description + "]";
    }
}
