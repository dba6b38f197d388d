package dev.sluice.chat;

import dev.sluice.LimitExceededException;
import dev.sluice.sse.SseEvent;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.util.List;
import java.util.Optional;

/**
 * A provider's passthrough: request bodies of one wire API ({@link #api()}) carried as their caller
 * wrote them, for a gateway that passes a client of the same API through — streamed ({@link #stream})
 * or answered whole ({@link #answer}). Only the model (and, through a cloud, the cloud's envelope:
 * {@code anthropic_version} in the body, no {@code model}, the cloud's URL and signature) changes,
 * and the client's credentials are added. An optional capability of a {@link ChatProvider}
 * ({@link ChatProvider#passthrough()}): a provider that wraps another forwards this one value, so it
 * cannot pass one call on and forget the other.
 *
 * <p>Threading: safe to share between threads, as its provider; each call is its own.
 */
public interface Passthrough {

    /**
     * {@return the API whose request bodies pass through: {@link WireApi#MESSAGES}
     * (Sluice's Anthropic client, on Anthropic's API and every cloud's), {@link WireApi#RESPONSES}
     * (Sluice's Responses API, on OpenAI's and Azure's) or {@link WireApi#CHAT_COMPLETIONS}
     * (Sluice's OpenAI client, on OpenAI's API, a compatible server's, Azure's and Bedrock's)}
     */
    WireApi api();

    /**
     * Streams a request body of {@link #api()} as its caller wrote it. The provider's events come
     * back as they came, each an {@link SseEvent} whose type is the event's name and whose data is
     * its JSON as received (a cloud's frames unwrapped), with the retries before content, timeouts,
     * limits and observers of a typed stream.
     *
     * @param body the request's JSON body as its caller sent it; one that asked for no stream is sent
     *     with {@code "stream": true}. A Chat Completions body without {@code stream_options} is sent
     *     with {@code "stream_options": {"include_usage": true}}, so that its usage is observed: its
     *     usage chunk ({@code "choices": []}) then comes back among the events, and the other chunks
     *     carry {@code "usage": null}
     * @param model the model as this client's provider knows it
     * @param betas the caller's beta names (Anthropic's {@code anthropic-beta}), sent besides the client's own
     * @param controller the stream's controller
     * @return the provider's events
     * @throws NullPointerException if an argument is null
     * @throws dev.sluice.SluiceException subtypes as {@link ChatProvider#stream(ChatRequest, StreamController)}
     */
    EventStream<SseEvent> stream(String body, String model, List<String> betas, StreamController controller);

    /**
     * Sends a request body of {@link #api()} that asked for no stream, as its caller wrote it, and
     * returns the provider's JSON answer as it came, nothing decoded or written again on the way;
     * the request goes as asked, not streamed. The retries before an answer, the credentials and
     * the error mapping are a stream's; the controller's cancel switch stops the call, its
     * {@link StreamOptions#totalTimeout() total timeout} bounds it and its
     * {@link StreamOptions#idleTimeout() idle timeout} each wait for the body's next bytes, as
     * {@link ChatProvider#answer} says.
     *
     * @param body the request's JSON body as its caller sent it, without {@code "stream": true}
     * @param model the model as this client's provider knows it
     * @param betas the caller's beta names (Anthropic's {@code anthropic-beta}), sent besides the client's own
     * @param controller the call's controller, not claimed by another stream
     * @param maxBytes the most bytes of the answer's body to read; positive
     * @return the answer's body, as the provider sent it (a cloud's as its model's API writes it)
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if maxBytes is not positive
     * @throws IllegalStateException if the controller already belongs to a stream (nothing is sent)
     * @throws LimitExceededException naming {@code maxResponseBytes}, if the body is longer than {@code maxBytes}
     * @throws dev.sluice.SluiceException subtypes for a refusal or a failure, after the retries
     */
    String answer(String body, String model, List<String> betas, StreamController controller, long maxBytes);

    /**
     * {@return the count of a request body's input tokens by the provider's own API, where it has
     * one for {@link #api()}: Anthropic Messages' {@code count_tokens} on Anthropic's API, Vertex AI's,
     * Foundry's and Bedrock's Mantle (not Bedrock's InvokeModel); empty elsewhere} An optional view:
     * a provider that wraps another forwards it with {@link ChatProvider#passthrough()}; a fallback
     * chain's is the count of the target it would ask first.
     */
    default Optional<TokenCount> tokenCount() {
        return Optional.empty();
    }

    /**
     * A provider's own count of a request body's input tokens ({@link #tokenCount()}).
     *
     * <p>Threading: safe to share between threads, as its provider; each call is its own.
     */
    @FunctionalInterface
    interface TokenCount {
        /**
         * Sends a count request body of {@link Passthrough#api()} as its caller wrote it (Anthropic's
         * {@code count_tokens} body: a message request without {@code max_tokens}), only the model
         * (and a cloud's envelope) changed, and returns the provider's answer as it came
         * ({@code {"input_tokens": N}}). Retries, credentials and error mapping are the client's.
         *
         * @param body the count request's JSON body as its caller sent it
         * @param model the model as this client's provider knows it (a chain counts with its first target's own)
         * @param betas the caller's beta names (Anthropic's {@code anthropic-beta}), sent besides the client's own
         * @return the provider's answer's body
         * @throws NullPointerException if an argument is null
         * @throws dev.sluice.SluiceException subtypes for a refusal or a failure, after the retries
         */
        String count(String body, String model, List<String> betas);
    }
}
