package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testkit.clouds.FakeBedrock;
import dev.sluice.testkit.internal.answer.ReplyPlanner;
import dev.sluice.testkit.internal.wire.bedrock.SigV4Check;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;

/**
 * The Bedrock fake read by AWS's own client, {@code BedrockRuntimeAsyncClient} (SDK for Java 2.x, Netty,
 * plain HTTP to loopback): what it decodes is what the fake scripted, its SigV4 signature with the test
 * key is accepted and a wrong one refused as AWS refuses it.
 */
class FakeBedrockSdkTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    private static final String CLAUDE = "anthropic.claude-3-7-sonnet-20250219-v1:0";
    // One Netty client for the class: closing one takes its event loops' two-second quiet period.
    private static SdkAsyncHttpClient http;
    private final FakeLlmServer server = FAKE.server();
    private final List<BedrockRuntimeAsyncClient> clients = new ArrayList<>();

    @BeforeAll
    static void startHttp() {
        http = NettyNioAsyncHttpClient.builder()
                .protocol(Protocol.HTTP1_1)
                .build(); // the fake speaks HTTP/1.1; Bedrock streams default to HTTP/2
    }

    @AfterAll
    static void closeHttp() {
        http.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(BedrockRuntimeAsyncClient::close);
    }

    private BedrockRuntimeAsyncClient client(String secret) {
        BedrockRuntimeAsyncClient c = BedrockRuntimeAsyncClient.builder()
                .endpointOverride(server.baseUrl())
                .region(Region.US_EAST_1)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(FakeBedrock.ACCESS_KEY_ID, secret)))
                .httpClient(http)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        clients.add(c);
        return c;
    }

    private List<ConverseStreamOutput> converse(
            BedrockRuntimeAsyncClient client, Consumer<ConverseStreamRequest.Builder> request) throws Exception {
        List<ConverseStreamOutput> events = new CopyOnWriteArrayList<>();
        ConverseStreamResponseHandler handler =
                ConverseStreamResponseHandler.builder().subscriber(events::add).build();
        client.converseStream(request, handler).get(30, TimeUnit.SECONDS);
        return events;
    }

    private static Consumer<ConverseStreamRequest.Builder> ask(String model, String prompt) {
        return r -> r.modelId(model).messages(m -> m.role("user").content(c -> c.text(prompt)));
    }

    private static String text(List<ConverseStreamOutput> events) {
        StringBuilder sb = new StringBuilder();
        for (ConverseStreamOutput e : events) {
            if (e instanceof ContentBlockDeltaEvent d && d.delta().text() != null)
                sb.append(d.delta().text());
        }
        return sb.toString();
    }

    @Test
    void converseStream_scriptedText_sdkGetsTextStopReasonAndUsage() throws Exception {
        server.enqueue(FakeResponse.answer().text("Hello", ", world").usage(12, 2));

        List<ConverseStreamOutput> events = converse(client(FakeBedrock.SECRET_ACCESS_KEY), ask(CLAUDE, "hi"));

        assertInstanceOf(MessageStartEvent.class, events.getFirst());
        assertEquals("Hello, world", text(events));
        MessageStopEvent stop = (MessageStopEvent) events.stream()
                .filter(MessageStopEvent.class::isInstance)
                .findFirst()
                .orElseThrow();
        assertEquals("end_turn", stop.stopReasonAsString());
        ConverseStreamMetadataEvent metadata = (ConverseStreamMetadataEvent) events.getLast();
        assertEquals(12, metadata.usage().inputTokens());
        assertEquals(2, metadata.usage().outputTokens());
        assertEquals(14, metadata.usage().totalTokens());
        assertTrue(metadata.metrics().latencyMs() >= 1);
        RecordedRequest sent = server.takeRequest();
        assertEquals("/model/anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream", sent.path());
    }

    @Test
    void converseStream_promptCallsTool_sdkGetsToolUseWithThatInput() throws Exception {
        Tool weather = Tool.builder()
                .toolSpec(s -> s.name("get_weather")
                        .description("The weather in a city")
                        .inputSchema(ToolInputSchema.fromJson(Document.fromMap(Map.of(
                                "type",
                                Document.fromString("object"),
                                "properties",
                                Document.fromMap(Map.of(
                                        "city", Document.fromMap(Map.of("type", Document.fromString("string"))))))))))
                .build();

        List<ConverseStreamOutput> events = converse(
                client(FakeBedrock.SECRET_ACCESS_KEY),
                ask(CLAUDE, "call get_weather with {\"city\":\"Paris\"}")
                        .andThen(r -> r.toolConfig(t -> t.tools(weather))));

        ContentBlockStartEvent start = (ContentBlockStartEvent) events.stream()
                .filter(ContentBlockStartEvent.class::isInstance)
                .findFirst()
                .orElseThrow();
        assertEquals("get_weather", start.start().toolUse().name());
        assertTrue(start.start().toolUse().toolUseId().startsWith("tooluse_"));
        StringBuilder input = new StringBuilder();
        for (ConverseStreamOutput e : events) {
            if (e instanceof ContentBlockDeltaEvent d && d.delta().toolUse() != null) {
                assertEquals(start.contentBlockIndex(), d.contentBlockIndex());
                input.append(d.delta().toolUse().input());
            }
        }
        assertEquals(
                "Paris", TestClient.JSON.readTree(input.toString()).get("city").asText());
        assertTrue(events.stream()
                .anyMatch(e -> e instanceof ContentBlockStopEvent s
                        && s.contentBlockIndex().equals(start.contentBlockIndex())));
        assertTrue(events.stream()
                .anyMatch(e -> e instanceof MessageStopEvent s
                        && s.stopReasonAsString().equals("tool_use")));
    }

    @Test
    void converseStream_thinkingEnabled_reasoningTextThenSignature() throws Exception {
        Document thinking = Document.fromMap(Map.of(
                "thinking",
                Document.fromMap(
                        Map.of("type", Document.fromString("enabled"), "budget_tokens", Document.fromNumber(2048)))));

        List<ConverseStreamOutput> events = converse(
                client(FakeBedrock.SECRET_ACCESS_KEY),
                ask(CLAUDE, "what is a monad?")
                        .andThen(
                                r -> r.inferenceConfig(i -> i.maxTokens(8000)).additionalModelRequestFields(thinking)));

        StringBuilder reasoning = new StringBuilder();
        String signature = null;
        for (ConverseStreamOutput e : events) {
            if (e instanceof ContentBlockDeltaEvent d && d.delta().reasoningContent() != null) {
                if (d.delta().reasoningContent().text() != null)
                    reasoning.append(d.delta().reasoningContent().text());
                if (d.delta().reasoningContent().signature() != null)
                    signature = d.delta().reasoningContent().signature();
            }
        }
        assertTrue(reasoning.length() > 0, "reasoning text");
        assertEquals(ReplyPlanner.signature(reasoning.toString()), signature);
        assertTrue(text(events).length() > 0, "an answer after the reasoning");
    }

    @Test
    void converseStream_wrongSecret_invalidSignatureException() {
        ExecutionException e =
                assertThrows(ExecutionException.class, () -> converse(client("not-the-secret"), ask(CLAUDE, "hi")));

        BedrockRuntimeException aws = assertInstanceOf(BedrockRuntimeException.class, e.getCause());
        assertEquals(403, aws.statusCode());
        assertEquals("InvalidSignatureException", aws.awsErrorDetails().errorCode());
        assertEquals(SigV4Check.MISMATCH, aws.awsErrorDetails().errorMessage());
        assertTrue(aws.requestId() != null && !aws.requestId().isEmpty(), "the request id from x-amzn-RequestId");
    }

    @Test
    void converseStream_rateLimitedModel_throttlingException() {
        ExecutionException e = assertThrows(
                ExecutionException.class,
                () -> converse(client(FakeBedrock.SECRET_ACCESS_KEY), ask("fake-rate-limited", "hi")));

        ThrottlingException aws = assertInstanceOf(ThrottlingException.class, e.getCause());
        assertEquals(429, aws.statusCode());
    }

    @Test
    void converseStream_errorMidStream_textThenModelStreamErrorException() {
        List<ConverseStreamOutput> events = new CopyOnWriteArrayList<>();
        ConverseStreamResponseHandler handler =
                ConverseStreamResponseHandler.builder().subscriber(events::add).build();
        CompletableFuture<Void> call = client(FakeBedrock.SECRET_ACCESS_KEY)
                .converseStream(
                        r -> r.modelId("fake-error-mid-stream")
                                .messages(m -> m.role("user").content(c -> c.text("hi"))),
                        handler);

        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(30, TimeUnit.SECONDS));

        ModelStreamErrorException aws = assertInstanceOf(ModelStreamErrorException.class, e.getCause());
        assertEquals(529, aws.originalStatusCode());
        assertEquals(
                3,
                events.stream().filter(ContentBlockDeltaEvent.class::isInstance).count());
    }

    @Test
    void converseStream_scriptedThrottlingAfterTwo_sdkThrowsThrottlingExceptionAfterTheText() {
        server.enqueue(
                FakeResponse.answer().text("a", "b", "c").errorAfter(2, "throttlingException", "Too many tokens"));
        List<ConverseStreamOutput> events = new CopyOnWriteArrayList<>();
        ConverseStreamResponseHandler handler =
                ConverseStreamResponseHandler.builder().subscriber(events::add).build();
        CompletableFuture<Void> call = client(FakeBedrock.SECRET_ACCESS_KEY).converseStream(ask(CLAUDE, "hi"), handler);

        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(30, TimeUnit.SECONDS));

        ThrottlingException aws = assertInstanceOf(ThrottlingException.class, e.getCause());
        assertEquals("Too many tokens", aws.awsErrorDetails().errorMessage());
        assertEquals("ab", text(events));
    }

    @Test
    void invokeModelWithResponseStream_chunksAreAnthropicEventsEndingWithInvocationMetrics() throws Exception {
        server.enqueue(FakeResponse.answer()
                .thinking("Let me", " think")
                .text("Hi", " there")
                .usage(9, 4));
        List<String> chunks = new CopyOnWriteArrayList<>();
        InvokeModelWithResponseStreamResponseHandler handler = InvokeModelWithResponseStreamResponseHandler.builder()
                .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                        .onChunk(c -> chunks.add(c.bytes().asUtf8String()))
                        .build())
                .build();
        String body = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":100,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        client(FakeBedrock.SECRET_ACCESS_KEY)
                .invokeModelWithResponseStream(
                        InvokeModelWithResponseStreamRequest.builder()
                                .modelId(CLAUDE)
                                .contentType("application/json")
                                .accept("application/json")
                                .body(SdkBytes.fromUtf8String(body))
                                .build(),
                        handler)
                .get(30, TimeUnit.SECONDS);

        List<String> types = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        String signature = null;
        for (String c : chunks) {
            JsonNode event = TestClient.JSON.readTree(c);
            types.add(event.get("type").asText());
            JsonNode delta = event.path("delta");
            if (delta.path("type").asText().equals("text_delta"))
                text.append(delta.get("text").asText());
            if (delta.path("type").asText().equals("signature_delta"))
                signature = delta.get("signature").asText();
        }
        assertEquals("message_start", types.getFirst());
        assertEquals("message_stop", types.getLast());
        assertEquals("Hi there", text.toString());
        assertEquals(
                96, signature.length(), "the server's own signature of the thinking (an HMAC with its key, base64)");
        assertTrue(
                !signature.equals(ReplyPlanner.signature("Let me think")),
                "signed with the server's key, not a fixed one");
        JsonNode metrics = TestClient.JSON.readTree(chunks.getLast()).get("amazon-bedrock-invocationMetrics");
        assertEquals(9, metrics.get("inputTokenCount").asInt());
        assertEquals(4, metrics.get("outputTokenCount").asInt());
        assertTrue(metrics.get("invocationLatency").asInt() >= 1);
        assertTrue(metrics.get("firstByteLatency").asInt() >= 1);
    }

    @Test
    void invokeModelWithResponseStream_wrongSecret_invalidSignatureException() {
        InvokeModelWithResponseStreamResponseHandler handler = InvokeModelWithResponseStreamResponseHandler.builder()
                .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                        .build())
                .build();

        ExecutionException e = assertThrows(
                ExecutionException.class,
                () -> client("wrong")
                        .invokeModelWithResponseStream(
                                InvokeModelWithResponseStreamRequest.builder()
                                        .modelId(CLAUDE)
                                        .contentType("application/json")
                                        .body(SdkBytes.fromUtf8String("{}"))
                                        .build(),
                                handler)
                        .get(30, TimeUnit.SECONDS));

        assertEquals(
                "InvalidSignatureException",
                assertInstanceOf(BedrockRuntimeException.class, e.getCause())
                        .awsErrorDetails()
                        .errorCode());
    }
}
