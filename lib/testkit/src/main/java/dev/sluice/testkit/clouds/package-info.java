/**
 * What a test needs to name of the clouds that {@link dev.sluice.testkit.FakeLlmServer} serves, one
 * class of constants per cloud: {@link dev.sluice.testkit.clouds.FakeBedrock} (Amazon Bedrock's test
 * key and API key), {@link dev.sluice.testkit.clouds.FakeVertex} (Google Vertex AI's project, test
 * service account, test user credentials and the token it issues) and {@link
 * dev.sluice.testkit.clouds.FakeAzure} (Microsoft Azure's API key, Entra ID application, tenant and
 * managed identity, and the tokens its token endpoints issue). The routes and their wire formats
 * live with the server's other APIs, which check requests against these values: so these sit in a
 * package of their own, below the server, not in {@code dev.sluice.testkit} (which would make a
 * cycle with the wire formats).
 *
 * <p>Nulls: none accepted. Threading: constants and pure functions only.
 */
@NullMarked
package dev.sluice.testkit.clouds;

import org.jspecify.annotations.NullMarked;
