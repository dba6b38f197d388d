package dev.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.aws.AwsAccess;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeBedrock;
import dev.sluice.testkit.clouds.FakeVertex;
import dev.sluice.vertex.VertexAccess;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/clouds.md's failover across clouds: an answer cut on Anthropic's API, then again on Bedrock,
 * ends on Vertex AI as the one text, restarted on each cloud (the current Claude takes no prefill,
 * which the test kit refuses as the API does), each cloud asked for its id of the catalog's model.
 */
class AcrossCloudsTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    @Test
    void run_cutOnAnthropicThenOnBedrock_restartedOnVertexAsOneAnswer() {
        FAKE.server()
                .setDispatcher(r -> r.path().startsWith("/model/")
                        ? FakeResponse.answer()
                                .text(" because sunlight", " is scattered", " more")
                                .usage(12, 3)
                                .cutAfter(2)
                        : r.path().startsWith("/v1/projects/")
                                ? FakeResponse.answer()
                                        .text(
                                                "The sky is blue",
                                                " because sunlight is scattered",
                                                " at short wavelengths.")
                                        .usage(14, 2)
                                : FakeResponse.answer()
                                        .text("The sky ", "is blue", " today")
                                        .usage(10, 3)
                                        .cutAfter(2));
        AwsAccess aws = AwsAccess.builder()
                .region("us-east-1")
                .endpoint(FAKE.server().baseUrl())
                .credentials(FakeBedrock.ACCESS_KEY_ID, FakeBedrock.SECRET_ACCESS_KEY)
                .build();
        VertexAccess vertex = VertexAccess.builder()
                .project(FakeVertex.PROJECT)
                .location("us-east5")
                .endpoint(FAKE.server().baseUrl().toString())
                .tokenProvider(() -> new AccessTokenProvider.Token(
                        FakeVertex.ACCESS_TOKEN, Instant.now().plusSeconds(3600)))
                .build();
        try (AnthropicClient anthropic = AnthropicClient.builder()
                .apiKey("k")
                .baseUrl(FAKE.server().baseUrl().toString())
                .build()) {
            assertEquals(
                    "The sky is blue because sunlight is scattered at short wavelengths.",
                    AcrossClouds.run(anthropic, aws, vertex));
        }
        List<RecordedRequest> requests = FAKE.server().requests();
        assertEquals(
                List.of(
                        "/v1/messages",
                        "/model/us.anthropic.claude-sonnet-5-5/invoke-with-response-stream",
                        "/v1/projects/" + FakeVertex.PROJECT
                                + "/locations/us-east5/publishers/anthropic/models/claude-sonnet-5-5:streamRawPredict"),
                requests.stream().map(RecordedRequest::path).toList());
        assertEquals("claude-sonnet-5-5", requests.get(0).json("/model"));
        // restarted, not continued: no cloud is sent the text so far as a prefill
        for (RecordedRequest r : requests) assertEquals(1, ((List<?>) r.json("/messages")).size(), r.body());
    }
}
