/**
 * Microsoft Azure: where a client reaches Azure OpenAI and Claude on Microsoft Foundry, and how it
 * is authorized there. {@link dev.sluice.azure.AzureAccess} is the one value both take
 * ({@code OpenAiClient.builder().azure(access)}, {@code AnthropicClient.builder().foundry(access)}):
 * an endpoint and either the resource's API key or Microsoft Entra ID bearer tokens, found in the
 * environment as azure-identity's {@code DefaultAzureCredential} finds them (client secret, workload
 * identity, managed identity) or given by the application through
 * {@link dev.sluice.client.AccessTokenProvider}. Tokens are cached and refreshed five minutes before
 * they expire, one refresh shared by every stream of every client built with the same access.
 *
 * <p>Secrets: no API key, client secret or token appears in a {@code toString()}, a message or a
 * log line. Nulls: arguments are non-null unless documented otherwise. Threading: an
 * {@code AzureAccess} is immutable and thread-safe; its builder is not thread-safe.
 */
@NullMarked
package dev.sluice.azure;

import org.jspecify.annotations.NullMarked;
