/**
 * The Anthropic Messages API's wire format (not exported): reads {@code POST /v1/messages} requests and writes the answer, streamed or whole, as Anthropic does.
 */
@NullMarked
package dev.sluice.testkit.internal.wire.anthropic;

import org.jspecify.annotations.NullMarked;
