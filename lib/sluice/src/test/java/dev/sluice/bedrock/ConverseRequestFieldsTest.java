package dev.sluice.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.aws.AwsAccess;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Effort;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeBedrock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client's guardrail and service tier on every ConverseStream request (the AWS SDK's
 * {@code ConverseStreamRequest.guardrailConfig()} and {@code serviceTier()}, bedrockruntime 2.57),
 * as the test kit's Bedrock server receives them, beside the request's own fields; left out when not
 * set; a value the API does not take refused when set.
 */
class ConverseRequestFieldsTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static BedrockClient.Builder builder() {
        return BedrockClient.builder()
                .access(AwsAccess.builder()
                        .endpoint(FAKE.server().baseUrl().toString())
                        .apiKey(FakeBedrock.API_KEY)
                        .build());
    }

    private static RecordedRequest sent(BedrockClient.Builder builder) {
        try (BedrockClient client = builder.build();
                EventStream<MessageChunk> s = client.stream(ChatRequest.builder()
                        .model("us.anthropic.claude-sonnet-5-5")
                        .addMessage(ChatMessage.user("Hi"))
                        .maxTokens(2000)
                        .effort(Effort.LOW)
                        .build())) {
            s.forEach(c -> {});
        }
        return FAKE.server().takeRequest();
    }

    @Test
    void stream_guardrailAndServiceTier_sentBesideTheRequestsFields() {
        RecordedRequest q = sent(builder()
                .guardrail("arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123def", "3", "enabled", "async")
                .serviceTier("flex"));
        assertEquals(
                Map.of(
                        "guardrailIdentifier",
                        "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123def",
                        "guardrailVersion",
                        "3",
                        "trace",
                        "enabled",
                        "streamProcessingMode",
                        "async"),
                q.json("/guardrailConfig"));
        assertEquals(Map.of("type", "flex"), q.json("/serviceTier"));
        assertEquals("low", q.json("/additionalModelRequestFields/output_config/effort"));
        assertEquals(2000, q.json("/inferenceConfig/maxTokens"));
    }

    @Test
    void stream_guardrailWithoutTraceOrMode_onlyIdAndVersion() {
        RecordedRequest q = sent(builder().guardrail("abc123def", "DRAFT"));
        assertEquals(
                Map.of("guardrailIdentifier", "abc123def", "guardrailVersion", "DRAFT"), q.json("/guardrailConfig"));
        assertNull(q.json("/serviceTier"));
    }

    @Test
    void stream_neither_sendsNeither() {
        RecordedRequest q = sent(builder());
        assertNull(q.json("/guardrailConfig"));
        assertNull(q.json("/serviceTier"));
        assertFalse(q.body().contains("guardrail"));
    }

    @Test
    void builder_valuesTheApiDoesNotTake_refusedNamingThem() {
        BedrockClient.Builder b = BedrockClient.builder();
        assertEquals(
                "serviceTier must be priority, default, flex or reserved, not fast",
                assertThrows(IllegalArgumentException.class, () -> b.serviceTier("fast"))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.guardrail("My Guardrail", "1"));
        assertThrows(IllegalArgumentException.class, () -> b.guardrail("abc", "0"));
        assertThrows(IllegalArgumentException.class, () -> b.guardrail("abc", "1", "full", null));
        assertThrows(IllegalArgumentException.class, () -> b.guardrail("abc", "1", null, "batch"));
    }

    @Test
    void stream_performanceConfigAndRequestMetadata_sentBesideTheRequestsFields() {
        RecordedRequest q = sent(builder()
                .performanceConfig("optimized")
                .requestMetadata(Map.of("tenant", "acme-42", "route", "support/triage")));
        assertEquals(Map.of("latency", "optimized"), q.json("/performanceConfig"));
        assertEquals(Map.of("tenant", "acme-42", "route", "support/triage"), q.json("/requestMetadata"));
        assertEquals("user", q.json("/messages/0/role"));
    }

    @Test
    void builder_performanceOrMetadataTheApiLacks_refusedNamingIt() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> builder().performanceConfig("fast"));
        assertEquals("performanceConfig latency must be standard or optimized, not fast", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder().requestMetadata(Map.of()));
        IllegalArgumentException key =
                assertThrows(IllegalArgumentException.class, () -> builder().requestMetadata(Map.of("tenant#id", "x")));
        assertTrue(key.getMessage().contains("'tenant#id'"), key.getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder().requestMetadata(Map.of("k", "v".repeat(257))));
    }

    @Test
    void stream_extraFields_sentAfterTheRequestsAndTheClientsOwn() {
        RecordedRequest q = sent(builder()
                .serviceTier("flex")
                .extra("additionalModelResponseFieldPaths", List.of("/stop_sequence"))
                .extra("promptVariables", Map.of("topic", Map.of("text", "tides")))
                .extra("promptVariables", Map.of("topic", Map.of("text", "rivers"))));
        assertEquals(List.of("/stop_sequence"), q.json("/additionalModelResponseFieldPaths"));
        assertEquals("rivers", q.json("/promptVariables/topic/text"));
        assertEquals("low", q.json("/additionalModelRequestFields/output_config/effort"));
        String body = q.body();
        assertTrue(
                body.indexOf("\"additionalModelRequestFields\"") < body.indexOf("\"serviceTier\"")
                        && body.indexOf("\"serviceTier\"") < body.indexOf("\"additionalModelResponseFieldPaths\""),
                body);
    }

    @Test
    void extra_blankModelledOrNotJson_refusedNamingWhatSetsIt() {
        BedrockClient.Builder b = builder();
        assertThrows(IllegalArgumentException.class, () -> b.extra(" ", 1));
        assertEquals(
                "field serviceTier is modelled: set it with serviceTier(..)",
                assertThrows(IllegalArgumentException.class, () -> b.extra("serviceTier", Map.of("type", "flex")))
                        .getMessage());
        for (String written : List.of(
                "messages",
                "system",
                "inferenceConfig",
                "toolConfig",
                "outputConfig",
                "additionalModelRequestFields",
                "guardrailConfig",
                "performanceConfig",
                "requestMetadata")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.extra(written, 1));
            assertTrue(e.getMessage().startsWith("field " + written + " is modelled: set it with "), e.getMessage());
        }
        IllegalArgumentException notJson =
                assertThrows(IllegalArgumentException.class, () -> b.extra("promptVariables", new Object()));
        assertTrue(notJson.getMessage().contains("promptVariables"), notJson.getMessage());
    }
}
