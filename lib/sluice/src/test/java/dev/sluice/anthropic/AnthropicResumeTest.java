package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.TransportException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Resuming a stream after a lost connection, over loopback, at many cut points. */
class AnthropicResumeTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    /** Multi-byte characters (two, three and four bytes in UTF-8), runs of whitespace, a paragraph break. */
    static final String TEXT = "Héllo wörld,  naïve café!!\n\nNext 日本語 line 😀 ends  here, at last.";

    private ContinuingModel server;
    private AnthropicClient client;

    @BeforeEach
    void start() throws Exception {
        server = new ContinuingModel(TEXT);
        client = ClientTestSupport.client(server.baseUrl())
                .resume(ResumePolicy.upTo(3))
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    /** Streams the request, collecting the text as the consumer sees it; returns the stream, over. */
    private record Outcome(String text, MessageStream stream, Message message) {}

    private Outcome run() {
        StringBuilder seen = new StringBuilder();
        MessageStream stream = client.messages().stream(ClientTestSupport.request());
        try (stream) {
            for (StreamEvent e : stream) {
                if (e instanceof ContentBlockDelta(int index, TextDelta(String t))) seen.append(t);
            }
            return new Outcome(seen.toString(), stream, stream.result());
        }
    }

    /** {@return the byte offset just past the k-th text delta event (from 1) of an answer without prefill} */
    private int afterDelta(int k) {
        String body = server.body(null);
        int at = 0;
        for (int i = 0; i < k; i++) at = body.indexOf("event: content_block_delta", at) + 1;
        int end = body.indexOf("\n\n", at) + 2;
        return body.substring(0, end).getBytes(StandardCharsets.UTF_8).length;
    }

    private static String textOfPieces(int k) {
        return String.join("", ContinuingModel.pieces(TEXT).subList(0, k));
    }

    private JsonNode lastMessage(int request) {
        JsonNode messages = server.bodies.get(request).get("messages");
        return messages.get(messages.size() - 1);
    }

    @Test
    void stream_cutAtEveryByteOfTheFirstResponse_assemblesTheUninterruptedTextExactly() {
        int length = server.body(null).getBytes(StandardCharsets.UTF_8).length;
        int resumed = 0;
        for (int cut = 0; cut < length; cut++) {
            server.cut(server.requestCount(), cut);
            Outcome o = run();
            resumed += o.stream().resumes().count();
            assertEquals(TEXT, o.text(), "cut after " + cut + " bytes");
            assertEquals(TEXT, o.message().text(), "cut after " + cut + " bytes");
            assertEquals("end_turn", o.message().stopReason(), "cut after " + cut + " bytes");
            assertEquals(1, o.message().content().size(), "one text block; cut after " + cut + " bytes");
        }
        // Cuts before the first text are retried, not resumed; every later one is resumed.
        int beforeText = server.body(null)
                .substring(0, server.body(null).indexOf("event: content_block_delta"))
                .getBytes(StandardCharsets.UTF_8)
                .length;
        assertTrue(resumed >= length - beforeText - 200, resumed + " of " + length + " cuts resumed");
    }

    /** A continuation carries the request's fields, so it needs the betas they need, as the first request did. */
    @Test
    void stream_cutRequestWithASystemMessageEffort_theContinuationSendsTheBetaItNeeds() {
        server.cut(0, afterDelta(2) + 5);
        MessageRequest request = MessageRequest.builder()
                .model("claude-test")
                .maxTokens(64)
                .addUserMessage("Hello")
                .addMessage(MessageParam.systemEffort("low"))
                .addUserMessage("Again")
                .build();
        try (MessageStream stream = client.messages().stream(request)) {
            stream.forEach(e -> {});
            assertEquals(1, stream.resumes().count());
        }

        assertEquals(2, server.requestCount());
        for (int i = 0; i < 2; i++) {
            assertEquals(
                    MessageRequest.MID_CONVERSATION_OUTPUT_CONFIG_BETA,
                    server.requestsSeen.get(i).header("anthropic-beta"),
                    "request " + i);
            assertEquals(
                    "low",
                    server.bodies.get(i).at("/messages/1/output_config/effort").asText(),
                    "request " + i);
        }
    }

    /** A request's own betas ({@link MessageRequest.Builder#beta(String...)}) go with its continuation too. */
    @Test
    void stream_cutRequestWithABetaOfItsOwn_theContinuationSendsIt() {
        server.cut(0, afterDelta(2) + 5);
        MessageRequest request = MessageRequest.builder()
                .model("claude-test")
                .maxTokens(64)
                .addUserMessage("Hello")
                .beta("context-1m-2025-08-07")
                .build();
        try (MessageStream stream = client.messages().stream(request)) {
            stream.forEach(e -> {});
            assertEquals(1, stream.resumes().count());
        }

        assertEquals(2, server.requestCount());
        for (int i = 0; i < 2; i++) {
            assertEquals("context-1m-2025-08-07", server.requestsSeen.get(i).header("anthropic-beta"), "request " + i);
        }
    }

    @Test
    void stream_cutInsideAWord_secondRequestCarriesTheTextSoFarAsPrefill() {
        int k = 1; // "Héll": the text so far ends inside a word
        assertTrue(Character.isLetter(textOfPieces(k).charAt(textOfPieces(k).length() - 1)));
        server.cut(0, afterDelta(k) + 5);

        Outcome o = run();

        assertEquals(TEXT, o.text());
        assertEquals(2, server.requestCount());
        JsonNode prefill = lastMessage(1);
        assertEquals("assistant", prefill.get("role").asText());
        assertEquals(textOfPieces(k), prefill.get("content").asText());
        com.fasterxml.jackson.databind.node.ArrayNode resent = ((com.fasterxml.jackson.databind.node.ArrayNode)
                        server.bodies.get(1).get("messages"))
                .deepCopy();
        resent.remove(resent.size() - 1);
        assertEquals(server.bodies.get(0).get("messages"), resent, "the conversation, then the prefill");
        assertEquals(64 - k, server.bodies.get(1).get("max_tokens").asInt(), "max_tokens less the deltas delivered");
        assertEquals(server.bodies.get(0).get("model"), server.bodies.get(1).get("model"));
        assertTrue(server.bodies.get(1).get("stream").asBoolean());
        assertEquals(1, o.stream().resumes().count());
    }

    @Test
    void stream_cutAfterWhitespace_prefillIsTrimmedAndTheRepeatedWhitespaceIsNotDoubled() {
        int k = 0;
        for (int i = 1; i < ContinuingModel.pieces(TEXT).size(); i++) {
            String t = textOfPieces(i);
            if (t.endsWith("\n\n")) {
                k = i;
                break;
            }
        }
        assertTrue(k > 0, "the text has a piece ending in two whitespace characters");
        server.cut(0, afterDelta(k));

        Outcome o = run();

        assertEquals(TEXT, o.text());
        assertEquals(
                textOfPieces(k).stripTrailing(), lastMessage(1).get("content").asText());
        assertFalse(lastMessage(1).get("content").asText().endsWith(" "));
    }

    @Test
    void stream_cutInsideAMultiByteCharacter_noBrokenCharacterAndTextExact() {
        byte[] body = server.body(null).getBytes(StandardCharsets.UTF_8);
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
        int at = indexOf(body, emoji);
        assertTrue(at > 0);
        server.cut(0, at + 2); // two of its four bytes

        Outcome o = run();

        assertEquals(TEXT, o.text());
        String prefill = lastMessage(1).get("content").asText();
        assertFalse(prefill.contains("\uFFFD"));
        assertTrue(TEXT.startsWith(prefill));
    }

    @Test
    void stream_droppedTwice_stitchesThreePartsSumsUsageAndCountsTwoResumes() {
        server.cut(0, afterDelta(3) + 10);
        server.cut(1, 700); // inside the continuation, after some of its deltas

        Outcome o = run();

        assertEquals(TEXT, o.text());
        assertEquals(3, server.requestCount());
        String second = lastMessage(2).get("content").asText();
        assertTrue(second.length() > lastMessage(1).get("content").asText().length(), "the second prefill is longer");
        assertEquals(2, o.stream().resumes().count());
        assertTrue(
                o.stream().resumes().longestGap().compareTo(o.stream().resumes().totalGap()) <= 0);
        // usage: input of each part (5 + its prefill), output: 1 for each dropped part (the count its
        // message_start reported) and the last part's own count
        long input = 5 + 5 + lastMessage(1).get("content").asText().length() + 5 + second.length();
        long lastPart = ContinuingModel.pieces(TEXT.substring(second.length())).size();
        assertEquals(input, o.message().usage().inputTokens());
        assertEquals(1 + 1 + lastPart, o.message().usage().outputTokens());
        assertEquals("end_turn", o.message().stopReason());
    }

    @Test
    void stream_resumesSpent_failsWithThePartialAndSaysWhy() {
        for (int n = 0; n < 4; n++) server.cut(n, afterDelta(1) + 5);

        TransportException e = assertThrows(TransportException.class, this::run);

        assertTrue(e.getMessage().contains("not resumed: its 3 resumes are spent"), e.getMessage());
        Message partial = e.partial(Message.class).orElseThrow();
        assertTrue(TEXT.startsWith(partial.text()));
        assertFalse(partial.text().isEmpty());
        assertEquals(4, server.requestCount());
    }

    @Test
    void stream_resumeOff_failsAsBeforeWithoutASecondRequest() {
        client.close();
        client = ClientTestSupport.client(server.baseUrl()).build();
        server.cut(0, afterDelta(2));

        TransportException e = assertThrows(TransportException.class, this::run);

        assertFalse(e.getMessage().contains("resume"), e.getMessage());
        assertEquals(1, server.requestCount());
    }

    @Test
    void chatStream_cutMidAnswer_theProviderNeutralStreamIsStitchedToo() {
        server.cut(0, afterDelta(4) + 3);
        StringBuilder seen = new StringBuilder();
        FinishReason finish = null;
        try (EventStream<MessageChunk> chunks = client.stream(ChatRequest.builder()
                .model("m")
                .maxTokens(64)
                .addMessage(ChatMessage.user("Hello"))
                .build())) {
            for (MessageChunk c : chunks) {
                if (c.text() != null) seen.append(c.text());
                if (c.finishReason() != null) finish = c.finishReason();
            }
        }
        assertEquals(TEXT, seen.toString());
        assertEquals(FinishReason.Kind.STOP, finish.kind());
        assertEquals(2, server.requestCount());
    }

    @Test
    void stream_droppedInsideAToolCallsInput_failsWithThePartialAndSaysWhy() throws Exception {
        String body = ClientTestSupport.MESSAGE_START + ClientTestSupport.BLOCK_START
                + ClientTestSupport.delta("Let me check.")
                + ClientTestSupport.BLOCK_STOP
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{}}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
                + "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \\\"Par\"}}\n\n";
        try (FakeLlmServer raw = FakeLlmServer.start()) {
            raw.enqueue(FakeResponse.sse(body)
                    .cutAfterBytes(body.getBytes(StandardCharsets.UTF_8).length)); // without the last chunk
            try (AnthropicClient resuming = ClientTestSupport.client(
                                    raw.baseUrl().toString())
                            .resume(ResumePolicy.upTo(3))
                            .build();
                    MessageStream stream = resuming.messages().stream(ClientTestSupport.request())) {
                TransportException e = assertThrows(TransportException.class, stream::result);
                assertTrue(
                        e.getMessage().contains("not resumed: the connection was lost inside a tool call's input"),
                        e.getMessage());
                assertEquals(
                        "Let me check.", e.partial(Message.class).orElseThrow().text());
                assertEquals(1, raw.requestCount());
            }
        }
    }

    @Test
    void stream_requestWithExtendedThinking_isNotResumedAndSaysWhy() {
        server.cut(0, afterDelta(2));
        MessageRequest thinking = MessageRequest.builder()
                .model("m")
                .maxTokens(4096)
                .thinking(ThinkingConfig.enabled(1024))
                .addUserMessage("Hello")
                .build();
        try (MessageStream stream = client.messages().stream(thinking)) {
            TransportException e = assertThrows(TransportException.class, stream::result);
            assertTrue(e.getMessage().contains("not resumed: the request enables extended thinking"), e.getMessage());
        }
        assertEquals(1, server.requestCount());
    }

    @Test
    void stream_requestEndsWithAnAssistantTurnThenASystemMessage_isNotResumedAndSaysWhy() {
        server.cut(0, afterDelta(2));
        MessageRequest prefilled = MessageRequest.builder()
                .model("m")
                .maxTokens(4096)
                .addUserMessage("Hello")
                .addAssistantMessage("Well,")
                .addSystemMessage("Be brief.") // the assistant turn is still the one continued
                .build();
        try (MessageStream stream = client.messages().stream(prefilled)) {
            TransportException e = assertThrows(TransportException.class, stream::result);
            assertTrue(
                    e.getMessage().contains("not resumed: the request ends with an assistant message of its own"),
                    e.getMessage());
        }
        assertEquals(1, server.requestCount());
    }

    @Test
    void resumePolicy_negative_refusedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResumePolicy.upTo(-1));
        assertTrue(e.getMessage().contains("-1"));
        assertFalse(ResumePolicy.off().enabled());
    }

    @Test
    void stream_bodyEndsBeforeMessageStop_continuesAndTheSecondRequestCarriesThePrefill() {
        try (AnthropicClient resuming = ClientTestSupport.client(
                        FAKE.server().baseUrl().toString())
                .resume(ResumePolicy.upTo(1))
                .build()) {
            String cutShort = ClientTestSupport.MESSAGE_START
                    + ClientTestSupport.BLOCK_START
                    + ClientTestSupport.delta("Hello wor")
                    + ClientTestSupport.delta("ld, and ");
            String rest = ClientTestSupport.textStream(" goodbye.");
            ClientTestSupport.script(
                    FAKE.server(), List.of(ClientTestSupport.replay(cutShort), ClientTestSupport.replay(rest)));

            Message message;
            try (MessageStream stream = resuming.messages().stream(ClientTestSupport.request())) {
                message = stream.result();
                assertEquals(1, stream.resumes().count());
            }

            assertEquals("Hello world, and goodbye.", message.text());
            assertEquals("end_turn", message.stopReason());
            assertEquals(5 + 5, message.usage().inputTokens(), "both parts' input");
            assertEquals(1 + 3, message.usage().outputTokens(), "the first part's last count and the second's");
            assertEquals(2, ClientTestSupport.requests(FAKE.server()));
            RecordedRequest second = FAKE.server().requests().get(1);
            assertEquals("assistant", second.json("/messages/1/role"));
            assertEquals("Hello world, and", second.json("/messages/1/content"));
            assertEquals("Hello", second.json("/messages/0/content/0/text"));
            assertEquals("62", String.valueOf(second.json("/max_tokens")));
            RecordedRequest first = FAKE.server().requests().get(0);
            assertNotEquals(
                    "Hello world, and", first.json("/messages/1/content"), "only the second request carries it");
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
