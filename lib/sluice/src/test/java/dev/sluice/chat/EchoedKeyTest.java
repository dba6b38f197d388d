package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.ProtocolException;
import dev.sluice.SecretsNowhere;
import dev.sluice.SluiceException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server that repeats the request's credential header in an error — an HTTP error body, and an
 * error event inside a stream — on every provider: the key reaches no exception message, and so
 * no JDK Flight Recorder exception event either (they record a throwable's message as it is
 * constructed; {@link SecretsNowhere} checks them). Over the test kit's server on loopback. The
 * clouds: {@link CloudEchoedSecretsTest}.
 */
class EchoedKeyTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    // no dash: a parser quotes an unquoted token up to the first character a name cannot hold
    private static final String KEY = "sk_live_0123456789abcdefSECRET";

    /**
     * One provider: how it echoes a header in an error body and in an error event, and its client.
     *
     * @param header the header that carries the key, as the server would quote it
     * @param body an HTTP 400 body with {@code %s} for the echoed text
     * @param stream a stream body: one piece of text, then an error event with {@code %s}
     */
    record Provider(String name, String header, String body, String stream, Function<String, Client> client) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A client and what closes it (the Responses API's provider is its client's view). */
    record Client(ChatProvider provider, AutoCloseable owner) {
        static Client of(ChatProvider provider) {
            return new Client(provider, (AutoCloseable) provider);
        }

        /**
         * {@return what streaming the request threw, of that type} after checking that none of
         * the secrets (asked for after the stream) is in its message nor in a JFR event; closes the client
         */
        <T extends SluiceException> T streamThrows(
                ChatRequest request, Class<T> type, java.util.function.Supplier<List<String>> secrets)
                throws Exception {
            try {
                return SecretsNowhere.thrown(
                        type,
                        () -> {
                            try (EventStream<MessageChunk> s = provider.stream(request)) {
                                s.forEach(c -> {});
                            }
                        },
                        secrets);
            } finally {
                owner.close();
            }
        }
    }

    static Stream<Provider> providers() {
        return Stream.of(
                new Provider(
                        "anthropic",
                        "x-api-key: " + KEY,
                        "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"%s\"}}",
                        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\","
                                + "\"role\":\"assistant\",\"content\":[],\"model\":\"m\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n"
                                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
                                + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"%s\"}}\n\n",
                        base -> Client.of(AnthropicClient.builder()
                                .apiKey(KEY)
                                .baseUrl(base)
                                .build())),
                new Provider(
                        "openai",
                        "Authorization: Bearer " + KEY,
                        "{\"error\":{\"message\":\"%s\",\"type\":\"invalid_request_error\",\"code\":null}}",
                        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
                                + "data: {\"error\":{\"message\":\"%s\",\"type\":\"invalid_request_error\",\"code\":null}}\n\n",
                        base -> Client.of(
                                OpenAiClient.builder().apiKey(KEY).baseUrl(base).build())),
                new Provider(
                        "openai-responses",
                        "authorization: Bearer " + KEY,
                        "{\"error\":{\"message\":\"%s\",\"type\":\"invalid_request_error\",\"code\":null}}",
                        "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"item_id\":\"i\","
                                + "\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\",\"sequence_number\":1}\n\n"
                                + "event: error\ndata: {\"type\":\"error\",\"code\":\"invalid_request\",\"message\":\"%s\","
                                + "\"param\":null,\"sequence_number\":2}\n\n",
                        base -> {
                            OpenAiClient c = OpenAiClient.builder()
                                    .apiKey(KEY)
                                    .baseUrl(base)
                                    .build();
                            return new Client(c.responses(), c);
                        }),
                new Provider(
                        "gemini",
                        "x-goog-api-key: " + KEY,
                        "{\"error\":{\"code\":400,\"message\":\"%s\",\"status\":\"INVALID_ARGUMENT\"}}",
                        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"model\"},\"index\":0}]}\n\n"
                                + "data: {\"error\":{\"code\":400,\"message\":\"%s\",\"status\":\"INVALID_ARGUMENT\"}}\n\n",
                        base -> Client.of(
                                GeminiClient.builder().apiKey(KEY).baseUrl(base).build())));
    }

    private static final ChatRequest REQUEST = ChatRequest.builder()
            .model("m")
            .maxTokens(16)
            .addMessage(ChatMessage.user("hi"))
            .build();

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void errorEventEchoingTheKey_inStreamApiException_keyRedactedInTheMessageAndInJfr(Provider p) throws Exception {
        stub(200, "text/event-stream", p.stream().formatted(echo(p)));
        assertTrue(assertKeyNowhere(p, true).errorMessage().contains("[redacted]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void errorBodyEchoingTheKey_httpApiException_keyRedactedInTheMessageAndInJfr(Provider p) throws Exception {
        stub(400, "application/json", p.body().formatted(echo(p)));
        assertTrue(assertKeyNowhere(p, false).errorMessage().contains("[redacted]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void errorEventWithTheKeyAsItsType_inStreamApiException_upstreamErrorAndTheKeyNowhere(Provider p) throws Exception {
        stub(200, "text/event-stream", typeEchoed(p.stream().formatted("refused")));
        assertTypeCleaned(p, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void errorBodyWithTheKeyAsItsType_httpApiException_upstreamErrorAndTheKeyNowhere(Provider p) throws Exception {
        stub(400, "application/json", typeEchoed(p.body().formatted("refused")));
        assertTypeCleaned(p, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void malformedErrorBodyWithTheKeyUnquoted_httpApiException_keyInNoMessageNorJfrEvent(Provider p) throws Exception {
        // not JSON: a parser that stops at the key names the token it stopped at in its exception's message
        stub(400, "application/json", p.body().formatted("refused").replace("\"refused\"", KEY));
        ApiException e = assertKeyNowhere(p, false);
        assertEquals("http_error_400", e.errorType());
        assertTrue(e.errorMessage().contains("[redacted]"), e.errorMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void malformedErrorEventWithTheKeyUnquoted_streamFails_keyInNoMessageNorJfrEvent(Provider p) throws Exception {
        stub(200, "text/event-stream", p.stream().formatted("refused").replace("\"refused\"", KEY));
        ProtocolException e = thrownWithTheKeyNowhere(p, ProtocolException.class);
        assertTrue(e.getMessage().contains("[redacted]"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void malformedAnswerWithTheKeyUnquoted_notStreamed_keyInNoMessageNorJfrEvent() throws Exception {
        stub(200, "application/json", "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":" + KEY + "}");
        try (AnthropicClient client = AnthropicClient.builder()
                .apiKey(KEY)
                .baseUrl(FAKE.server().baseUrl().toString())
                .build()) {
            dev.sluice.anthropic.MessageRequest request = dev.sluice.anthropic.MessageRequest.builder()
                    .model("m")
                    .maxTokens(16)
                    .addUserMessage("hi")
                    .build();
            ProtocolException e = SecretsNowhere.thrown(
                    ProtocolException.class, () -> client.messages().create(request), () -> List.of(KEY));
            assertFalse(e.getMessage().contains(KEY), e.getMessage());
            assertTrue(e.getMessage().contains("[redacted]"), e.getMessage());
        }
    }

    /** {@return the error with the key where its type (Gemini's status, the Responses API's code) goes} */
    private static String typeEchoed(String error) {
        return error.replace("\"invalid_request_error\"", "\"" + KEY + "\"")
                .replace("\"invalid_request\"", "\"" + KEY + "\"")
                .replace("\"INVALID_ARGUMENT\"", "\"" + KEY + "\"");
    }

    private static void assertTypeCleaned(Provider p, boolean inStream) throws Exception {
        ApiException e = assertKeyNowhere(p, inStream);
        assertEquals("upstream_error", e.errorType());
        assertEquals("refused", e.errorMessage());
    }

    /** {@return what a careless server says: the request's headers, the key among them} */
    private static String echo(Provider p) {
        return "request headers: " + p.header() + ", accept: text/event-stream";
    }

    private static void stub(int status, String contentType, String body) {
        FAKE.server().setDispatcher(r -> FakeResponse.status(status).body(contentType, body));
    }

    /** {@return the exception the stream threw} after checking that the key is in none of its texts, nor in a JFR event */
    private static ApiException assertKeyNowhere(Provider p, boolean inStream) throws Exception {
        ApiException e = thrownWithTheKeyNowhere(p, ApiException.class);
        assertTrue(e.inStream() == inStream, e.getMessage());
        assertFalse(e.errorType().contains(KEY), e.errorType());
        assertFalse(e.errorMessage().contains(KEY), e.errorMessage());
        return e;
    }

    /** {@return what a stream of the provider's client threw, of that type} after checking that the key is in no JFR event nor in its message */
    private static <T extends SluiceException> T thrownWithTheKeyNowhere(Provider p, Class<T> type) throws Exception {
        return p.client().apply(FAKE.server().baseUrl().toString()).streamThrows(REQUEST, type, () -> List.of(KEY));
    }
}
