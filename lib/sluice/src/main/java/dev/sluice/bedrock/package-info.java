/**
 * Amazon Bedrock's Converse API, streamed: {@code POST /model/{modelId}/converse-stream}, whose
 * response body is AWS's binary event stream ({@code application/vnd.amazon.eventstream}), not
 * Server-Sent Events. {@link dev.sluice.bedrock.BedrockClient} streams it as a
 * {@link dev.sluice.chat.ChatProvider}. The package holds the wire events ({@link dev.sluice.bedrock.ConverseEvent},
 * {@link dev.sluice.bedrock.ConverseDelta}: sealed families with an unknown member each, so that an
 * event or delta type Bedrock adds later never breaks a stream), their decoding from the event
 * stream's frames, the mapping of a neutral {@link dev.sluice.chat.ChatRequest} to the Converse
 * request body, and the mapping of the events to neutral {@link dev.sluice.chat.MessageChunk}s.
 *
 * <p>Where and how Bedrock is reached is an {@link dev.sluice.aws.AwsAccess}: the region, the
 * endpoint and the authorization (a Bedrock API key, or SigV4 with the AWS SDK's default credential
 * chain, an application's own {@link dev.sluice.aws.AwsCredentialsProvider}, or fixed keys), read
 * by {@link dev.sluice.aws.AwsAccess#fromEnv()} as the AWS SDK reads them. The same access takes
 * Claude's Messages API through Bedrock: {@code AnthropicClient.builder().bedrock(access)}.
 *
 * <p>Failures inside the stream (an {@code exception} frame: {@code throttlingException},
 * {@code serviceUnavailableException}, {@code modelStreamErrorException},
 * {@code validationException}, {@code internalServerException}, {@code modelTimeoutException}) are
 * {@link dev.sluice.ApiException}s whose {@code errorType()} is the exception type, thrown after the
 * events before them.
 *
 * <p>Threading: the records are immutable and may be shared freely; a client is shared freely, its
 * builder is not thread-safe.
 *
 * <p>Absent values, one convention in every package of Sluice: text that may be absent is the
 * empty string and a collection that may be empty is empty, never null; a value absent as a whole
 * is {@code null} in a record that mirrors a wire format (the component's Javadoc says it may be
 * null). Arguments are non-null unless documented otherwise; a null where none is allowed throws
 * {@code NullPointerException} naming it.
 */
@NullMarked
package dev.sluice.bedrock;

import org.jspecify.annotations.NullMarked;
