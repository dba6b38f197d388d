package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.bedrock.backends.BedrockMantleBackend;
import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.sluice.testkit.clouds.FakeBedrock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

/**
 * The vendors' own clients read the fake's Bedrock routes: anthropic-java's
 * {@code BedrockMantleBackend} (SigV4 for {@code bedrock-mantle}, or a Bedrock API key) streams Claude's
 * Messages from the mantle host; openai-java streams Chat Completions from the runtime host and the
 * Responses API from the mantle host, its requests signed by the AWS SDK's own {@code AwsV4HttpSigner}
 * through openai-java's {@code HttpRequestAuthenticator}, as its Bedrock module (openai-java-bedrock,
 * not served by the registry this build uses) signs them, or with a Bedrock API key as AWS's docs set
 * {@code OPENAI_API_KEY}. Each decodes the fake's events with its own decoder.
 */
class FakeBedrockVendorClientsTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private final FakeLlmServer server = FAKE.server();

    /**
     * openai-java-bedrock's SigV4Authenticator in a few lines, as an OkHttp interceptor of openai-java's
     * client: the AWS SDK's signer over the final request, its body and content type.
     */
    private record AwsSigned(String service) implements Interceptor {
        @Override
        public Response intercept(Interceptor.Chain chain) throws IOException {
            Request request = chain.request();
            Request.Builder prepared = request.newBuilder().removeHeader("Authorization"); // the placeholder key's
            byte[] body = new byte[0];
            if (request.body() != null) {
                Buffer buffer = new Buffer();
                request.body().writeTo(buffer);
                body = buffer.readByteArray();
                if (request.header("Content-Type") == null && request.body().contentType() != null)
                    prepared.header("Content-Type", request.body().contentType().toString());
            }
            Request unsigned = prepared.build();
            SdkHttpRequest.Builder aws = SdkHttpRequest.builder()
                    .uri(unsigned.url().uri())
                    .method(SdkHttpMethod.fromValue(unsigned.method()));
            for (String name : unsigned.headers().names()) {
                if (!name.equalsIgnoreCase("connection"))
                    unsigned.headers(name).forEach(v -> aws.appendHeader(name, v));
            }
            byte[] payload = body;
            SignedRequest signed = AwsV4HttpSigner.create()
                    .sign(s -> s.identity(AwsCredentialsIdentity.create(
                                    FakeBedrock.ACCESS_KEY_ID, FakeBedrock.SECRET_ACCESS_KEY))
                            .request(aws.build())
                            .payload(() -> new ByteArrayInputStream(payload))
                            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                            .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-2"));
            Request.Builder out = unsigned.newBuilder();
            signed.request().forEachHeader((name, values) -> {
                out.removeHeader(name);
                values.forEach(v -> out.addHeader(name, v));
            });
            return chain.proceed(out.build());
        }
    }

    private OpenAIClient openAi(String base, Interceptor signing) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(base)
                .apiKey("unused: the interceptor signs")
                .addInterceptor(signing)
                .followRedirects(false)
                .maxRetries(0)
                .build();
    }

    @Test
    void openAiJava_responsesOnTheMantleHost_signedForBedrockMantle_streamsTheText() {
        OpenAIClient client =
                openAi(server.baseUrl() + FakeBedrock.MANTLE_PATH + "/openai/v1", new AwsSigned("bedrock-mantle"));
        server.enqueue(FakeResponse.answerPrompt());
        StringBuilder text = new StringBuilder();
        try (var stream = client.responses()
                .createStreaming(ResponseCreateParams.builder()
                        .model("openai.gpt-5.6-terra")
                        .input("Why is the sky blue?")
                        .build())) {
            stream.stream()
                    .forEach((ResponseStreamEvent e) -> e.outputTextDelta().ifPresent(d -> text.append(d.delta())));
        }
        assertFalse(text.isEmpty());
        RecordedRequest q = server.takeRequest();
        assertEquals("/mantle/openai/v1/responses", q.path());
        assertTrue(q.header("authorization").contains("/us-east-2/bedrock-mantle/aws4_request"));
    }

    @Test
    void openAiJava_chatCompletionsOnTheRuntimeHost_signedForBedrock_streamsTheText() {
        OpenAIClient client = openAi(server.baseUrl() + "/openai/v1", new AwsSigned("bedrock"));
        StringBuilder text = new StringBuilder();
        try (var stream = client.chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model("us.openai.gpt-6-sol")
                        .addUserMessage("Why is the sky blue?")
                        .build())) {
            stream.stream()
                    .forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        }
        assertFalse(text.isEmpty());
        assertEquals("/openai/v1/chat/completions", server.takeRequest().path());
    }

    @Test
    void openAiJava_bedrockApiKeyAsTheOpenAiKey_responsesFromTheMantleHost() {
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(server.baseUrl() + FakeBedrock.MANTLE_PATH + "/v1")
                .apiKey(FakeBedrock.API_KEY)
                .maxRetries(0)
                .build();
        var response = client.responses()
                .create(ResponseCreateParams.builder()
                        .model("openai.gpt-oss-120b")
                        .input("Why is the sky blue?")
                        .build());
        assertFalse(response.output().isEmpty());
        assertEquals("/mantle/v1/responses", server.takeRequest().path());
    }

    @Test
    void anthropicJava_bedrockMantleBackend_sigV4_streamsClaudesMessages() {
        AnthropicClient client = AnthropicOkHttpClient.builder()
                .backend(BedrockMantleBackend.builder()
                        .awsCredentials(
                                AwsBasicCredentials.create(FakeBedrock.ACCESS_KEY_ID, FakeBedrock.SECRET_ACCESS_KEY))
                        .region(Region.US_EAST_1)
                        .baseUrl(server.baseUrl() + FakeBedrock.MANTLE_PATH + "/anthropic")
                        .build())
                .maxRetries(0)
                .build();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages()
                .createStreaming(MessageCreateParams.builder()
                        .model("anthropic.claude-opus-4-8")
                        .maxTokens(256)
                        .addUserMessage("Why is the sky blue?")
                        .build())) {
            stream.stream()
                    .forEach(e ->
                            e.contentBlockDelta().flatMap(d -> d.delta().text()).ifPresent(t -> text.append(t.text())));
        }
        assertFalse(text.isEmpty());
        RecordedRequest q = server.takeRequest();
        assertEquals("/mantle/anthropic/v1/messages", q.path());
        assertFalse(q.header("anthropic-version").isBlank(), "the client's own version header");
        assertTrue(q.header("authorization").contains("/us-east-1/bedrock-mantle/aws4_request"));
    }

    @Test
    void anthropicJava_bedrockMantleBackend_apiKey_answersTheMessage() {
        AnthropicClient client = AnthropicOkHttpClient.builder()
                .backend(BedrockMantleBackend.builder()
                        .apiKey(FakeBedrock.API_KEY)
                        .baseUrl(server.baseUrl() + FakeBedrock.MANTLE_PATH + "/anthropic")
                        .build())
                .maxRetries(0)
                .build();
        var message = client.messages()
                .create(MessageCreateParams.builder()
                        .model("anthropic.claude-opus-4-8")
                        .maxTokens(256)
                        .addUserMessage("Why is the sky blue?")
                        .build());
        assertFalse(message.content().isEmpty());
        assertEquals("Bearer " + FakeBedrock.API_KEY, server.takeRequest().header("authorization"));
    }
}
