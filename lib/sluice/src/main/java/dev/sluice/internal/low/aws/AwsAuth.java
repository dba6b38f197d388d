package dev.sluice.internal.low.aws;

import java.util.Objects;

/**
 * How a request to Amazon Bedrock is authorized, chosen as the AWS SDK for Java 2.x's
 * {@code BedrockRuntimeClient} chooses: with a Bedrock API key ({@code aws.bearerTokenBedrock} /
 * {@code AWS_BEARER_TOKEN_BEDROCK}) set, the {@code smithy.api#httpBearerAuth} scheme, an
 * {@code Authorization: Bearer} header ({@link Bearer}); otherwise SigV4 with the credentials of
 * the {@link AwsCredentialsChain default chain} ({@link SigV4}).
 */
public sealed interface AwsAuth permits AwsAuth.Bearer, AwsAuth.SigV4 {

    /**
     * A Bedrock API key, sent as {@code Authorization: Bearer KEY}. {@link #toString()} hides it.
     *
     * @param token the key
     */
    record Bearer(String token) implements AwsAuth {
        /** @throws IllegalArgumentException if the token is blank or holds a line break */
        public Bearer {
            token = token.strip();
            if (token.isEmpty() || token.indexOf('\r') >= 0 || token.indexOf('\n') >= 0) {
                throw new IllegalArgumentException(
                        "the Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) is blank or holds a line break");
            }
        }

        /** {@return the {@code Authorization} header's value} */
        public String authorization() {
            return "Bearer " + token;
        }

        @Override
        public String toString() {
            return "Bearer[token=<redacted>]";
        }
    }

    /**
     * SigV4 signing with the source's credentials.
     *
     * @param credentials where the credentials come from
     */
    record SigV4(AwsCredentialsSource credentials) implements AwsAuth {
        /** @throws NullPointerException if credentials is null */
        public SigV4 {
            Objects.requireNonNull(credentials, "credentials");
        }
    }

    /**
     * {@return a Bedrock API key when one is set, else SigV4 over the default chain} Nothing is
     * fetched yet: the chain is walked when credentials are first asked for.
     *
     * @throws IllegalArgumentException if the API key is set but holds a line break
     */
    public static AwsAuth bedrock(AwsSettings settings) {
        String token = settings.setting("aws.bearerTokenBedrock", "AWS_BEARER_TOKEN_BEDROCK");
        return token != null ? new Bearer(token) : new SigV4(AwsCredentialsChain.defaults(settings));
    }
}
