package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The 2026 additions of the Messages API, over loopback: captured streams written from Anthropic's
 * published reference (server-tool results, MCP blocks, container uploads, every citation kind,
 * stop details, container, context management, refusal mid-answer, fine-grained tool streaming).
 */
class AnthropicAdditionsTest {
    private static final String PATH = "/v1/messages";

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private AnthropicClient client;

    @BeforeEach
    void reset() {
        client = ClientTestSupport.client(FAKE.server().baseUrl().toString()).build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    private void serve(String fixture) {
        ClientTestSupport.always(FAKE.server(), ClientTestSupport.replay(Fixtures.sse(fixture)));
    }

    private Message finalMessage(String fixture) {
        serve(fixture);
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            return stream.result();
        }
    }

    private ChatResponse neutral(String fixture) {
        serve(fixture);
        return client.chat(ChatRequest.builder()
                .model("claude-test")
                .addMessage(ChatMessage.user("Tides?"))
                .build());
    }

    @Test
    void serverTools_everyResultBlockTyped_completeFromItsStart() {
        Message m = finalMessage("2026-server-tools");
        List<ContentBlock> c = m.content();
        ServerToolResultBlock.WebSearch search = assertInstanceOf(ServerToolResultBlock.WebSearch.class, c.get(1));
        assertEquals("srvtoolu_01WS", search.toolUseId());
        assertEquals(
                List.of("https://tides.example/today", "https://moon.example/tides"),
                search.results().stream()
                        .map(ServerToolResultBlock.WebSearchResult::url)
                        .toList());
        assertEquals("April 30, 2026", search.results().get(0).pageAge());
        assertNull(search.results().get(1).pageAge());
        assertNull(search.errorCode());

        ServerToolResultBlock.WebFetch fetch = assertInstanceOf(ServerToolResultBlock.WebFetch.class, c.get(4));
        assertEquals("https://tides.example/today", fetch.url());
        assertEquals("2026-11-23T10:00:00Z", fetch.retrievedAt());
        assertEquals("document", fetch.document().get("type"));

        ServerToolResultBlock.CodeExecution bash =
                assertInstanceOf(ServerToolResultBlock.CodeExecution.class, c.get(6));
        assertEquals("bash_code_execution_tool_result", bash.type());
        assertEquals("6.12\n", bash.stdout());
        assertEquals(0, bash.returnCode());
        assertEquals(List.of("file_011CNha8iCJcU1wXNR6q4V8w"), bash.fileIds());

        ServerToolResultBlock.TextEditorCodeExecution editor =
                assertInstanceOf(ServerToolResultBlock.TextEditorCodeExecution.class, c.get(8));
        assertEquals("text_editor_code_execution_view_result", editor.resultType());
        assertEquals("print(6.12)\n", editor.content().get("content"));

        ServerToolResultBlock.CodeExecution failed =
                assertInstanceOf(ServerToolResultBlock.CodeExecution.class, c.get(10));
        assertEquals("code_execution_tool_result", failed.type());
        assertEquals("unavailable", failed.errorCode());

        ServerToolResultBlock.ToolSearch toolSearch =
                assertInstanceOf(ServerToolResultBlock.ToolSearch.class, c.get(12));
        assertEquals(List.of("get_weather", "get_tides"), toolSearch.toolNames());

        assertEquals(
                "file_011CPpxBcfS7qHWH8w3R7G4z",
                assertInstanceOf(ContainerUploadBlock.class, c.get(13)).fileId());

        McpToolUseBlock mcp = assertInstanceOf(McpToolUseBlock.class, c.get(14));
        assertEquals("harbour-mcp", mcp.serverName());
        assertEquals(Map.of("port", "Brest"), mcp.input());
        assertEquals(Optional.empty(), mcp.inputError());
        McpToolResultBlock mcpResult = assertInstanceOf(McpToolResultBlock.class, c.get(15));
        assertEquals("Brest: tidal range 7 m", mcpResult.text());
        assertFalse(mcpResult.isError());

        assertEquals(
                Map.of("query", "tides today"),
                assertInstanceOf(ServerToolUseBlock.class, c.get(0)).input());
        assertEquals(
                "hologram_result",
                assertInstanceOf(OtherBlock.class, c.get(17)).type(),
                "an unknown block is kept whole");
    }

    @Test
    void serverTools_allFiveCitationKinds_keptInOrder() {
        Message m = finalMessage("2026-server-tools");
        TextBlock cited = assertInstanceOf(TextBlock.class, m.content().get(2));
        assertEquals("web_search_result_location", cited.citations().getFirst().type());
        TextBlock sources = assertInstanceOf(TextBlock.class, m.content().get(16));
        assertEquals(
                List.of("char_location", "page_location", "content_block_location", "search_result_location"),
                sources.citations().stream().map(Citation::type).toList());
        assertEquals("Sources agree.", sources.text(), "the unknown delta changed nothing");
        assertEquals(3L, sources.citations().get(1).json().get("start_page_number"));
    }

    @Test
    void serverTools_containerContextManagementAndNestedUsage_fromMessageDelta() {
        Message m = finalMessage("2026-server-tools");
        assertEquals(
                new Container(
                        "container_011CZ",
                        "2026-11-23T11:00:00Z",
                        Map.of("id", "container_011CZ", "expires_at", "2026-11-23T11:00:00Z", "skills", List.of())),
                m.container());
        assertEquals(
                List.of(Map.of(
                        "type", "clear_tool_uses_20250919", "cleared_input_tokens", 5000L, "cleared_tool_uses", 3L)),
                m.contextManagement().appliedEdits());
        assertEquals(
                Map.of("web_search_requests", 1L, "web_fetch_requests", 1L),
                m.usage().fields().get("server_tool_use"));
        assertEquals(
                Map.of("ephemeral_5m_input_tokens", 100L, "ephemeral_1h_input_tokens", 20L),
                m.usage().fields().get("cache_creation"));
        assertEquals("end_turn", m.stopReason());
    }

    @Test
    void serverTools_toJsonFromJson_roundTripsEveryBlockExactly() {
        Message m = finalMessage("2026-server-tools");
        String json = m.toJson();
        assertTrue(json.contains("\"container\":{\"id\":\"container_011CZ\""), json);
        assertTrue(json.contains("\"context_management\":{\"applied_edits\""), json);
        assertTrue(json.contains("\"server_name\":\"harbour-mcp\""), json);
        Message back = Message.fromJson(json);
        assertEquals(json, back.toJson());
        assertEquals(
                m.content().stream().map(Object::getClass).toList(),
                back.content().stream().map(Object::getClass).toList());
        assertEquals(m.container(), back.container());
        assertEquals(m.contextManagement(), back.contextManagement());
        assertEquals(m.content().get(1), back.content().get(1));
    }

    @Test
    void serverTools_neutralView_textOnlyServerBlocksNoToolCalls() {
        ChatResponse r = neutral("2026-server-tools");
        assertEquals("High tide is at 6:12.Sources agree.", r.text());
        assertTrue(r.toolCalls().isEmpty(), "server and MCP tools run at the API, not here");
        assertEquals(FinishReason.Kind.STOP, r.finishReason().kind());
    }

    @Test
    void refusalMidAnswer_stopDetailsAndNeutralRefusal() {
        Message m = finalMessage("2026-refusal-mid-answer");
        assertTrue(m.isRefusal());
        assertEquals(
                new StopDetails(
                        "refusal",
                        "cyber",
                        "This request was refused due to policy.",
                        Map.of(
                                "type",
                                "refusal",
                                "category",
                                "cyber",
                                "explanation",
                                "This request was refused due to policy.")),
                m.stopDetails());
        assertEquals("Here is how to build the exploit: first", m.text(), "what streamed before the refusal is kept");
        assertTrue(m.toJson().contains("\"stop_details\":{\"type\":\"refusal\",\"category\":\"cyber\""), m.toJson());

        ChatResponse r = neutral("2026-refusal-mid-answer");
        assertEquals(
                new FinishReason(FinishReason.Kind.REFUSAL, "refusal", "This request was refused due to policy."),
                r.finishReason(),
                "the explanation is the neutral refusal's message");
        assertEquals("Here is how to build the exploit: first", r.text());
    }

    @Test
    void refusalMidAnswer_chunksShowTextThenTheRefusal() {
        serve("2026-refusal-mid-answer");
        List<MessageChunk> chunks = new ArrayList<>();
        try (EventStream<MessageChunk> s = client.stream(ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("x"))
                .build())) {
            for (MessageChunk c : s) chunks.add(c);
        }
        MessageChunk last = chunks.getLast();
        assertEquals(FinishReason.Kind.REFUSAL, last.finishReason().kind());
        assertTrue(chunks.stream().anyMatch(c -> c.text().equals(" the exploit: first")));
    }

    @Test
    void contextWindowExceeded_lengthTruncationAndContextManagementFromStart() {
        Message m = finalMessage("2026-context-window-exceeded");
        assertEquals("model_context_window_exceeded", m.stopReason());
        assertEquals(List.of(), m.contextManagement().appliedEdits());
        ChatResponse r = neutral("2026-context-window-exceeded");
        assertEquals(new FinishReason(FinishReason.Kind.LENGTH, "model_context_window_exceeded"), r.finishReason());
    }

    @Test
    void eagerToolCutOff_partialInputShownAndReportedNeverThrown() {
        serve("2026-eager-tool-cut-off");
        List<Map<String, Object>> live = new ArrayList<>();
        Message m;
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            for (StreamEvent e : stream) {
                if (e instanceof ContentBlockDelta) {
                    live.add(((ToolUseBlock) stream.snapshot().content().getFirst()).input());
                }
            }
            m = stream.result();
        }
        assertEquals(
                Map.of("path", "poem.txt"), live.get(0), "shown as it comes, best effort (a half key is not a key)");
        assertEquals(Map.of("path", "poem.txt", "content", "Roses are red\nviolets  are blue"), live.get(2));
        ToolUseBlock tool = assertInstanceOf(ToolUseBlock.class, m.content().getFirst());
        assertTrue(tool.inputError().isPresent(), "the cut-off input is reported");
        assertEquals(Map.of("path", "poem.txt", "content", "Roses are red\nviolets  are blue"), tool.input());
        ChatResponse r = neutral("2026-eager-tool-cut-off");
        assertEquals(FinishReason.Kind.LENGTH, r.finishReason().kind());
        assertFalse(r.toolCalls().getFirst().argumentsValid());
    }

    @Test
    void eagerToolInvalid_malformedInputReportedTextKept() {
        Message m = finalMessage("2026-eager-tool-invalid");
        ToolUseBlock tool = assertInstanceOf(ToolUseBlock.class, m.content().getFirst());
        assertTrue(tool.inputError().isPresent());
        assertEquals("{\"path\": \"a.txt\", \"lines\": [1, 2,, 3]}", tool.inputJson());
        assertEquals(Map.of(), tool.input(), "nothing guessed from a malformed text");
        ChatResponse r = neutral("2026-eager-tool-invalid");
        assertEquals("write_file", r.toolCalls().getFirst().name());
        assertFalse(r.toolCalls().getFirst().argumentsValid());
        assertTrue(r.toolCalls().getFirst().argumentsError() != null);
    }

    @Test
    void container_idPassedBackOnTheNextRequest() {
        Message m = finalMessage("2026-server-tools");
        MessageRequest next = MessageRequest.builder()
                .model("m")
                .maxTokens(10)
                .addUserMessage("again")
                .container(m.container().id())
                .build();
        assertTrue(
                RequestJson.write(next, true).contains("\"container\":\"container_011CZ\""),
                RequestJson.write(next, true));
    }

    @Test
    void eagerInputStreaming_writtenOnTheTool() {
        CustomTool tool = CustomTool.of("write_file", "Writes a file", Map.of("type", "object"))
                .withEagerInputStreaming(true);
        MessageRequest request = MessageRequest.builder()
                .model("m")
                .maxTokens(10)
                .addUserMessage("hi")
                .addTool(tool)
                .build();
        String json = RequestJson.write(request, true);
        assertTrue(json.contains("\"eager_input_streaming\":true"), json);
        assertFalse(RequestJson.write(
                        MessageRequest.builder()
                                .model("m")
                                .maxTokens(10)
                                .addUserMessage("hi")
                                .addTool(CustomTool.of("f", null, Map.of("type", "object")))
                                .build(),
                        true)
                .contains("eager"));
    }
}
