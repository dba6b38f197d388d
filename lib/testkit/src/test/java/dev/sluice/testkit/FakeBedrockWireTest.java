package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testkit.clouds.FakeBedrock;
import dev.sluice.testkit.internal.wire.bedrock.SigV4Check;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/**
 * The Bedrock fake on the wire, over a raw socket: requests signed by AWS's own SigV4 signer
 * ({@code AwsV4HttpSigner}, as {@code BedrockRuntimeClient} signs), frames read by AWS's own event
 * stream decoder; what the fake refuses, and how, as AWS does.
 */
class FakeBedrockWireTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static final String CONVERSE = "/model/anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream";
    private static final String INVOKE =
            "/model/anthropic.claude-3-7-sonnet-20250219-v1%3A0/invoke-with-response-stream";
    private static final String HI = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}";
    private final FakeLlmServer server = FAKE.server();

    /** A request as {@code AwsV4HttpSigner} signs it, written byte for byte. */
    private RawHttp.Response signed(
            String path, String body, String keyId, String secret, Instant at, String sendBody) {
        return signed(server, path, body, "bedrock", keyId, secret, at, sendBody);
    }

    /**
     * {@return the answer to a request to the server as {@code AwsV4HttpSigner} signs it for this
     * service (the headers given signed too), written byte for byte} For the other Bedrock tests.
     */
    static RawHttp.Response signed(
            FakeLlmServer server,
            String path,
            String body,
            String service,
            String keyId,
            String secret,
            Instant at,
            String sendBody,
            String... headers) {
        SdkHttpRequest.Builder b = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create(server.baseUrl() + path))
                .putHeader("content-type", "application/json")
                .putHeader("content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        for (int i = 0; i + 1 < headers.length; i += 2) b.putHeader(headers[i], headers[i + 1]);
        SdkHttpRequest request = b.build();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SignedRequest s = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsCredentialsIdentity.create(keyId, secret))
                        .request(request)
                        .payload(() -> new ByteArrayInputStream(bytes))
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));
        StringBuilder head = new StringBuilder("POST " + s.request().encodedPath() + " HTTP/1.1\r\n");
        if (!s.request().headers().containsKey("Host"))
            head.append("Host: 127.0.0.1:").append(server.port()).append("\r\n");
        s.request()
                .forEachHeader((name, values) -> values.forEach(
                        v -> head.append(name).append(": ").append(v).append("\r\n")));
        head.append("\r\n");
        try (RawHttp http = new RawHttp(server)) {
            return http.send(
                            head.toString().getBytes(StandardCharsets.ISO_8859_1),
                            sendBody.getBytes(StandardCharsets.UTF_8))
                    .response();
        }
    }

    private RawHttp.Response signed(String path, String body) {
        return signed(path, body, FakeBedrock.ACCESS_KEY_ID, FakeBedrock.SECRET_ACCESS_KEY, Instant.now(), body);
    }

    private RawHttp.Response withHeaders(String path, String body, String... headers) {
        try (RawHttp http = new RawHttp(server)) {
            return http.post(path, body, headers).response();
        }
    }

    private static List<Message> frames(RawHttp.Response r) {
        List<Message> out = new ArrayList<>();
        new MessageDecoder(out::add).feed(r.body());
        return out;
    }

    private static String header(Message m, String name) {
        var value = m.getHeaders().get(name);
        return value == null ? null : value.getString();
    }

    private static JsonNode payload(Message m) throws Exception {
        return TestClient.JSON.readTree(m.getPayload());
    }

    private static void assertAwsError(RawHttp.Response r, int status, String type, String messageStart)
            throws Exception {
        assertEquals(status, r.status());
        assertEquals(type + ":http://internal.amazon.com/coral/com.amazon.bedrock/", r.header("x-amzn-errortype"));
        assertTrue(r.header("x-amzn-requestid") != null, "x-amzn-RequestId");
        String message = TestClient.JSON.readTree(r.body()).get("message").asText();
        assertTrue(message.startsWith(messageStart), message);
    }

    @Test
    void converseStream_signedWithTestKey_eventStreamOfPaddedEvents() throws Exception {
        server.enqueue(FakeResponse.answerPrompt()); // the server's own answer, signature checked
        RawHttp.Response r = signed(CONVERSE, HI);

        assertEquals(200, r.status());
        assertEquals("application/vnd.amazon.eventstream", r.header("content-type"));
        assertTrue(r.complete());
        List<Message> frames = frames(r);
        List<String> types = new ArrayList<>();
        for (Message m : frames) {
            assertEquals("event", header(m, ":message-type"));
            assertEquals("application/json", header(m, ":content-type"));
            types.add(header(m, ":event-type"));
            assertTrue(payload(m).get("p").asText().matches("[a-zA-Z0-9]+"), "every payload padded");
        }
        assertEquals("messageStart", types.getFirst());
        assertEquals(
                List.of("contentBlockStop", "messageStop", "metadata"), types.subList(types.size() - 3, types.size()));
        assertEquals(
                "end_turn",
                payload(frames.get(frames.size() - 2)).get("stopReason").asText());
        assertEquals(
                "anthropic.claude-3-7-sonnet-20250219-v1:0",
                server.takeRequest().path().replace("%3A", ":").split("/")[2]);
    }

    @Test
    void converseStream_wrongSecret_403InvalidSignature() throws Exception {
        assertAwsError(
                signed(CONVERSE, HI, FakeBedrock.ACCESS_KEY_ID, "wrong", Instant.now(), HI),
                403,
                "InvalidSignatureException",
                SigV4Check.MISMATCH);
    }

    @Test
    void converseStream_bodyChangedAfterSigning_403InvalidSignature() throws Exception {
        String other = HI.replace("hi", "ho");
        assertAwsError(
                signed(CONVERSE, HI, FakeBedrock.ACCESS_KEY_ID, FakeBedrock.SECRET_ACCESS_KEY, Instant.now(), other),
                403,
                "InvalidSignatureException",
                SigV4Check.MISMATCH);
    }

    @Test
    void converseStream_signedTwentyMinutesAgo_403SignatureExpired() throws Exception {
        assertAwsError(
                signed(
                        CONVERSE,
                        HI,
                        FakeBedrock.ACCESS_KEY_ID,
                        FakeBedrock.SECRET_ACCESS_KEY,
                        Instant.now().minus(Duration.ofMinutes(20)),
                        HI),
                403,
                "InvalidSignatureException",
                "Signature expired: ");
    }

    @Test
    void converseStream_unknownAccessKey_403UnrecognizedClient() throws Exception {
        assertAwsError(
                signed(CONVERSE, HI, "AKIDSOMEONEELSE", FakeBedrock.SECRET_ACCESS_KEY, Instant.now(), HI),
                403,
                "UnrecognizedClientException",
                "The security token included in the request is invalid.");
    }

    @Test
    void converseStream_noAuthorization_403MissingAuthenticationToken() throws Exception {
        assertAwsError(
                withHeaders(CONVERSE, HI), 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }

    @Test
    void converseStream_bedrockApiKey_acceptedAndOtherBearerRefused() throws Exception {
        assertEquals(
                200,
                withHeaders(CONVERSE, HI, "authorization", "Bearer " + FakeBedrock.API_KEY)
                        .status());
        assertAwsError(
                withHeaders(CONVERSE, HI, "authorization", "Bearer ABSKsomethingelse"),
                403,
                "AccessDeniedException",
                "Authentication failed");
    }

    @Test
    void converseStream_outputConfigTextFormat_answerIsJsonTextOfTheSchema() throws Exception {
        String schema = "{\\\"type\\\":\\\"object\\\",\\\"properties\\\":{\\\"city\\\":{\\\"type\\\":\\\"string\\\"},"
                + "\\\"days\\\":{\\\"type\\\":\\\"integer\\\"}},\\\"required\\\":[\\\"city\\\",\\\"days\\\"]}";
        String body = HI.substring(0, HI.length() - 1) + ",\"outputConfig\":{\"textFormat\":{\"type\":\"json_schema\","
                + "\"structure\":{\"jsonSchema\":{\"schema\":\"" + schema + "\",\"name\":\"trip\"}}}}}";
        RawHttp.Response r = withHeaders(CONVERSE, body, "authorization", "Bearer " + FakeBedrock.API_KEY);

        assertEquals(200, r.status(), new String(r.body(), StandardCharsets.UTF_8));
        StringBuilder text = new StringBuilder();
        for (Message m : frames(r)) {
            if ("contentBlockDelta".equals(header(m, ":event-type")))
                text.append(payload(m).path("delta").path("text").asText(""));
        }
        JsonNode answer = TestClient.JSON.readTree(text.toString());
        assertTrue(answer.path("city").isTextual(), text.toString());
        assertTrue(answer.path("days").isIntegralNumber(), text.toString());
    }

    @Test
    void converseStream_outputConfigSchemaNotJson_400Validation() throws Exception {
        String body = HI.substring(0, HI.length() - 1) + ",\"outputConfig\":{\"textFormat\":{\"type\":\"json_schema\","
                + "\"structure\":{\"jsonSchema\":{\"schema\":\"{not json\",\"name\":\"trip\"}}}}}";
        assertAwsError(
                withHeaders(CONVERSE, body, "authorization", "Bearer " + FakeBedrock.API_KEY),
                400,
                "ValidationException",
                "The JSON schema in outputConfig is not valid JSON.");
    }

    @Test
    void converseStream_firstMessageFromAssistant_400Validation() throws Exception {
        assertAwsError(
                signed(CONVERSE, "{\"messages\":[{\"role\":\"assistant\",\"content\":[{\"text\":\"hi\"}]}]}"),
                400,
                "ValidationException",
                "A conversation must start with a user message.");
    }

    @Test
    void converseStream_scriptedThrottling_429WithAwsErrorType() throws Exception {
        server.enqueue(
                FakeResponse.apiError(429, "ThrottlingException", "Too many tokens, please wait before trying again."));
        assertAwsError(signed(CONVERSE, HI), 429, "ThrottlingException", "Too many tokens");
    }

    @Test
    void converseStream_overloadedModel_503ServiceUnavailable() throws Exception {
        assertAwsError(signed("/model/fake-overloaded/converse-stream", HI), 503, "ServiceUnavailableException", "");
    }

    @Test
    void converseStream_scriptedErrorAfterTwo_exceptionFrameEndsStream() throws Exception {
        server.enqueue(FakeResponse.answer().text("a", "b", "c").errorAfter(2));
        List<Message> frames = frames(signed(CONVERSE, HI));

        Message last = frames.getLast();
        assertEquals("exception", header(last, ":message-type"));
        assertEquals("modelStreamErrorException", header(last, ":exception-type"));
        assertEquals(529, payload(last).get("originalStatusCode").asInt());
        assertEquals(
                2,
                frames.stream()
                        .filter(m -> "contentBlockDelta".equals(header(m, ":event-type")))
                        .count());
    }

    @Test
    void converseStream_dropModel_cutAfterThreeDeltasWithoutMessageStop() throws Exception {
        RawHttp.Response r = signed("/model/fake-drop/converse-stream", HI);

        assertFalse(r.complete(), "the body is cut off");
        List<Message> frames = frames(r);
        assertEquals(
                3,
                frames.stream()
                        .filter(m -> "contentBlockDelta".equals(header(m, ":event-type")))
                        .count());
        assertTrue(frames.stream().noneMatch(m -> "messageStop".equals(header(m, ":event-type"))));
    }

    @Test
    void invokeWithResponseStream_chunksCarryAnthropicEventsInBase64() throws Exception {
        server.enqueue(FakeResponse.answerPrompt());
        RawHttp.Response r = signed(
                INVOKE,
                "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":200,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertEquals(200, r.status());
        List<String> types = new ArrayList<>();
        for (Message m : frames(r)) {
            assertEquals("chunk", header(m, ":event-type"));
            JsonNode chunk = payload(m);
            assertTrue(chunk.has("p"));
            types.add(TestClient.JSON
                    .readTree(java.util.Base64.getDecoder()
                            .decode(chunk.get("bytes").asText()))
                    .get("type")
                    .asText());
        }
        assertEquals("message_start", types.getFirst());
        assertEquals(List.of("message_delta", "message_stop"), types.subList(types.size() - 2, types.size()));
    }

    @Test
    void invoke_signed_theWholeAnthropicMessageAsJson() throws Exception {
        RawHttp.Response r = signed(
                "/model/anthropic.claude-3-7-sonnet-20250219-v1%3A0/invoke",
                "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":200,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertEquals(200, r.status());
        assertTrue(r.header("content-type").startsWith("application/json"), r.header("content-type"));
        JsonNode message = TestClient.JSON.readTree(r.body());
        assertEquals("message", message.get("type").asText());
        assertEquals("assistant", message.get("role").asText());
        assertFalse(message.get("content").get(0).get("text").asText().isEmpty());
        assertAwsError(
                signed(
                        "/model/m/invoke",
                        "{\"anthropic_version\":\"bedrock-2023-05-31\",\"stream\":false,\"max_tokens\":5,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                400,
                "ValidationException",
                "Malformed input request: #: extraneous key [stream]");
    }

    @Test
    void invokeWithResponseStream_modelInBodyOrNoVersion_400Validation() throws Exception {
        assertAwsError(
                signed(
                        INVOKE,
                        "{\"anthropic_version\":\"bedrock-2023-05-31\",\"model\":\"x\",\"max_tokens\":5,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                400,
                "ValidationException",
                "Malformed input request: #: extraneous key [model] is not permitted");
        assertAwsError(
                signed(INVOKE, "{\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                400,
                "ValidationException",
                "Malformed input request: #/anthropic_version");
    }

    @Test
    void canonicalPath_encodedModelId_encodedAgainAsAwsSigns() {
        assertEquals(
                "/model/anthropic.claude-v2%253A1/converse-stream",
                SigV4Check.canonicalPath("/model/anthropic.claude-v2%3A1/converse-stream"));
        assertEquals("a=1&b=2&b=3", SigV4Check.canonicalQuery("b=3&a=1&b=2"));
    }
}
