/**
 * What a test needs to name of the fake Amazon Bedrock Runtime that
 * {@link dev.sluice.testkit.FakeLlmServer} serves: {@link dev.sluice.testkit.bedrock.FakeBedrock},
 * its test key and API key. The routes and their wire format live with the server's other APIs.
 *
 * <p>Nulls: none. Threading: constants only.
 */
@NullMarked
package dev.sluice.testkit.bedrock;

import org.jspecify.annotations.NullMarked;
