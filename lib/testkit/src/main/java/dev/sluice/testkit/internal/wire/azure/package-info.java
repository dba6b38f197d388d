/**
 * Microsoft Azure's wire formats (not exported): Azure OpenAI's v1 API and Claude on Foundry, carried over the OpenAI and Anthropic formats, and Entra ID's token endpoints.
 */
@NullMarked
package dev.sluice.testkit.internal.wire.azure;

import org.jspecify.annotations.NullMarked;
