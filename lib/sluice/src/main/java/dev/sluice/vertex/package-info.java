/**
 * Google Vertex AI: where a Vertex client's requests go and how they are authorized.
 * {@link dev.sluice.vertex.VertexAccess} holds the project, the location, the base URL and the source
 * of OAuth 2.0 access tokens (Application Default Credentials as google-auth-library finds them, or
 * an application's own {@link dev.sluice.client.AccessTokenProvider}); the clients take it:
 * {@code GeminiClient.builder().vertex(access)} for Gemini on Vertex AI,
 * {@code AnthropicClient.builder().vertex(access)} for Claude on Vertex AI. {@code docs/clouds.md}
 * says which settings are read.
 *
 * <p>Secrets: no token, private key or refresh token appears in a {@code toString()}, a message or
 * a log line of this package. Failures to find or use credentials are
 * {@link dev.sluice.CredentialsException}s naming what to set.
 *
 * <p>Nulls: arguments are non-null; a null throws {@code NullPointerException} naming it.
 * Threading: {@code VertexAccess} is immutable and thread-safe (it resolves the credentials and the
 * project once, the first time they are needed, and caches tokens, one refresh shared by every
 * caller); its builder is not thread-safe.
 */
@NullMarked
package dev.sluice.vertex;

import org.jspecify.annotations.NullMarked;
