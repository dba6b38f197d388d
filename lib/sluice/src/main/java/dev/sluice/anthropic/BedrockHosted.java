package dev.sluice.anthropic;

import dev.sluice.internal.low.aws.AwsJsonErrors;
import dev.sluice.internal.low.http.ErrorBodyParser;

/**
 * Claude's Messages API through Amazon Bedrock, on InvokeModel ({@link BedrockRoute}) or the mantle
 * host ({@link BedrockMantleRoute}): AWS answers the request, so the request id is AWS's
 * {@code x-amzn-RequestId} and an error's body is read as AWS's JSON protocol writes it (or as
 * Anthropic's, which that parser falls back to).
 */
sealed interface BedrockHosted extends AnthropicRoute permits BedrockRoute, BedrockMantleRoute {
    @Override
    default ErrorBodyParser errors() {
        return AwsJsonErrors.PARSER;
    }

    @Override
    default String requestIdHeader() {
        return AwsJsonErrors.REQUEST_ID_HEADER;
    }
}
