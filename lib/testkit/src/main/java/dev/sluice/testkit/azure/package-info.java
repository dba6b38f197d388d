/**
 * What a test needs to name of the fake Microsoft Azure that {@link dev.sluice.testkit.FakeLlmServer}
 * serves: {@link dev.sluice.testkit.azure.FakeAzure}, its API key, its Entra ID application, tenant
 * and managed identity, and the tokens its token endpoints issue. The routes and their wire format
 * live with the server's other APIs.
 *
 * <p>Nulls: none. Threading: constants only.
 */
@NullMarked
package dev.sluice.testkit.azure;

import org.jspecify.annotations.NullMarked;
