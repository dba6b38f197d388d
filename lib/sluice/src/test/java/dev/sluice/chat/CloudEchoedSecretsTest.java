package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.ProtocolException;
import dev.sluice.SecretsNowhere;
import dev.sluice.SluiceException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.aws.AwsAccess;
import dev.sluice.azure.AzureAccess;
import dev.sluice.bedrock.BedrockClient;
import dev.sluice.bedrock.ConverseFrames;
import dev.sluice.chat.EchoedKeyTest.Client;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.client.RetryPolicy;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.vertex.VertexAccess;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link EchoedKeyTest}'s hostile server, for the clouds: it repeats every credential the request
 * carried (a Bedrock API key, a SigV4 signature and session token, a Google or Entra ID access
 * token, an Azure API key), each as it is and in base64, base64url, hex and percent-encoded, in an
 * HTTP error body and in an error inside the stream (an event stream's exception frame on Bedrock).
 * None of them reaches an exception's message or {@code toString()}, nor a JDK Flight Recorder
 * event; nor does the AWS secret access key the signature was made with (never sent, so never
 * echoed, but looked for all the same).
 */
class CloudEchoedSecretsTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static final String BEDROCK_API_KEY = "ABSKQmVkcm9ja0FQSUtleS1lY2hvZWQtMDEyMzQ1Njc4OQ==";
    private static final String ACCESS_KEY_ID = "AKIAECHOEDTEST0000";
    private static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYECHOEDSECRET";
    private static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEchoedSessionToken/0123456789+abc==";
    private static final String GOOGLE_TOKEN = "ya29.a0AfB_byEchoedGoogleAccessToken0123456789";
    private static final String AZURE_API_KEY = "0123456789abcdef0123456789abcdefEchoedAzureKey";
    private static final String ENTRA_TOKEN =
            "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJlY2hvZWQifQ.EchoedEntraSignature";

    /**
     * One cloud's provider: its client against the fake server, its HTTP error body and its stream
     * ending in an error, each around the echoed text, and the secrets it holds that the request
     * does not carry (the AWS secret access key): looked for, not echoed.
     */
    record Cloud(
            String name,
            Function<String, Client> client,
            Function<String, FakeResponse> httpError,
            Function<String, FakeResponse> streamError,
            List<String> neverSent) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Cloud> clouds() {
        return Stream.of(
                new Cloud(
                        "bedrock, API key",
                        base -> Client.of(BedrockClient.builder()
                                .access(aws(base).apiKey(BEDROCK_API_KEY).build())
                                .retryPolicy(RetryPolicy.none())
                                .build()),
                        CloudEchoedSecretsTest::bedrockError,
                        CloudEchoedSecretsTest::bedrockStream,
                        List.of()),
                new Cloud(
                        "bedrock, SigV4 with a session token",
                        base -> Client.of(BedrockClient.builder()
                                .access(aws(base)
                                        .credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN)
                                        .build())
                                .retryPolicy(RetryPolicy.none())
                                .build()),
                        CloudEchoedSecretsTest::bedrockError,
                        CloudEchoedSecretsTest::bedrockStream,
                        List.of(SECRET_ACCESS_KEY)),
                new Cloud(
                        "bedrock-anthropic, SigV4 with a session token",
                        base -> Client.of(AnthropicClient.builder()
                                .bedrock(aws(base)
                                        .credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN)
                                        .build())
                                .retryPolicy(RetryPolicy.none())
                                .build()),
                        CloudEchoedSecretsTest::bedrockError,
                        text -> FakeResponse.status(200)
                                .body(
                                        "application/vnd.amazon.eventstream",
                                        new ConverseFrames()
                                                .exception("validationException", text)
                                                .bytes()),
                        List.of(SECRET_ACCESS_KEY)),
                new Cloud(
                        "bedrock-openai, SigV4 with a session token",
                        base -> Client.of(OpenAiClient.builder()
                                .bedrock(aws(base)
                                        .credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN)
                                        .build())
                                .retryPolicy(RetryPolicy.none())
                                .build()),
                        CloudEchoedSecretsTest::openAiError,
                        CloudEchoedSecretsTest::openAiStream,
                        List.of(SECRET_ACCESS_KEY)),
                new Cloud(
                        "bedrock-openai-responses, API key on the mantle host",
                        base -> {
                            OpenAiClient c = OpenAiClient.builder()
                                    .bedrock(aws(base)
                                            .mantleEndpoint(base)
                                            .apiKey(BEDROCK_API_KEY)
                                            .build()
                                            .mantle())
                                    .retryPolicy(RetryPolicy.none())
                                    .build();
                            return new Client(c.responses(), c);
                        },
                        CloudEchoedSecretsTest::openAiError,
                        text -> FakeResponse.sse(
                                "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":1,"
                                        + "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\"}\n\n"
                                        + "event: error\ndata: {\"type\":\"error\",\"sequence_number\":2,\"code\":\"invalid_request_error\","
                                        + "\"message\":\"" + text + "\",\"param\":null}\n\n"),
                        List.of()),
                new Cloud(
                        "bedrock-mantle-anthropic, SigV4 with a session token",
                        base -> Client.of(AnthropicClient.builder()
                                .bedrock(aws(base)
                                        .mantleEndpoint(base)
                                        .credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN)
                                        .build()
                                        .mantle())
                                .retryPolicy(RetryPolicy.none())
                                .build()),
                        CloudEchoedSecretsTest::anthropicError,
                        CloudEchoedSecretsTest::anthropicStream,
                        List.of(SECRET_ACCESS_KEY)),
                new Cloud(
                        "vertex, Google access token",
                        base -> Client.of(GeminiClient.builder()
                                .vertex(vertex(base))
                                .retryPolicy(RetryPolicy.none())
                                .build()),
                        text -> FakeResponse.status(400)
                                .body(
                                        "application/json",
                                        "{\"error\":{\"code\":400,\"message\":\"" + text
                                                + "\",\"status\":\"INVALID_ARGUMENT\"}}"),
                        text -> FakeResponse.sse(
                                "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"model\"},\"index\":0}]}\n\n"
                                        + "data: {\"error\":{\"code\":400,\"message\":\"" + text
                                        + "\",\"status\":\"INVALID_ARGUMENT\"}}\n\n"),
                        List.of()),
                new Cloud(
                        "vertex-anthropic, Google access token",
                        base -> Client.of(AnthropicClient.builder()
                                .vertex(vertex(base))
                                .retryPolicy(RetryPolicy.none())
                                .build()),
                        CloudEchoedSecretsTest::anthropicError,
                        CloudEchoedSecretsTest::anthropicStream,
                        List.of()),
                new Cloud(
                        "azure-openai, API key",
                        base -> Client.of(OpenAiClient.builder()
                                .azure(AzureAccess.builder()
                                        .endpoint(base)
                                        .apiKey(AZURE_API_KEY)
                                        .build())
                                .retryPolicy(RetryPolicy.none())
                                .build()),
                        CloudEchoedSecretsTest::openAiError,
                        CloudEchoedSecretsTest::openAiStream,
                        List.of()),
                new Cloud(
                        "azure-openai, Entra ID token",
                        base -> Client.of(OpenAiClient.builder()
                                .azure(AzureAccess.builder()
                                        .endpoint(base)
                                        .tokenProvider(() -> new AccessTokenProvider.Token(
                                                ENTRA_TOKEN, Instant.now().plusSeconds(3600)))
                                        .build())
                                .retryPolicy(RetryPolicy.none())
                                .build()),
                        CloudEchoedSecretsTest::openAiError,
                        CloudEchoedSecretsTest::openAiStream,
                        List.of()),
                new Cloud(
                        "foundry-anthropic, API key",
                        base -> Client.of(AnthropicClient.builder()
                                .foundry(AzureAccess.builder()
                                        .endpoint(base)
                                        .apiKey(AZURE_API_KEY)
                                        .build())
                                .retryPolicy(RetryPolicy.none())
                                .build()),
                        CloudEchoedSecretsTest::anthropicError,
                        CloudEchoedSecretsTest::anthropicStream,
                        List.of()));
    }

    private static AwsAccess.Builder aws(String base) {
        return AwsAccess.builder().region("us-east-1").endpoint(base);
    }

    private static VertexAccess vertex(String base) {
        return VertexAccess.builder()
                .project("echo-project")
                .location("us-east5")
                .endpoint(base)
                .tokenProvider(() -> new AccessTokenProvider.Token(
                        GOOGLE_TOKEN, Instant.now().plusSeconds(3600)))
                .build();
    }

    private static FakeResponse bedrockError(String text) {
        return FakeResponse.status(400)
                .body("application/json", "{\"message\":\"" + text + "\"}")
                .header("x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/");
    }

    private static FakeResponse bedrockStream(String text) {
        return FakeResponse.status(200)
                .body(
                        "application/vnd.amazon.eventstream",
                        new ConverseFrames()
                                .event("messageStart", "{\"role\":\"assistant\"}")
                                .event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}")
                                .exception("validationException", text)
                                .bytes());
    }

    private static FakeResponse anthropicError(String text) {
        return FakeResponse.status(400)
                .body(
                        "application/json",
                        "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"" + text
                                + "\"}}");
    }

    private static FakeResponse anthropicStream(String text) {
        return FakeResponse.sse(
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\","
                        + "\"role\":\"assistant\",\"content\":[],\"model\":\"m\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n"
                        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
                        + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\""
                        + text + "\"}}\n\n");
    }

    private static FakeResponse openAiError(String text) {
        return FakeResponse.status(400)
                .body(
                        "application/json",
                        "{\"error\":{\"message\":\"" + text + "\",\"type\":\"invalid_request_error\",\"code\":null}}");
    }

    private static FakeResponse openAiStream(String text) {
        return FakeResponse.sse(
                "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
                        + "data: {\"error\":{\"message\":\"" + text
                        + "\",\"type\":\"invalid_request_error\",\"code\":null}}\n\n");
    }

    private static final ChatRequest REQUEST = ChatRequest.builder()
            .model("echo-model")
            .maxTokens(16)
            .addMessage(ChatMessage.user("hi"))
            .build();

    @ParameterizedTest(name = "{0}")
    @MethodSource("clouds")
    void errorBodyEchoingEveryCredential_httpApiException_noSecretInMessagesOrJfr(Cloud cloud) throws Exception {
        ApiException e = assertNoSecret(cloud, cloud.httpError());
        assertTrue(!e.inStream(), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clouds")
    void errorInStreamEchoingEveryCredential_inStreamApiException_noSecretInMessagesOrJfr(Cloud cloud)
            throws Exception {
        ApiException e = assertNoSecret(cloud, cloud.streamError());
        assertTrue(e.inStream(), e.getMessage());
    }

    @Test
    void malformedEventWithTheSignatureUnquoted_bedrock_protocolExceptionWithNoSecret() throws Exception {
        AtomicReference<List<String>> sent = new AtomicReference<>(List.of());
        FAKE.server().setDispatcher(r -> {
            List<String> secrets = credentials(r);
            sent.set(secrets);
            String signature = secrets.stream()
                    .filter(c -> c.matches("[0-9a-f]{64}"))
                    .findFirst()
                    .orElseThrow();
            // not JSON: a parser would quote the hex run whole, and the message shows the event's data
            return FakeResponse.status(200)
                    .body(
                            "application/vnd.amazon.eventstream",
                            new ConverseFrames()
                                    .event(
                                            "contentBlockDelta",
                                            "{\"contentBlockIndex\":0,\"delta\":{\"text\":" + signature + "}}")
                                    .bytes());
        });
        Cloud cloud = clouds().filter(c -> c.name().equals("bedrock, SigV4 with a session token"))
                .findFirst()
                .orElseThrow();
        ProtocolException e = thrownWithNoSecret(cloud, ProtocolException.class, sent);
        assertTrue(e.getMessage().contains("[redacted]"), e.getMessage());
    }

    /**
     * An AWS error that echoes the secret access key (never sent, but a server that holds it may
     * say it) and the session token, each as it is, URL-encoded, in base64 and split by spaces and
     * by zero-width spaces: each is redacted whole, no piece of it is left.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("clouds")
    void awsErrorEchoingTheSecretAccessKey_everyFormRedactedWhole_noFragmentLeft(Cloud cloud) throws Exception {
        if (cloud.neverSent().isEmpty()) return; // not signed with a secret access key
        List<String> secrets = List.of(SECRET_ACCESS_KEY, SESSION_TOKEN);
        StringBuilder echo = new StringBuilder("you sent");
        for (String s : secrets) {
            echo.append("; ").append(SecretsNowhere.echo("a credential", s));
            echo.append(" or ").append(String.join(" ", s.split("(?<=\\G.{6})")));
            echo.append(" or ").append(String.join("\u200b", s.split("")));
        }
        for (Function<String, FakeResponse> answer : List.of(cloud.httpError(), cloud.streamError())) {
            FAKE.server().setDispatcher(r -> answer.apply(echo.toString()));
            ApiException e = thrownWithNoSecret(cloud, ApiException.class, new AtomicReference<>(List.of()));
            for (String said : List.of(e.getMessage(), e.errorMessage())) {
                String seen = said.replaceAll("[\\s\\u200b]", "").toLowerCase(Locale.ROOT);
                for (String secret : secrets) {
                    for (String form : List.of(
                            secret, java.net.URLEncoder.encode(secret, java.nio.charset.StandardCharsets.UTF_8))) {
                        String f = form.toLowerCase(Locale.ROOT);
                        for (int i = 0; i + 6 <= f.length(); i++)
                            assertFalse(seen.contains(f.substring(i, i + 6)), "a piece of a secret is left: " + said);
                    }
                }
            }
        }
    }

    /** {@return the exception} after checking that no secret of the request, nor one never sent, is anywhere */
    private static ApiException assertNoSecret(Cloud cloud, Function<String, FakeResponse> answer) throws Exception {
        AtomicReference<List<String>> sent = new AtomicReference<>(List.of());
        FAKE.server().setDispatcher(r -> {
            List<String> secrets = credentials(r);
            sent.set(secrets);
            StringBuilder echo = new StringBuilder("you sent");
            for (String s : secrets) echo.append("; ").append(SecretsNowhere.echo("a credential", s));
            return answer.apply(echo.toString());
        });
        ApiException e = thrownWithNoSecret(cloud, ApiException.class, sent);
        assertTrue(!sent.get().isEmpty(), "the request carried its credentials");
        assertTrue(e.errorMessage().contains("[redacted]"), e.errorMessage());
        assertEquals(1, FAKE.server().requestCount());
        return e;
    }

    /**
     * {@return what a stream of the cloud's client threw, of that type} after checking that no
     * secret the request carried ({@code sent}, which the server's dispatcher sets), nor one never
     * sent, is in its message or a JFR event
     */
    private static <T extends SluiceException> T thrownWithNoSecret(
            Cloud cloud, Class<T> type, AtomicReference<List<String>> sent) throws Exception {
        return cloud.client().apply(FAKE.server().baseUrl().toString()).streamThrows(REQUEST, type, () -> {
            List<String> all = new ArrayList<>(sent.get());
            all.addAll(cloud.neverSent());
            return all;
        });
    }

    /**
     * {@return the credentials a request carried} Its {@code Authorization}'s token (a bearer token,
     * or a SigV4 signature), its session token and its API key.
     */
    private static List<String> credentials(RecordedRequest r) {
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, List<String>> h : r.headers().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            for (String value : h.getValue()) {
                if (name.equals("authorization")) {
                    int signature = value.indexOf("Signature=");
                    found.add(
                            signature >= 0
                                    ? value.substring(signature + "Signature=".length())
                                    : value.substring(value.indexOf(' ') + 1));
                } else if (name.equals("x-amz-security-token") || name.equals("api-key") || name.equals("x-api-key")) {
                    found.add(value);
                }
            }
        }
        return found;
    }
}
