package dev.sluice.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.CredentialsException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.ProtocolException;
import dev.sluice.aws.AwsAccess;
import dev.sluice.aws.AwsCredentialsProvider;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.Usage;
import dev.sluice.client.RetryPolicy;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeBedrock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client end to end over a loopback socket, against the testkit's fake Bedrock: its planned
 * answers (signature and API key checked as AWS checks them) and, for the frames a test needs
 * exactly, scripted event-stream bodies ({@link ConverseFrames}) written as they are.
 */
class BedrockClientTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
    private static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    @TempDir
    Path home;

    private static void stream(ConverseFrames frames) {
        FAKE.server()
                .enqueue(FakeResponse.status(200)
                        .body(EVENT_STREAM, frames.bytes())
                        .header("x-amzn-RequestId", "req-1"));
    }

    private static String base() {
        return FAKE.server().baseUrl().toString();
    }

    private static BedrockClient.Builder builder() {
        return BedrockClient.builder()
                .baseUrl(base())
                .retryPolicy(RetryPolicy.defaults()
                        .withInitialBackoff(Duration.ofMillis(1))
                        .withMaxBackoff(Duration.ofMillis(5)));
    }

    private static ChatRequest request() {
        return ChatRequest.builder()
                .model(MODEL)
                .addMessage(ChatMessage.user("Hi"))
                .maxTokens(50)
                .build();
    }

    private static ChatResponse drain(EventStream<MessageChunk> chunks, List<MessageChunk> seen) {
        try (chunks) {
            for (MessageChunk c : chunks) seen.add(c);
        }
        dev.sluice.chat.ChunkAggregator agg = new dev.sluice.chat.ChunkAggregator();
        seen.forEach(agg::accept);
        return agg.snapshot();
    }

    @Test
    void stream_textWithBearerToken_textFinishUsageAndTheRequestAsConverseWantsIt() {
        stream(ConverseFrames.text());
        try (BedrockClient client = builder().apiKey("bedrock-api-key").build()) {
            ChatResponse r = drain(client.stream(request()), new ArrayList<>());
            assertEquals("Hello, world", r.text());
            assertEquals(FinishReason.Kind.STOP, r.finishReason().kind());
            assertEquals(new Usage(12, 3, 0, 0), r.usage());
        }
        RecordedRequest q = FAKE.server().takeRequest();
        assertEquals("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream", q.path());
        assertEquals("Bearer bedrock-api-key", q.header("Authorization"));
        assertEquals(EVENT_STREAM, q.header("Accept"));
        assertEquals(
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}],\"inferenceConfig\":{\"maxTokens\":50}}",
                q.body());
    }

    @Test
    void converseStream_typedEvents_everyFieldAndTheResult() {
        stream(ConverseFrames.text());
        try (BedrockClient client = builder().apiKey("k").build();
                ConverseStream events = client.converseStream(request())) {
            List<ConverseEvent> seen = new ArrayList<>();
            events.forEach(seen::add);
            assertEquals(
                    new ConverseEvent.Metadata(new ConverseEvent.ConverseUsage(12, 3, 15, 0, 0), 321, null),
                    seen.get(seen.size() - 1));
            assertEquals("Hello, world", events.result().text());
            assertEquals(FinishReason.Kind.STOP, events.result().finishReason().kind());
            assertEquals("req-1", events.requestId().orElseThrow());
        }
    }

    @Test
    void converseStream_text_onlyTheTextDeltas() {
        stream(ConverseFrames.text());
        try (BedrockClient client = builder().apiKey("k").build();
                ConverseStream events = client.converseStream(request())) {
            assertEquals(List.of("Hello", ", world"), events.text().toList());
        }
    }

    @Test
    void stream_framesSplitAcrossReads_sameAnswer() {
        FAKE.server()
                .enqueue(FakeResponse.status(200)
                        .body(EVENT_STREAM, ConverseFrames.toolCall().bytes())
                        .inChunksOf(7));
        try (BedrockClient client = builder().apiKey("k").build()) {
            ChatResponse r = drain(client.stream(request()), new ArrayList<>());
            assertEquals("Looking.", r.text());
            assertEquals("{\"city\":\"Paris\"}", r.toolCalls().get(0).arguments());
        }
    }

    @Test
    void stream_responseNotAnEventStream_protocolExceptionNamingTheMediaType() {
        FAKE.server().enqueue(FakeResponse.sse("data: {}\n\n"));
        try (BedrockClient client = builder().apiKey("k").build()) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> client.stream(request()));
            assertTrue(e.getMessage().contains(EVENT_STREAM), e.getMessage());
        }
    }

    @Test
    void stream_toolCall_incrementalInputAssembledEndToEnd() {
        stream(ConverseFrames.toolCall());
        try (BedrockClient client = builder().apiKey("k").build()) {
            ChatResponse r = drain(client.stream(request()), new ArrayList<>());
            assertEquals("Looking.", r.text());
            assertEquals("tooluse_1", r.toolCalls().get(0).id());
            assertEquals("get_weather", r.toolCalls().get(0).name());
            assertEquals("{\"city\":\"Paris\"}", r.toolCalls().get(0).arguments());
            assertEquals(FinishReason.Kind.TOOL_CALLS, r.finishReason().kind());
        }
    }

    @Test
    void stream_staticCredentials_signedWithSigV4ForBedrock() {
        stream(ConverseFrames.text());
        try (BedrockClient client = builder()
                .region("eu-west-3")
                .baseUrl(base())
                .credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token")
                .build()) {
            assertEquals(
                    "Hello, world",
                    drain(client.stream(request()), new ArrayList<>()).text());
            assertFalse(
                    client.toString().contains("wJalr") || client.toString().contains("session-token"),
                    client.toString());
        }
        RecordedRequest h = FAKE.server().takeRequest();
        String auth = h.header("Authorization");
        assertTrue(
                auth.startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                        && auth.contains("/eu-west-3/bedrock/aws4_request"),
                auth);
        assertTrue(h.header("X-Amz-Date").matches("\\d{8}T\\d{6}Z"), h.header("X-Amz-Date"));
        assertEquals("session-token", h.header("X-Amz-Security-Token"));
    }

    @Test
    void stream_exceptionFrameAfterContent_partialDeliveredThenTypedApiException() {
        stream(new ConverseFrames()
                .event("messageStart", "{\"role\":\"assistant\"}")
                .event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hel\"}}")
                .exception("modelStreamErrorException", "the model failed"));
        List<MessageChunk> seen = new ArrayList<>();
        try (BedrockClient client = builder().apiKey("k").build()) {
            ApiException e = assertThrows(ApiException.class, () -> drain(client.stream(request()), seen));
            assertEquals("modelStreamErrorException", e.errorType());
            assertEquals("the model failed", e.errorMessage());
            assertTrue(e.inStream());
            assertEquals("Hel", e.partial(ChatResponse.class).orElseThrow().text());
            assertEquals("req-1", e.requestId().orElseThrow());
        }
        assertEquals("Hel", seen.get(0).text());
        assertEquals(1, FAKE.server().requestCount());
    }

    @Test
    void stream_throttlingFrameBeforeContent_reopenedAndAnswered() {
        stream(new ConverseFrames()
                .event("messageStart", "{\"role\":\"assistant\"}")
                .exception("throttlingException", "Too many requests"));
        stream(ConverseFrames.text());
        try (BedrockClient client = builder().apiKey("k").build()) {
            assertEquals(
                    "Hello, world",
                    drain(client.stream(request()), new ArrayList<>()).text());
        }
        assertEquals(2, FAKE.server().requestCount());
    }

    @Test
    void stream_throttlingAfterToolUseStartBeforeItsInput_reopenedWithoutADuplicateCall() {
        stream(new ConverseFrames()
                .event("messageStart", "{\"role\":\"assistant\"}")
                .event(
                        "contentBlockStart",
                        "{\"contentBlockIndex\":0,\"start\":{\"toolUse\":{\"toolUseId\":\"old\",\"name\":\"get_weather\"}}}")
                .exception("serviceUnavailableException", "try again"));
        stream(ConverseFrames.toolCall());
        try (BedrockClient client = builder().apiKey("k").build()) {
            ChatResponse r = drain(client.stream(request()), new ArrayList<>());
            assertEquals(1, r.toolCalls().size());
            assertEquals("tooluse_1", r.toolCalls().get(0).id());
        }
        assertEquals(2, FAKE.server().requestCount());
    }

    @Test
    void stream_validationFrameBeforeContent_notRetried() {
        stream(new ConverseFrames().exception("validationException", "bad input"));
        try (BedrockClient client = builder().apiKey("k").build()) {
            ApiException e = assertThrows(ApiException.class, () -> drain(client.stream(request()), new ArrayList<>()));
            assertEquals("validationException", e.errorType());
        }
        assertEquals(1, FAKE.server().requestCount());
    }

    @Test
    void stream_httpError_typeFromAmznErrorTypeAndRequestId() {
        FAKE.server()
                .enqueue(FakeResponse.status(400)
                        .body("application/json", "{\"message\":\"The provided model identifier is invalid.\"}")
                        .header(
                                "x-amzn-ErrorType",
                                "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/")
                        .header("x-amzn-RequestId", "req-400"));
        try (BedrockClient client = builder().apiKey("k").build()) {
            ApiException e = assertThrows(ApiException.class, () -> client.stream(request()));
            assertEquals(400, e.statusCode());
            assertEquals("ValidationException", e.errorType());
            assertEquals("The provided model identifier is invalid.", e.errorMessage());
            assertEquals("req-400", e.requestId().orElseThrow());
        }
    }

    @Test
    void stream_bodyEndsAfterContentBeforeMessageStop_incompleteWithPartial() {
        stream(new ConverseFrames()
                .event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}"));
        try (BedrockClient client = builder().apiKey("k").build()) {
            IncompleteStreamException e = assertThrows(
                    IncompleteStreamException.class, () -> drain(client.stream(request()), new ArrayList<>()));
            assertEquals("Hi", e.partial(ChatResponse.class).orElseThrow().text());
        }
    }

    /** Settings over these variables only: no real environment, no metadata service, home in the test's folder. */
    private Map<String, String> settings(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("HOME", home.toString());
        all.putIfAbsent("AWS_EC2_METADATA_DISABLED", "true");
        return all;
    }

    private static ChatResponse answered(BedrockClient client) {
        return drain(client.stream(request()), new ArrayList<>());
    }

    @Test
    void stream_signedWithTheFakesTestKey_plannedAnswerAccepted() {
        try (BedrockClient client = BedrockClient.builder()
                .access(AwsAccess.builder()
                        .region("us-west-2")
                        .endpoint(base())
                        .credentials(FakeBedrock.ACCESS_KEY_ID, FakeBedrock.SECRET_ACCESS_KEY)
                        .build())
                .build()) {
            ChatResponse r = answered(client);
            assertFalse(r.text().isEmpty());
        }
        String auth = FAKE.server().takeRequest().header("authorization");
        assertTrue(
                auth.startsWith("AWS4-HMAC-SHA256 Credential=" + FakeBedrock.ACCESS_KEY_ID + "/")
                        && auth.contains("/us-west-2/bedrock/"),
                auth);
    }

    @Test
    void stream_bedrockApiKey_sentAsBearerAndAccepted() {
        try (BedrockClient client = BedrockClient.builder()
                .access(AwsAccess.builder()
                        .endpoint(base())
                        .apiKey(FakeBedrock.API_KEY)
                        .build())
                .build()) {
            assertFalse(answered(client).text().isEmpty());
        }
        assertEquals(
                "Bearer " + FakeBedrock.API_KEY, FAKE.server().takeRequest().header("authorization"));
    }

    @Test
    void stream_wrongSecret_forbiddenInvalidSignatureException() {
        try (BedrockClient client = BedrockClient.builder()
                .access(AwsAccess.builder()
                        .region("us-east-1")
                        .endpoint(base())
                        .credentials(FakeBedrock.ACCESS_KEY_ID, "not-the-secret")
                        .build())
                .build()) {
            ApiException e = assertThrows(ApiException.class, () -> client.stream(request()));
            assertEquals(403, e.statusCode());
            assertEquals("InvalidSignatureException", e.errorType(), e.getMessage() + " / " + e.errorMessage());
            assertFalse(e.getMessage().contains("not-the-secret"), e.getMessage());
        }
        assertEquals(1, FAKE.server().requestCount()); // a 403 is not retried
    }

    @Test
    void stream_defaultChainFromAProfileFile_signedWithItsKeysAndAccepted() throws IOException {
        Path credentials = home.resolve("credentials");
        Files.writeString(
                credentials,
                "[bedrock]\naws_access_key_id = " + FakeBedrock.ACCESS_KEY_ID
                        + "\naws_secret_access_key = " + FakeBedrock.SECRET_ACCESS_KEY
                        + "\naws_session_token = profile-session\n"
                        + "region = eu-central-1\n");
        AwsAccess access = AwsAccess.fromEnv(settings(Map.of(
                "AWS_PROFILE",
                "bedrock",
                "AWS_SHARED_CREDENTIALS_FILE",
                credentials.toString(),
                "AWS_CONFIG_FILE",
                home.resolve("none").toString(),
                "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
                base())));
        assertEquals("eu-central-1", access.region());
        try (BedrockClient client = BedrockClient.builder().access(access).build()) {
            assertFalse(answered(client).text().isEmpty());
        }
        RecordedRequest q = FAKE.server().takeRequest();
        assertTrue(q.header("authorization").contains("/eu-central-1/bedrock/"), q.header("authorization"));
        assertEquals("profile-session", q.header("x-amz-security-token"));
    }

    @Test
    void stream_defaultChainFromEnvironmentVariables_accepted() {
        AwsAccess access = AwsAccess.fromEnv(settings(Map.of(
                "AWS_REGION",
                "ap-northeast-1",
                "AWS_ACCESS_KEY_ID",
                FakeBedrock.ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY",
                FakeBedrock.SECRET_ACCESS_KEY,
                "AWS_ENDPOINT_URL",
                base())));
        try (BedrockClient client = BedrockClient.builder().access(access).build()) {
            assertFalse(answered(client).text().isEmpty());
        }
    }

    @Test
    void stream_noCredentialsAnywhere_credentialsExceptionAtTheFirstRequestSayingWhatToSet() {
        AwsAccess access = AwsAccess.fromEnv(settings(Map.of(
                "AWS_REGION",
                "us-east-1",
                "AWS_ENDPOINT_URL",
                base(),
                "AWS_SHARED_CREDENTIALS_FILE",
                home.resolve("none").toString(),
                "AWS_CONFIG_FILE",
                home.resolve("none2").toString())));
        try (BedrockClient client = BedrockClient.builder().access(access).build()) { // building fetches nothing
            CredentialsException e = assertThrows(CredentialsException.class, () -> client.stream(request()));
            assertEquals(CredentialsException.Kind.NOT_FOUND, e.kind());
            assertTrue(
                    e.getMessage().contains("AWS_ACCESS_KEY_ID")
                            && e.getMessage().contains("AWS_BEARER_TOKEN_BEDROCK"),
                    e.getMessage());
        }
        assertEquals(0, FAKE.server().requestCount());
    }

    @Test
    void stream_ownProvider_askedOnceForTwoStreamsAndItsSessionTokenSent() {
        List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        AwsCredentialsProvider provider = () -> {
            calls.add("called");
            return new AwsCredentialsProvider.Credentials(
                    FakeBedrock.ACCESS_KEY_ID,
                    FakeBedrock.SECRET_ACCESS_KEY,
                    "provided-session",
                    java.time.Instant.now().plus(Duration.ofHours(1)));
        };
        try (BedrockClient client = BedrockClient.builder()
                .access(AwsAccess.builder()
                        .region("us-east-1")
                        .endpoint(base())
                        .credentials(provider)
                        .build())
                .build()) {
            assertFalse(answered(client).text().isEmpty());
            assertFalse(answered(client).text().isEmpty());
        }
        assertEquals(1, calls.size());
        assertEquals("provided-session", FAKE.server().takeRequest().header("x-amz-security-token"));
    }

    @Test
    void stream_providerThrows_credentialsExceptionWithItAsCause() {
        IllegalStateException failure = new IllegalStateException("vault sealed");
        try (BedrockClient client = BedrockClient.builder()
                .access(AwsAccess.builder()
                        .region("us-east-1")
                        .endpoint(base())
                        .credentials(() -> {
                            throw failure;
                        })
                        .build())
                .build()) {
            CredentialsException e = assertThrows(CredentialsException.class, () -> client.stream(request()));
            assertEquals(CredentialsException.Kind.FAILED, e.kind());
            assertEquals(failure, e.getCause());
        }
    }

    @Test
    void fromEnv_regionEndpointAndKeys_read() {
        try (BedrockClient c = BedrockClient.builder()
                .fromEnv(Map.of(
                        "AWS_REGION", "ap-southeast-2", "AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "secret"))
                .build()) {
            String s = c.toString();
            assertTrue(
                    s.contains("bedrock-runtime.ap-southeast-2.amazonaws.com")
                            && s.contains("region=ap-southeast-2")
                            && s.contains("sigv4")
                            && !s.contains("secret"),
                    s);
        }
    }
}
