/**
 * JSON setup shared by the providers, not exported: {@link dev.sluice.internal.low.json.Json}
 * (Jackson's streaming parser and generator, with the read limits, and the bridge to Sluice's
 * plain-Java value model: unmodifiable insertion-ordered {@code Map}s, {@code List}s,
 * {@code String}, {@code Long} / {@code BigInteger} / {@code BigDecimal}, {@code Boolean},
 * {@code null}), {@link dev.sluice.internal.low.json.JsonOut} (a compact writer that needs no
 * Jackson) and {@link dev.sluice.internal.low.json.JsonValues} (checking and copying values given by
 * callers). No Jackson type leaves this package in a public signature.
 *
 * <p>The library uses jackson-core only, never Jackson's databind: hot paths read with the
 * streaming parser, cold ones (error bodies, free-form members, whole Responses and Gemini
 * objects) read into the value model and navigate it. Nulls: arguments are non-null unless
 * documented otherwise. Threading: everything here is stateless or immutable and safe for
 * concurrent use.
 *
 * <p>Layer: <b>below {@code dev.sluice.stream}</b>, the lowest with {@code dev.sluice.sse}. It may use
 * the JDK, Jackson and {@code dev.sluice} (the exceptions), nothing else of Sluice;
 * {@code LayeringTest} checks it.
 */
@NullMarked
package dev.sluice.internal.low.json;

import org.jspecify.annotations.NullMarked;
