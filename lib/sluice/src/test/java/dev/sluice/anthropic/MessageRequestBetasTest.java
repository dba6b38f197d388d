package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.FakeServers;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.RecordedRequest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request's own betas ({@link MessageRequest.Builder#beta(String...)}): sent in {@code anthropic-beta}
 * after the client's and before those the request's fields need, each once, by every call that sends the
 * request, to the test kit.
 */
class MessageRequestBetasTest {
    private static final String OWN = "context-1m-2025-08-07";
    private static final String CLIENTS = "client-wide-2026-01-01";
    /** The client's, the request's own (the client's given again is not repeated), then the field's. */
    private static final String SENT = CLIENTS + "," + OWN + "," + MessageRequest.MID_CONVERSATION_OUTPUT_CONFIG_BETA;

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private AnthropicClient client;

    @BeforeEach
    void start() {
        client = ClientTestSupport.client(FAKE.server().baseUrl().toString())
                .beta(CLIENTS)
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
    }

    /** A request whose system message's effort needs a beta, with a beta of its own and the client's again. */
    private static MessageRequest request() {
        return MessageRequest.builder()
                .model("claude-opus-5-5")
                .maxTokens(64)
                .addUserMessage("Plan it.")
                .addMessage(MessageParam.systemEffort("low"))
                .addUserMessage("Summarize.")
                .beta(OWN, CLIENTS)
                .betas(List.of(OWN))
                .build();
    }

    @Test
    void betas_ownThenTheFieldsNeed_eachOnce() {
        assertEquals(
                List.of(OWN, CLIENTS, MessageRequest.MID_CONVERSATION_OUTPUT_CONFIG_BETA),
                request().betas());
        MessageRequest plain = MessageRequest.builder()
                .model("claude-opus-5-5")
                .maxTokens(64)
                .addUserMessage("Hi")
                .beta(MessageRequest.MID_CONVERSATION_OUTPUT_CONFIG_BETA)
                .build();
        assertEquals(List.of(MessageRequest.MID_CONVERSATION_OUTPUT_CONFIG_BETA), plain.betas());
    }

    @Test
    void stream_sendsTheClientsTheRequestsAndTheFieldsBetas() {
        try (MessageStream stream = client.messages().stream(request())) {
            assertTrue(stream.result().text().length() > 0);
        }
        RecordedRequest sent = FAKE.server().takeRequest();
        assertEquals(SENT, sent.header("anthropic-beta"));
    }

    @Test
    void create_sendsTheSameBetas() {
        assertTrue(client.messages().create(request()).text().length() > 0);
        assertEquals(SENT, FAKE.server().takeRequest().header("anthropic-beta"));
    }

    @Test
    void countTokens_sendsTheSameBetas() {
        assertTrue(client.messages().countTokens(request()) > 0);
        RecordedRequest sent = FakeServers.requestsTo(FAKE.server(), "/v1/messages/count_tokens")
                .getFirst();
        assertEquals(SENT, sent.header("anthropic-beta"));
    }

    @Test
    void beta_blankCommaOrControlCharacter_refusedNamingIt() {
        MessageRequest.Builder b = MessageRequest.builder();
        for (String bad : List.of(" ", "one,two", "one\ntwo")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.beta(bad));
            assertTrue(e.getMessage().contains("beta"), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> b.betas(Arrays.asList("ok", null)));
        assertThrows(NullPointerException.class, () -> b.beta((String[]) null));
    }
}
