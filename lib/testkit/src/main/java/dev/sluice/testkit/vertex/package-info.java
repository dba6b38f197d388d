/**
 * What a test needs to name of the fake Google Vertex AI that {@link dev.sluice.testkit.FakeLlmServer}
 * serves: {@link dev.sluice.testkit.vertex.FakeVertex}, its project, test service account, test user
 * credentials and the token it issues. The routes and their wire formats live with the server's
 * other APIs.
 *
 * <p>Nulls: none accepted. Threading: constants and pure functions only.
 */
@NullMarked
package dev.sluice.testkit.vertex;

import org.jspecify.annotations.NullMarked;
