/**
 * How Sluice reaches Amazon Web Services: {@link dev.sluice.aws.AwsAccess}, the region, the
 * Bedrock Runtime endpoint and how each request is authorized (a Bedrock API key, or Signature
 * Version 4 with the AWS SDK's default credential chain, an application's own
 * {@link dev.sluice.aws.AwsCredentialsProvider}, or fixed keys), found as the AWS SDK for Java 2.x
 * finds them. One access serves every client that reaches Bedrock: the Converse API's
 * {@link dev.sluice.bedrock.BedrockClient}, Claude's Messages API through Bedrock
 * ({@code AnthropicClient.builder().bedrock(access)}) and OpenAI's APIs on Bedrock
 * ({@code OpenAiClient.builder().bedrock(access)}), on Bedrock's runtime host or, as
 * {@link dev.sluice.aws.AwsAccess#mantle()} gives it, its mantle host (signed for
 * {@code bedrock-mantle}); the package knows no client.
 *
 * <p>Threading: an access is immutable and shared freely; its builder is not thread-safe.
 * Arguments are non-null unless documented otherwise.
 */
@NullMarked
package dev.sluice.aws;

import org.jspecify.annotations.NullMarked;
