/**
 * What the provider clients share besides streaming: {@link dev.sluice.internal.call.client.ClientCore},
 * built from a client's {@link dev.sluice.client.ClientOptions} (transport, retrier, stream
 * defaults, the request headers, the open streams and requests, close cancelling them, the preset
 * streaming call and the provider-neutral chat stream). Each public client delegates to it and
 * keeps only its wire format, so retries, timeouts, cancellation and limits are one piece of code
 * for every provider. Not exported: nothing here appears in a public signature.
 *
 * <p>Nulls: arguments are non-null unless documented otherwise. Threading: {@code ClientCore} is
 * safe for concurrent use.
 *
 * <p>Layer: <b>above {@code dev.sluice.chat}</b>, just below the providers: it may use every
 * package except the providers; {@code LayeringTest} checks it.
 */
@NullMarked
package dev.sluice.internal.call.client;

import org.jspecify.annotations.NullMarked;
