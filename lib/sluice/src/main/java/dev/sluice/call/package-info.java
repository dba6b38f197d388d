/**
 * What Sluice's four provider clients share on the call layer: {@link dev.sluice.call.AbstractProviderClient},
 * the base class of {@code AnthropicClient}, {@code OpenAiClient}, {@code GeminiClient} and
 * {@code BedrockClient}, which holds their life cycle (open streams, {@code close()}) and their reports (rate
 * limits, the concurrency limit and breaker) once. Nothing here is for subclassing or calling apart from the
 * four clients' own methods; the calls themselves are the implementation's ({@code dev.sluice.internal.call}).
 */
@NullMarked
package dev.sluice.call;

import org.jspecify.annotations.NullMarked;
