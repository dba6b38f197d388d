package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.clouds.FakeAzure;
import dev.sluice.testkit.clouds.FakeBedrock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fake's Bedrock routes in OpenAI's and Anthropic's wire formats, over a raw socket, signed by
 * AWS's own SigV4 signer: each host takes signatures for its own service only ({@code bedrock} on the
 * runtime's {@code /openai/v1/...}, {@code bedrock-mantle} under {@code /mantle}) and refuses the other
 * as AWS does; the runtime's paths stay Azure's for a request without AWS's credentials; the answers
 * are the carried API's own Server-Sent Events.
 */
class FakeBedrockCompatibleWireTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static final String CHAT = "{\"model\":\"us.openai.gpt-6-sol\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String RESPONSES = "{\"model\":\"openai.gpt-5.6-terra\",\"stream\":true,\"input\":\"hi\"}";
    private static final String MESSAGES = "{\"model\":\"anthropic.claude-opus-4-8\",\"max_tokens\":64,"
            + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private final FakeLlmServer server = FAKE.server();

    private RawHttp.Response signed(String path, String body, String service, String... headers) {
        return FakeBedrockWireTest.signed(
                server,
                path,
                body,
                service,
                FakeBedrock.ACCESS_KEY_ID,
                FakeBedrock.SECRET_ACCESS_KEY,
                Instant.now(),
                body,
                headers);
    }

    private static void assertSse(RawHttp.Response r) {
        assertEquals(200, r.status(), r.text());
        assertTrue(r.header("content-type").startsWith("text/event-stream"), r.header("content-type"));
        assertTrue(r.header("x-amzn-requestid") != null, "x-amzn-RequestId");
        assertTrue(r.complete());
    }

    private static void assertWrongService(RawHttp.Response r, String wanted) {
        assertEquals(403, r.status(), r.text());
        assertEquals(
                "InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.bedrock/",
                r.header("x-amzn-errortype"));
        assertTrue(r.text().contains("Credential should be scoped to correct service: '" + wanted + "'"), r.text());
    }

    @Test
    void runtimeChat_signedForBedrock_chatCompletionChunks() {
        RawHttp.Response r = signed("/openai/v1/chat/completions", CHAT, "bedrock");
        assertSse(r);
        assertTrue(r.text().contains("\"object\":\"chat.completion.chunk\""), r.text());
        assertTrue(r.text().endsWith("data: [DONE]\n\n"), r.text());
    }

    @Test
    void runtimeResponses_signedForBedrockMantle_refusedAsTheWrongService() {
        assertWrongService(signed("/openai/v1/responses", RESPONSES, "bedrock-mantle"), "bedrock");
    }

    @Test
    void mantleResponses_bothPaths_signedForBedrockMantle_responseEvents() {
        for (String path : new String[] {"/mantle/openai/v1/responses", "/mantle/v1/responses"}) {
            RawHttp.Response r = signed(path, RESPONSES, "bedrock-mantle");
            assertSse(r);
            assertTrue(r.text().contains("event: response.completed"), r.text());
        }
    }

    @Test
    void mantle_signedForBedrock_refusedAsTheWrongService() {
        assertWrongService(signed("/mantle/v1/chat/completions", CHAT, "bedrock"), "bedrock-mantle");
        assertWrongService(
                signed("/mantle/anthropic/v1/messages", MESSAGES, "bedrock", "anthropic-version", "2023-06-01"),
                "bedrock-mantle");
    }

    @Test
    void mantleMessages_signedWithTheVersionHeader_anthropicEvents() {
        RawHttp.Response r =
                signed("/mantle/anthropic/v1/messages", MESSAGES, "bedrock-mantle", "anthropic-version", "2023-06-01");
        assertSse(r);
        assertTrue(r.text().startsWith("event: message_start"), r.text());
        assertTrue(r.text().contains("event: message_stop"), r.text());
    }

    @Test
    void mantleMessages_withoutTheVersionHeader_400() {
        RawHttp.Response r = signed("/mantle/anthropic/v1/messages", MESSAGES, "bedrock-mantle");
        assertEquals(400, r.status(), r.text());
        assertTrue(r.text().contains("anthropic-version"), r.text());
    }

    @Test
    void mantleMessages_bedrockApiKeyAsXApiKey_acceptedAsAwsCurlSendsIt() {
        try (RawHttp http = new RawHttp(server)) {
            RawHttp.Response r = http.post(
                            "/mantle/anthropic/v1/messages",
                            MESSAGES,
                            "x-api-key",
                            FakeBedrock.API_KEY,
                            "anthropic-version",
                            "2023-06-01")
                    .response();
            assertSse(r);
        }
    }

    @Test
    void runtimePath_withoutAwsCredentials_stillAzures() {
        try (RawHttp http = new RawHttp(server)) {
            RawHttp.Response azure = http.post("/openai/v1/chat/completions", CHAT, "api-key", FakeAzure.API_KEY)
                    .response();
            assertEquals(200, azure.status(), azure.text());
            assertTrue(azure.header("apim-request-id") != null, "Azure's request id");
        }
        try (RawHttp http = new RawHttp(server)) {
            RawHttp.Response wrongKey = http.post(
                            "/openai/v1/chat/completions", CHAT, "authorization", "Bearer ABSKnot-the-test-key")
                    .response();
            assertEquals(403, wrongKey.status(), "a Bedrock key is Bedrock's to refuse: " + wrongKey.text());
            assertTrue(wrongKey.header("x-amzn-errortype").startsWith("AccessDeniedException"));
        }
    }

    @Test
    void mantle_unsigned_403MissingAuthenticationToken() {
        try (RawHttp http = new RawHttp(server)) {
            RawHttp.Response r = http.post("/mantle/v1/responses", RESPONSES).response();
            assertEquals(403, r.status(), r.text());
            assertTrue(r.header("x-amzn-errortype").startsWith("MissingAuthenticationTokenException"));
        }
    }
}
