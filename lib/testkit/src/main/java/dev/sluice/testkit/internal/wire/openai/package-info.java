/**
 * The OpenAI wire formats (not exported): Chat Completions (and the OpenAI-compatible APIs' reasoning fields) and Responses, with the strict-schema rules and the sealed reasoning items of the Responses API.
 */
@NullMarked
package dev.sluice.testkit.internal.wire.openai;

import org.jspecify.annotations.NullMarked;
