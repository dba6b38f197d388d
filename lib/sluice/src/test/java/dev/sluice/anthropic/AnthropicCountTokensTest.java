package dev.sluice.anthropic;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.sluice.ApiException;
import dev.sluice.ProtocolException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code client.messages().countTokens(request)}: POST /v1/messages/count_tokens. */
class AnthropicCountTokensTest {
    private static final String PATH = "/v1/messages/count_tokens";
    private WireMockServer wm;
    private AnthropicClient client;

    @BeforeEach
    void start() {
        wm = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
        client = ClientTestSupport.client("http://127.0.0.1:" + wm.port()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        wm.stop();
    }

    private static MessageRequest request() {
        return MessageRequest.builder()
                .model("claude-test")
                .maxTokens(64)
                .temperature(0.5)
                .system("Be brief.")
                .stopSequences(java.util.List.of("END"))
                .addUserMessage("Hello")
                .build();
    }

    @Test
    void countTokens_request_postsTheCountedFieldsOnlyAndReturnsTheCount() {
        wm.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"input_tokens\":14}")));

        assertEquals(14, client.messages().countTokens(request()));

        wm.verify(postRequestedFor(urlEqualTo(PATH))
                .withHeader("x-api-key", equalTo(ClientTestSupport.KEY))
                .withRequestBody(matchingJsonPath("$.model", equalTo("claude-test")))
                .withRequestBody(matchingJsonPath("$.system", equalTo("Be brief.")))
                .withRequestBody(matchingJsonPath("$.messages[0].content[0].text", equalTo("Hello")))
                .withRequestBody(matchingJsonPath("$.max_tokens", absent()))
                .withRequestBody(matchingJsonPath("$.temperature", absent()))
                .withRequestBody(matchingJsonPath("$.stop_sequences", absent()))
                .withRequestBody(matchingJsonPath("$.stream", absent())));
    }

    @Test
    void countTokens_answerWithoutCount_protocolExceptionWithRequestId() {
        wm.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("request-id", "req_c")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"tokens\":14}")));

        ProtocolException e =
                assertThrows(ProtocolException.class, () -> client.messages().countTokens(request()));

        assertTrue(e.getMessage().contains("input_tokens"), e.getMessage());
        assertEquals("req_c", e.requestId().orElseThrow());
    }

    @Test
    void countTokens_httpError_apiException() {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(ClientTestSupport.error(400, "invalid_request_error")));
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> client.messages().countTokens(request()))
                        .statusCode());
    }
}
