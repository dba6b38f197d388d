package dev.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sluice.client.AccessTokenProvider;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.clouds.FakeVertex;
import dev.sluice.vertex.VertexAccess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** docs/clouds.md's Vertex AI examples, against the test kit's fake Vertex AI. */
class VertexModelsTest {
    private static String printed(Runnable example) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            example.run();
        } finally {
            System.setOut(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void geminiAndClaude_streamFromTheFakeVertexAi() {
        try (FakeLlmServer server = FakeLlmServer.start()) {
            VertexAccess vertex = VertexAccess.builder()
                    .project(FakeVertex.PROJECT)
                    .location("us-east5")
                    .endpoint(server.baseUrl().toString())
                    .tokenProvider(() -> new AccessTokenProvider.Token(
                            FakeVertex.ACCESS_TOKEN, Instant.now().plusSeconds(3600)))
                    .build();
            assertFalse(printed(() -> VertexModels.gemini(vertex)).isBlank());
            assertFalse(printed(() -> VertexModels.claude(vertex)).isBlank());
            String models = "/v1/projects/" + FakeVertex.PROJECT + "/locations/us-east5/publishers/";
            assertEquals(
                    models + "google/models/gemini-3.8-flash:streamGenerateContent",
                    server.takeRequest().path());
            assertEquals(
                    models + "anthropic/models/claude-sonnet-5-5:streamRawPredict",
                    server.takeRequest().path());
        }
    }
}
