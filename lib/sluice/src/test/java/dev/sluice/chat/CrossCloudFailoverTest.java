package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.aws.AwsAccess;
import dev.sluice.bedrock.BedrockClient;
import dev.sluice.client.Failover;
import dev.sluice.providers.ProviderCatalog;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeBedrock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failover across clouds serving the same model, over real loopback sockets: a stream cut on
 * Anthropic's API continues on Claude through Amazon Bedrock with the text so far as a prefill, as
 * failover between providers works ({@link FallbackChain}), and ends with the reference text; a
 * Converse stream throttled after its first words goes on with OpenAI's model on Bedrock's mantle host
 * ({@code bedrock-openai-responses}), which starts the answer again.
 */
class CrossCloudFailoverTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static final String BEDROCK_MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

    @Test
    void stream_cutOnAnthropicsApi_continuesOnClaudeThroughBedrockWithTheReferenceText() {
        FAKE.server()
                .setDispatcher(r -> r.path().startsWith("/model/")
                        ? FakeResponse.answer()
                                .text(" because of Rayleigh", " scattering.")
                                .usage(14, 2)
                        : FakeResponse.answer()
                                .text("The sky ", "is blue ", "because")
                                .usage(10, 3)
                                .cutAfter(2));
        AwsAccess aws = AwsAccess.builder()
                .region("us-east-1")
                .endpoint(FAKE.server().baseUrl())
                .credentials(FakeBedrock.ACCESS_KEY_ID, FakeBedrock.SECRET_ACCESS_KEY)
                .build();
        try (AnthropicClient direct = AnthropicClient.builder()
                        .apiKey("k")
                        .baseUrl(FAKE.server().baseUrl().toString())
                        .build();
                AnthropicClient bedrock = AnthropicClient.builder().bedrock(aws).build()) {
            FallbackChain chain = FallbackChain.builder()
                    .target("anthropic", direct, "claude-sonnet-4-5")
                    .target("bedrock-anthropic", bedrock, BEDROCK_MODEL)
                    .build();
            StringBuilder shown = new StringBuilder();
            ChunkAggregator aggregator = new ChunkAggregator();
            Failover failover = null;
            try (EventStream<MessageChunk> chunks = chain.stream(ChatRequest.builder()
                    .model("unused")
                    .addMessage(ChatMessage.user("Why is the sky blue?"))
                    .maxTokens(256)
                    .build())) {
                for (MessageChunk c : chunks) {
                    aggregator.accept(c);
                    if (c.failover() != null) failover = c.failover();
                    shown.append(c.text());
                }
            }
            assertEquals("The sky is blue because of Rayleigh scattering.", shown.toString());
            assertEquals(shown.toString(), aggregator.result().text());
            assertEquals(Failover.Mode.CONTINUE, failover.mode());
            assertEquals(Failover.Reason.CONNECTION_LOST, failover.reason());
            assertEquals("The sky is blue ", failover.keptText());
        }
        List<RecordedRequest> requests = FAKE.server().requests();
        assertEquals(2, requests.size());
        RecordedRequest onBedrock = requests.get(1);
        assertEquals(
                "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream", onBedrock.path());
        assertEquals("assistant", onBedrock.json("/messages/1/role"));
        assertEquals("The sky is blue", onBedrock.json("/messages/1/content/0/text"));
        assertTrue(
                onBedrock.header("authorization").startsWith("AWS4-HMAC-SHA256 "), onBedrock.header("authorization"));
    }

    @Test
    void stream_converseThrottledMidStream_restartsOnBedrockOpenAiResponsesOnTheMantleHost() {
        FAKE.server()
                .setDispatcher(r -> r.path().startsWith("/model/")
                        ? FakeResponse.answer()
                                .text("The sky ", "is blue ", "because")
                                .usage(10, 3)
                                .errorAfter(
                                        2, "throttlingException", "Too many tokens, please wait before trying again.")
                        : FakeResponse.answer()
                                .text("Sunlight is scattered", " by the air.")
                                .usage(12, 2));
        AwsAccess aws = AwsAccess.builder()
                .region("us-east-2")
                .endpoint(FAKE.server().baseUrl())
                .mantleEndpoint(FAKE.server().baseUrl() + FakeBedrock.MANTLE_PATH)
                .credentials(FakeBedrock.ACCESS_KEY_ID, FakeBedrock.SECRET_ACCESS_KEY)
                .build();
        try (BedrockClient converse = BedrockClient.builder().access(aws).build();
                dev.sluice.openai.OpenAiClient openAi = dev.sluice.openai.OpenAiClient.builder()
                        .bedrock(aws.mantle(), ProviderCatalog::bedrockOpenAiPath)
                        .build()) {
            FallbackChain chain = FallbackChain.builder()
                    .target("bedrock", converse, "us.amazon.nova-pro-v1:0")
                    .target("bedrock-openai-responses", openAi.responses(), "openai.gpt-5.6-terra")
                    .build();
            StringBuilder shown = new StringBuilder();
            ChunkAggregator aggregator = new ChunkAggregator();
            Failover failover = null;
            try (EventStream<MessageChunk> chunks = chain.stream(ChatRequest.builder()
                    .model("unused")
                    .addMessage(ChatMessage.user("Why is the sky blue?"))
                    .maxTokens(256)
                    .build())) {
                for (MessageChunk c : chunks) {
                    aggregator.accept(c);
                    if (c.failover() != null) failover = c.failover();
                    shown.append(c.text());
                }
            }
            assertEquals("The sky is blue Sunlight is scattered by the air.", shown.toString());
            assertEquals(
                    "Sunlight is scattered by the air.", aggregator.result().text());
            assertEquals(Failover.Mode.RESTART, failover.mode());
            assertEquals(Failover.Reason.RATE_LIMITED, failover.reason());
        }
        List<RecordedRequest> requests = FAKE.server().requests();
        assertEquals(2, requests.size());
        RecordedRequest onMantle = requests.get(1);
        assertEquals("/mantle/openai/v1/responses", onMantle.path());
        assertEquals("openai.gpt-5.6-terra", onMantle.json("/model"));
        assertTrue(onMantle.header("authorization").contains("/us-east-2/bedrock-mantle/aws4_request, "));
    }
}
