/**
 * Every provider and cloud Sluice speaks, by name: {@link dev.sluice.providers.ProviderCatalog}
 * builds a {@link dev.sluice.chat.ChatProvider} from a name ({@code anthropic}, {@code bedrock},
 * {@code vertex-anthropic}, ...), client options and an environment map, the way each provider's
 * own SDK reads its environment. For code that picks the provider at run time from configuration
 * (the command-line tool, the Flink SQL provider); the only package that knows every provider.
 */
@NullMarked
package dev.sluice.providers;

import org.jspecify.annotations.NullMarked;
