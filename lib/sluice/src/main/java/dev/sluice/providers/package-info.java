/**
 * Every provider Sluice speaks, as one table: {@link dev.sluice.providers.ProviderCatalog}, a
 * constant per provider ({@code anthropic}, {@code bedrock}, {@code vertex-anthropic}, ...) with
 * its wire format, its cloud, its environment variables, its default model, its OpenTelemetry name
 * and how to connect to it, the way each provider's own SDK reads its environment; and the one
 * reader of {@code PROVIDER:MODEL} ({@link dev.sluice.providers.ProviderCatalog.Target}). For code
 * that picks the provider at run time from configuration (the command-line tool, the Boot starter,
 * Flink SQL) or names it (an observer); the only package that knows every provider.
 */
@NullMarked
package dev.sluice.providers;

import org.jspecify.annotations.NullMarked;
