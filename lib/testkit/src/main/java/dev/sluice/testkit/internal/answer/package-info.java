/**
 * Plans the answer to an unscripted request (not exported), the same for every wire format: thinking, text, tool calls and structured output within the request's limits, deterministic for a prompt and seed.
 */
@NullMarked
package dev.sluice.testkit.internal.answer;

import org.jspecify.annotations.NullMarked;
