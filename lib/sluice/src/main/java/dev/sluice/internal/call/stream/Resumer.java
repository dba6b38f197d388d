package dev.sluice.internal.call.stream;

import dev.sluice.SluiceException;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.stream.Emitter;

/**
 * Continues a stream whose connection was lost after content had reached the user, instead of
 * failing it: a provider's way of asking for the rest of an answer (for Anthropic, the request
 * again with the text so far as an assistant prefill) and of stitching the continuation onto the
 * events already delivered. Given to {@link StreamingCall.Builder#resumer}.
 *
 * <p>Threading: every method runs on the stream's producer thread, one at a time.
 *
 * @param <E> the provider's event type
 */
public interface Resumer<E> {

    /**
     * {@return the emitter the decoder of every response of the stream writes into, wrapping the
     * stream's own} Called once, before the first event. It sees each event as it is handed over and
     * may drop or rewrite those of a continuation (a second opening frame, block indices, usage).
     *
     * @param out the stream's emitter
     */
    Emitter<E> wrap(Emitter<E> out);

    /**
     * The connection was lost, or the body ended without its terminal event, after content had been
     * handed over. {@return the request for the continuation} From the next response on, the
     * wrapped emitter treats events as the continuation's.
     *
     * @param lost the failure the stream would end with
     * @throws SluiceException {@code lost}, or a failure of its kind saying why the stream cannot be
     *     continued (the resumes are spent, the answer stopped where a prefill cannot continue it)
     */
    HttpPost continuation(SluiceException lost);
}
