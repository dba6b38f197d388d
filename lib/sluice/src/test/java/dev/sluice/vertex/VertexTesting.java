package dev.sluice.vertex;

import dev.sluice.internal.low.auth.Environment;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.clouds.FakeVertex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** For the Vertex AI tests of every package: a {@link VertexAccess} read from a test's own environment. */
public final class VertexTesting {
    private VertexTesting() {}

    /** {@return the access these variables describe, gcloud's files looked for under {@code home}} */
    public static VertexAccess fromEnv(Map<String, String> variables, Path home) {
        return VertexAccess.fromEnv(Environment.of(variables, home));
    }

    /**
     * {@return the access of the fake's test service account, whose key file is written in {@code dir}:
     * {@code GOOGLE_APPLICATION_CREDENTIALS}, {@code GOOGLE_VERTEX_BASE_URL} the fake's, this location}
     */
    public static VertexAccess serviceAccount(FakeLlmServer server, Path dir, String location) {
        try {
            Path key = Files.writeString(dir.resolve("key.json"), FakeVertex.serviceAccountJson(server.baseUrl()));
            return fromEnv(
                    Map.of(
                            "GOOGLE_APPLICATION_CREDENTIALS",
                            key.toString(),
                            "GOOGLE_CLOUD_LOCATION",
                            location,
                            "GOOGLE_VERTEX_BASE_URL",
                            server.baseUrl().toString(),
                            "NO_GCE_CHECK",
                            "true"),
                    dir.resolve("home"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
