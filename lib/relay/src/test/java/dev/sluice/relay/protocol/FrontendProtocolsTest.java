package dev.sluice.relay.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.RelayException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.StartRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The frontend protocols' mappings, byte for byte where it matters: the requests they parse and
 * the lines they write. The real client libraries read them in the examples module's tests.
 */
class FrontendProtocolsTest {

    private static List<String> ui(RelayEvent... events) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        UiMessageStreamWriter client = new UiMessageStreamWriter(out, "msg-1");
        long id = 0;
        for (RelayEvent e : events) client.send(++id, e);
        client.flush();
        assertEquals(out.size(), client.bytesWritten());
        return lines(out);
    }

    private static List<String> agUi(RelayEvent... events) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AgUiWriter client = new AgUiWriter(out, "thread-1", "r1");
        long id = 0;
        for (RelayEvent e : events) client.send(++id, e);
        client.flush();
        return lines(out);
    }

    private static List<String> lines(ByteArrayOutputStream out) {
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n\n"), text);
        return text.lines()
                .filter(l -> !l.isEmpty())
                .map(l -> {
                    assertTrue(l.startsWith("data: "), "only data lines: " + l);
                    return l.substring(6);
                })
                .toList();
    }

    @Test
    void uiMessageStream_answerWithToolCall_chunksAsTheSdkDefinesThem() throws Exception {
        List<String> lines = ui(
                new RelayEvent.Start("anthropic", "claude"),
                new RelayEvent.Thinking("hm"),
                new RelayEvent.Delta("Hi <b>"),
                new RelayEvent.ToolCall("c1", "get_weather", "{\n  \"city\":"),
                new RelayEvent.ToolCall("c1", "get_weather", " \"Paris\"\n}"),
                new RelayEvent.ToolStarted("c1", "get_weather"),
                new RelayEvent.ToolProgress("c1", "half", 50.0),
                new RelayEvent.ToolDone("c1", "{\"t\":20}"),
                new RelayEvent.Delta("Done."),
                new RelayEvent.Done("stop", 10, 4, 12L, 3.25));
        assertEquals(
                List.of(
                        "{\"type\":\"start\",\"messageId\":\"msg-1\"}",
                        "{\"type\":\"start-step\"}",
                        "{\"type\":\"reasoning-start\",\"id\":\"reasoning-1\"}",
                        "{\"type\":\"reasoning-delta\",\"id\":\"reasoning-1\",\"delta\":\"hm\"}",
                        "{\"type\":\"reasoning-end\",\"id\":\"reasoning-1\"}",
                        "{\"type\":\"text-start\",\"id\":\"text-2\"}",
                        "{\"type\":\"text-delta\",\"id\":\"text-2\",\"delta\":\"Hi \\u003cb\\u003e\"}",
                        "{\"type\":\"text-end\",\"id\":\"text-2\"}",
                        "{\"type\":\"tool-input-start\",\"toolCallId\":\"c1\",\"toolName\":\"get_weather\"}",
                        "{\"type\":\"tool-input-delta\",\"toolCallId\":\"c1\",\"inputTextDelta\":\"{\\n  \\\"city\\\":\"}",
                        "{\"type\":\"tool-input-delta\",\"toolCallId\":\"c1\",\"inputTextDelta\":\" \\\"Paris\\\"\\n}\"}",
                        "{\"type\":\"tool-input-available\",\"toolCallId\":\"c1\",\"toolName\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}",
                        "{\"type\":\"data-tool-progress\",\"id\":\"c1\",\"data\":{\"toolCallId\":\"c1\",\"message\":\"half\",\"percent\":50,\"progress\":null,\"total\":null}}",
                        "{\"type\":\"tool-output-available\",\"toolCallId\":\"c1\",\"output\":\"{\\\"t\\\":20}\"}",
                        "{\"type\":\"finish-step\"}",
                        "{\"type\":\"start-step\"}",
                        "{\"type\":\"text-start\",\"id\":\"text-3\"}",
                        "{\"type\":\"text-delta\",\"id\":\"text-3\",\"delta\":\"Done.\"}",
                        "{\"type\":\"text-end\",\"id\":\"text-3\"}",
                        "{\"type\":\"finish-step\"}",
                        "{\"type\":\"finish\",\"finishReason\":\"stop\",\"messageMetadata\":{\"usage\":{\"inputTokens\":10,\"outputTokens\":4,"
                                + "\"totalTokens\":14},\"ttftMs\":12,\"tokensPerSecond\":3.3,\"provider\":\"anthropic\",\"model\":\"claude\"}}",
                        "[DONE]"),
                lines);
    }

    @Test
    void uiMessageStream_failureAndCancel_errorOrAbortThenDone() throws Exception {
        assertEquals(
                List.of(
                        "{\"type\":\"start\",\"messageId\":\"msg-1\"}",
                        "{\"type\":\"start-step\"}",
                        "{\"type\":\"text-start\",\"id\":\"text-1\"}",
                        "{\"type\":\"text-delta\",\"id\":\"text-1\",\"delta\":\"a\"}",
                        "{\"type\":\"text-end\",\"id\":\"text-1\"}",
                        "{\"type\":\"error\",\"errorText\":\"Overloaded\"}",
                        "[DONE]"),
                ui(
                        new RelayEvent.Start("p", "m"),
                        new RelayEvent.Delta("a"),
                        new RelayEvent.Error("overloaded_error", "Overloaded", "req_1")));
        assertEquals(
                List.of(
                        "{\"type\":\"start\",\"messageId\":\"msg-1\"}",
                        "{\"type\":\"abort\",\"reason\":\"bye\"}",
                        "[DONE]"),
                ui(new RelayEvent.Start("p", "m"), new RelayEvent.Cancelled("bye")));
    }

    @Test
    void uiMessageStream_restartAfterAToolStarted_stepResetAndTheDroppedCallsEventsNotSent() throws Exception {
        List<String> lines = ui(
                new RelayEvent.Start("p", "m"),
                new RelayEvent.Delta("a"),
                new RelayEvent.ToolCall("c1", "t", "{}"),
                new RelayEvent.ToolStarted("c1", "t"),
                new RelayEvent.Switch("p:m", "q:n", "overloaded", "restart", ""),
                new RelayEvent.ToolProgress("c1", "half", 50.0),
                new RelayEvent.Delta("b"),
                new RelayEvent.ToolDone("c1", "late"),
                new RelayEvent.Done("stop", 1, 1, 1L, 0));
        assertTrue(lines.contains("{\"type\":\"reset-step\"}"), lines.toString());
        assertTrue(
                lines.stream().noneMatch(l -> l.contains("tool-output") || l.contains("data-tool-progress")),
                lines.toString());
        assertEquals(
                List.of(
                        "{\"type\":\"reset-step\"}",
                        "{\"type\":\"text-start\",\"id\":\"text-2\"}",
                        "{\"type\":\"text-delta\",\"id\":\"text-2\",\"delta\":\"b\"}",
                        "{\"type\":\"text-end\",\"id\":\"text-2\"}",
                        "{\"type\":\"finish-step\"}"),
                lines.subList(lines.indexOf("{\"type\":\"reset-step\"}"), lines.size() - 2),
                "the answer goes on in the same step, which ends once");
    }

    @Test
    void uiMessageStream_finishReasons_theSdksNames() {
        assertEquals("tool-calls", UiMessageStreamWriter.finishReason("tool_calls"));
        assertEquals("content-filter", UiMessageStreamWriter.finishReason("content_filter"));
        assertEquals("length", UiMessageStreamWriter.finishReason("length"));
        assertEquals("other", UiMessageStreamWriter.finishReason("turn_limit"));
        assertNull(UiMessageStreamWriter.finishReason(null));
    }

    @Test
    void uiMessageStream_toolArgumentsNotJson_sentAsText() throws Exception {
        List<String> lines = ui(
                new RelayEvent.Start("p", "m"),
                new RelayEvent.ToolCall("c1", "t", "{oops"),
                new RelayEvent.ToolFailed("c1", "bad arguments"));
        assertTrue(
                lines.contains(
                        "{\"type\":\"tool-input-available\",\"toolCallId\":\"c1\",\"toolName\":\"t\",\"input\":\"{oops\"}"),
                lines.toString());
        assertTrue(
                lines.contains(
                        "{\"type\":\"tool-output-error\",\"toolCallId\":\"c1\",\"errorText\":\"bad arguments\"}"),
                lines.toString());
    }

    @Test
    void agUi_answerWithToolCall_eventsAsAgUiDefinesThem() throws Exception {
        List<String> lines = agUi(
                new RelayEvent.Start("anthropic", "claude"),
                new RelayEvent.Delta("Hi"),
                new RelayEvent.ToolCall("c1", "get_weather", "{\"city\":"),
                new RelayEvent.ToolCall("c1", "get_weather", "\"Paris\"}"),
                new RelayEvent.ToolStarted("c1", "get_weather"),
                new RelayEvent.ToolProgress("c1", "half", null),
                new RelayEvent.ToolDone("c1", "20 C"),
                new RelayEvent.Done("stop", 10, 4, 12L, 3));
        assertEquals(
                List.of(
                        "{\"type\":\"RUN_STARTED\",\"threadId\":\"thread-1\",\"runId\":\"r1\"}",
                        "{\"type\":\"TEXT_MESSAGE_START\",\"messageId\":\"r1-text-1\",\"role\":\"assistant\"}",
                        "{\"type\":\"TEXT_MESSAGE_CONTENT\",\"messageId\":\"r1-text-1\",\"delta\":\"Hi\"}",
                        "{\"type\":\"TEXT_MESSAGE_END\",\"messageId\":\"r1-text-1\"}",
                        "{\"type\":\"TOOL_CALL_START\",\"toolCallId\":\"c1\",\"toolCallName\":\"get_weather\",\"parentMessageId\":\"r1-text-1\"}",
                        "{\"type\":\"TOOL_CALL_ARGS\",\"toolCallId\":\"c1\",\"delta\":\"{\\\"city\\\":\"}",
                        "{\"type\":\"TOOL_CALL_ARGS\",\"toolCallId\":\"c1\",\"delta\":\"\\\"Paris\\\"}\"}",
                        "{\"type\":\"TOOL_CALL_END\",\"toolCallId\":\"c1\"}",
                        "{\"type\":\"ACTIVITY_SNAPSHOT\",\"messageId\":\"tool-progress-c1\",\"activityType\":\"tool_progress\",\"content\":"
                                + "{\"toolCallId\":\"c1\",\"message\":\"half\",\"percent\":null,\"progress\":null,\"total\":null}}",
                        "{\"type\":\"TOOL_CALL_RESULT\",\"messageId\":\"r1-tool-2\",\"toolCallId\":\"c1\",\"content\":\"20 C\",\"role\":\"tool\"}",
                        "{\"type\":\"RUN_FINISHED\",\"threadId\":\"thread-1\",\"runId\":\"r1\",\"outcome\":{\"type\":\"success\"},\"usage\":[{\"provider\":"
                                + "\"anthropic\",\"model\":\"claude\",\"inputTokens\":10,\"outputTokens\":4,\"totalTokens\":14}]}"),
                lines);
    }

    @Test
    void agUi_callsWithoutResult_namedPendingInTheOutcome() throws Exception {
        List<String> lines = agUi(
                new RelayEvent.Start("p", "m"),
                new RelayEvent.ToolCall("c1", "a", "{}"),
                new RelayEvent.ToolCall("c2", "confirm", "{}"),
                new RelayEvent.ToolDone("c1", "ok"),
                new RelayEvent.Done("tool_calls", 1, 1, 1L, 0));
        assertTrue(
                lines.getLast().contains("\"outcome\":{\"type\":\"success\",\"pendingToolCallIds\":[\"c2\"]}"),
                lines.getLast());
    }

    @Test
    void agUi_error_runErrorWithTheKindAsCode() throws Exception {
        assertEquals(
                List.of(
                        "{\"type\":\"RUN_STARTED\",\"threadId\":\"thread-1\",\"runId\":\"r1\"}",
                        "{\"type\":\"RUN_ERROR\",\"message\":\"Overloaded\",\"code\":\"overloaded_error\"}"),
                agUi(new RelayEvent.Start("p", "m"), new RelayEvent.Error("overloaded_error", "Overloaded")));
    }

    @Test
    void uiChatRequest_uiMessages_textConversationWithSystemAndOptions() {
        UiChatRequest r = UiChatRequest.parse("""
                {"id":"chat-0001","trigger":"submit-message","model":"m2","maxTokens":100,"system":"Be brief.",
                 "messages":[
                  {"id":"s","role":"system","parts":[{"type":"text","text":"You are kind."}]},
                  {"id":"a0","role":"assistant","parts":[{"type":"text","text":"Welcome!"}]},
                  {"id":"u1","role":"user","parts":[{"type":"text","text":"Hi"},{"type":"file","url":"x","mediaType":"image/png"}]},
                  {"id":"a1","role":"assistant","parts":[{"type":"step-start"},{"type":"text","text":"Hello"},
                     {"type":"tool-get_weather","toolCallId":"c1","state":"output-available","input":{},"output":"x"},
                     {"type":"text","text":"It is mild."}]},
                  {"id":"a2","role":"assistant","parts":[{"type":"tool-x","toolCallId":"c2"}]},
                  {"id":"u2","role":"user","parts":[{"type":"text","text":"Thanks"}]},
                  {"id":"u3","role":"user","parts":[{"type":"text","text":"Bye"}]}]}""");
        assertEquals("chat-0001", r.chatId());
        assertEquals("submit-message", r.trigger());
        StartRequest start = started(r.turn());
        assertEquals(
                List.of(
                        ChatMessage.user("Hi"),
                        ChatMessage.assistant("Hello\n\nIt is mild."),
                        ChatMessage.user("Thanks\n\nBye")),
                start.messages());
        assertEquals("You are kind.\n\nBe brief.", start.system());
        assertEquals("m2", start.model());
        assertEquals(100, start.maxTokens());
        assertNull(start.provider());
    }

    @Test
    void uiChatRequest_badBodies_invalidRequestNamingTheMember() {
        for (String[] c : new String[][] {
            {"{\"messages\":[]}", "\"id\""},
            {"{\"id\":\"c\",\"messages\":[]}", "8 to 128 letters, digits"},
            {"{\"id\":\"chat-0001\",\"messages\":[{\"role\":\"bot\",\"parts\":[]}]}", "messages[0].role"},
            {
                "{\"id\":\"chat-0001\",\"messages\":[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":1}]}]}",
                "messages[0].parts[0].text"
            },
            {"{\"id\":\"chat-0001\",\"messages\":[{\"role\":\"user\",\"parts\":[]}]}", "no user message"},
            {
                "{\"id\":\"chat-0001\",\"messages\":[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"a\"}]},"
                        + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"text\":\"b\"}]}]}",
                "must be the user's"
            },
            {"[".repeat(100) + "]".repeat(100), "nests deeper"}
        }) {
            RelayException e = assertThrows(RelayException.class, () -> UiChatRequest.parse(c[0]), c[0]);
            assertEquals(RelayException.Kind.INVALID_REQUEST, e.kind());
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void agUiRunInput_messagesAndContext_textConversationWithSystem() {
        AgUiRunInput in = AgUiRunInput.parse("""
                {"threadId":"thread-0","runId":"r","state":{"x":1},"tools":[],
                 "context":[{"description":"units","value":"metric"}],"forwardedProps":{"provider":"openai"},
                 "messages":[
                  {"id":"d","role":"developer","content":"Be brief."},
                  {"id":"u1","role":"user","content":[{"type":"text","text":"Weather?"},{"type":"image","source":{}}]},
                  {"id":"a1","role":"assistant","toolCalls":[{"id":"c1","type":"function","function":{"name":"w","arguments":"{}"}}]},
                  {"id":"t1","role":"tool","toolCallId":"c1","content":"mild"},
                  {"id":"a2","role":"assistant","content":"It is mild."},
                  {"id":"u2","role":"user","content":"Thanks"}]}""");
        assertEquals("thread-0", in.threadId());
        assertEquals("r", in.runId());
        assertEquals(List.of(), in.tools());
        StartRequest start = started(in.turn());
        assertEquals(
                List.of(ChatMessage.user("Weather?"), ChatMessage.assistant("It is mild."), ChatMessage.user("Thanks")),
                start.messages());
        assertEquals("Be brief.\n\nunits: metric", start.system());
        assertEquals("openai", start.provider());
    }

    @Test
    void agUiRunInput_frontendTools_offeredWithEachCallAndItsResultInTheConversation() {
        AgUiRunInput in = AgUiRunInput.parse("""
                {"threadId":"thread-0","runId":"r","context":[],
                 "tools":[{"name":"confirm","description":"Asks the user","parameters":{"type":"object","properties":{"q":{"type":"string"}}}},
                          {"name":"noop"}],
                 "messages":[
                  {"id":"a0","role":"assistant","toolCalls":[{"id":"c0","type":"function","function":{"name":"confirm","arguments":"{}"}}]},
                  {"id":"t0","role":"tool","toolCallId":"c0","content":"left out with its call"},
                  {"id":"u1","role":"user","content":"Delete it?"},
                  {"id":"a1","role":"assistant","content":"Asking.","toolCalls":[
                     {"id":"c1","type":"function","function":{"name":"confirm","arguments":"{\\"q\\":\\"Sure?\\"}"}},
                     {"id":"c2","type":"function","function":{"name":"noop","arguments":""}},
                     {"id":"c3","type":"function","function":{"name":"noop","arguments":"{}"}}]},
                  {"id":"t1","role":"tool","toolCallId":"c1","content":"yes"},
                  {"id":"t3","role":"tool","toolCallId":"c3","content":"","error":"denied"},
                  {"id":"t1b","role":"tool","toolCallId":"c1","content":"a second answer, left out"},
                  {"id":"t9","role":"tool","toolCallId":"c9","content":"no call, left out"}]}""");
        assertEquals(
                List.of("confirm", "noop"),
                in.tools().stream().map(dev.sluice.chat.Tool::name).toList());
        assertEquals(
                java.util.Map.of("type", "object", "properties", java.util.Map.of()),
                in.tools().get(1).inputSchema());
        StartRequest start = started(in.turn());
        List<ChatMessage> m = start.messages();
        assertEquals(3, m.size(), m.toString());
        assertEquals("Delete it?", m.get(0).text());
        assertEquals("Asking.", m.get(1).text());
        assertEquals(
                List.of("c1", "c3"),
                m.get(1).toolCalls().stream().map(dev.sluice.chat.ToolCall::id).toList(),
                "c2 has no result: left out");
        assertEquals(1, m.get(1).toolCalls().get(1).index());
        assertEquals(
                List.of(dev.sluice.chat.ToolResult.of("c1", "yes"), dev.sluice.chat.ToolResult.error("c3", "denied")),
                m.get(2).toolResults());
        dev.sluice.chat.ChatRequest request = in.toChatRequest(start.resolved("anthropic", "claude"));
        assertEquals(in.tools(), request.tools());
        assertEquals(m, request.messages());
    }

    @Test
    void requestParsers_schemaThatCannotBeCheckedInLinearTime_refusedSayingWhy() {
        // review H2: 261 bytes whose partials walked 2^33 paths at every chunk, through every route that takes a schema
        String schema =
                "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/$defs/x\"}},\"$defs\":{\"x\":{\"anyOf\":"
                        + "[{\"$ref\":\"#/$defs/x\"},{\"$ref\":\"#/$defs/x\"},{\"type\":\"string\"}]}}}";
        String user = "[{\"role\":\"user\",\"content\":\"hi\"}]";
        List<Runnable> parses = List.of(
                () -> ObjectRequest.parse(
                        "{\"prompt\":\"hi\",\"schema\":" + schema + "}"), // POST /api/object, /api/streams
                () -> UiChatRequest.parse("{\"id\":\"chat-0001\",\"schema\":" + schema + ",\"messages\":"
                        + "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}"),
                () -> AgUiRunInput.parse("{\"threadId\":\"thread-0001\",\"runId\":\"r\",\"messages\":" + user
                        + ",\"forwardedProps\":{\"schema\":" + schema + "}}"));
        for (Runnable parse : parses) {
            RelayException e = assertThrows(RelayException.class, parse::run);
            assertEquals(RelayException.Kind.INVALID_REQUEST, e.kind());
            assertTrue(
                    e.getMessage()
                            .endsWith(
                                    " is not a schema this server can ask for: schema object at /$defs/x: refers to "
                                            + "itself through $ref, anyOf, oneOf, allOf or not without descending into a property or an item "
                                            + "(/$defs/x → /$defs/x/anyOf/0 → /$defs/x); such a schema cannot be checked in linear time"),
                    e.getMessage());
        }
    }

    @Test
    void requestParsers_hugeValueOfTheWrongType_refusalShowsItShortened() {
        // found by RelayRequestFuzzTest: a refusal echoed the member's value whole (a 64 KiB body's worth)
        String huge = "x".repeat(5_000);
        String user = "[{\"role\":\"user\",\"content\":\"hi\"}]";
        List<Runnable> parses = List.of(
                () -> AgUiRunInput.parse("{\"threadId\":\"thread-0\",\"runId\":\"r\",\"messages\":" + user
                        + ",\"forwardedProps\":{\"maxTokens\":\"" + huge + "\"}}"),
                () -> UiChatRequest.parse("{\"id\":\"chat-0001\",\"maxTokens\":[\"" + huge + "\"],\"messages\":"
                        + "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}"),
                () -> GatewayRequest.parse(
                        "{\"model\":\"m\",\"messages\":" + user + ",\"max_tokens\":\"" + huge + "\"}"),
                () -> GatewayRequest.parse(
                        "{\"model\":\"m\",\"messages\":" + user + ",\"response_format\":{\"type\":\"" + huge + "\"}}"));
        for (Runnable parse : parses) {
            RelayException e = assertThrows(RelayException.class, parse::run);
            assertEquals(RelayException.Kind.INVALID_REQUEST, e.kind());
            assertTrue(e.getMessage().contains("xxx") && e.getMessage().length() < 150, e.getMessage());
        }
    }

    @Test
    void agUiRunInput_badTools_invalidRequestNamingTheMember() {
        String user = "\"messages\":[{\"id\":\"u\",\"role\":\"user\",\"content\":\"hi\"}";
        for (String[] c : new String[][] {
            {"{\"threadId\":\"thread-0\",\"runId\":\"r\",\"tools\":{}," + user + "]}", "\"tools\" must be an array"},
            {"{\"threadId\":\"thread-0\",\"runId\":\"r\",\"tools\":[1]," + user + "]}", "tools[0] must be an object"},
            {
                "{\"threadId\":\"thread-0\",\"runId\":\"r\",\"tools\":[{\"description\":\"d\"}]," + user + "]}",
                "tools[0].name is required"
            },
            {
                "{\"threadId\":\"thread-0\",\"runId\":\"r\",\"tools\":[{\"name\":\"a\",\"parameters\":[]}]," + user
                        + "]}",
                "tools[0].parameters must be an object"
            },
            {
                "{\"threadId\":\"thread-0\",\"runId\":\"r\",\"tools\":[{\"name\":\"a\"},{\"name\":\"a\"}]," + user
                        + "]}",
                "was given before"
            },
            {
                "{\"threadId\":\"thread-0\",\"runId\":\"r\",\"tools\":[{\"name\":\"a\",\"description\":2}]," + user
                        + "]}",
                "tools[0].description must be a string"
            },
            {
                "{\"threadId\":\"thread-0\",\"runId\":\"r\",\"tools\":[{\"name\":\"a\"}]," + user
                        + ",{\"role\":\"assistant\",\"toolCalls\":[{\"id\":\"c\"}]}]}",
                "messages[1].toolCalls[0] must be"
            },
            {
                "{\"threadId\":\"thread-0\",\"runId\":\"r\",\"tools\":[{\"name\":\"a\"}]," + user
                        + ",{\"role\":\"assistant\",\"toolCalls\":\"x\"}]}",
                "messages[1].toolCalls must be an array"
            },
            {
                "{\"threadId\":\"thread-0\",\"runId\":\"r\",\"tools\":[{\"name\":\"a\"}]," + user
                        + ",{\"role\":\"tool\",\"content\":\"x\"}]}",
                "messages[1].toolCallId is required"
            }
        }) {
            RelayException e = assertThrows(RelayException.class, () -> AgUiRunInput.parse(c[0]), c[0]);
            assertEquals(RelayException.Kind.INVALID_REQUEST, e.kind());
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void agUi_frontendToolCalled_callEndsTheRunPendingForTheFrontend() throws Exception {
        List<String> lines = agUi(
                new RelayEvent.Start("openai", "gpt"),
                new RelayEvent.Delta("Let me ask."),
                new RelayEvent.ToolCall("c1", "confirm", ""),
                new RelayEvent.ToolCall("c1", "confirm", "{\"q\":\"Sure?\"}"),
                new RelayEvent.Done("tool_calls", 5, 3, 9L, 2));
        assertEquals(
                List.of(
                        "{\"type\":\"RUN_STARTED\",\"threadId\":\"thread-1\",\"runId\":\"r1\"}",
                        "{\"type\":\"TEXT_MESSAGE_START\",\"messageId\":\"r1-text-1\",\"role\":\"assistant\"}",
                        "{\"type\":\"TEXT_MESSAGE_CONTENT\",\"messageId\":\"r1-text-1\",\"delta\":\"Let me ask.\"}",
                        "{\"type\":\"TEXT_MESSAGE_END\",\"messageId\":\"r1-text-1\"}",
                        "{\"type\":\"TOOL_CALL_START\",\"toolCallId\":\"c1\",\"toolCallName\":\"confirm\",\"parentMessageId\":\"r1-text-1\"}",
                        "{\"type\":\"TOOL_CALL_ARGS\",\"toolCallId\":\"c1\",\"delta\":\"{\\\"q\\\":\\\"Sure?\\\"}\"}",
                        "{\"type\":\"TOOL_CALL_END\",\"toolCallId\":\"c1\"}",
                        "{\"type\":\"RUN_FINISHED\",\"threadId\":\"thread-1\",\"runId\":\"r1\",\"outcome\":{\"type\":\"success\",\"pendingToolCallIds\":"
                                + "[\"c1\"]},\"usage\":[{\"provider\":\"openai\",\"model\":\"gpt\",\"inputTokens\":5,\"outputTokens\":3,\"totalTokens\":8}]}"),
                lines);
    }

    @Test
    void hedge_uiMessageStreamAndAgUi_aDataPartAndACustomEventBeforeTheWinnersText() throws Exception {
        RelayEvent.Hedge h = new RelayEvent.Hedge("p:m", "q:n", "q:n", 800, 12, 0);
        String data = "{\"from\":\"p:m\",\"to\":\"q:n\",\"winner\":\"q:n\",\"afterMs\":800,\"loserInputTokens\":12,"
                + "\"loserOutputTokens\":0}";
        assertEquals(data, h.data());
        List<String> ui = ui(new RelayEvent.Start("q", "n"), h, new RelayEvent.Delta("Hi"));
        assertEquals("{\"type\":\"data-hedge\",\"data\":" + data + ",\"transient\":true}", ui.get(1));
        assertTrue(ui.get(2).contains("start-step"), ui.toString());
        List<String> agUi = agUi(new RelayEvent.Start("q", "n"), h, new RelayEvent.Delta("Hi"));
        assertTrue(agUi.contains("{\"type\":\"CUSTOM\",\"name\":\"hedge\",\"value\":" + data + "}"), agUi.toString());
        assertTrue(agUi.indexOf("{\"type\":\"CUSTOM\",\"name\":\"hedge\",\"value\":" + data + "}")
                < agUi.stream()
                        .filter(l -> l.contains("TEXT_MESSAGE_CONTENT"))
                        .map(agUi::indexOf)
                        .findFirst()
                        .orElseThrow());
    }

    private static final RelayEvent.ToolInput QUESTION = new RelayEvent.ToolInput(
            "c1",
            "research",
            "Which <b>python</b>?",
            "{\"type\":\"object\",\"properties\":{\"pick\":{\"enum\":[\"a\",\"b\"]}}}");
    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"pick\":{\"enum\":[\"a\",\"b\"]}}}";
    private static final String ASKED = "Which \\u003cb\\u003epython\\u003c/b\\u003e?";

    /** The stream's events up to a tool's question (event 4), then what follows once answered. */
    private static final List<RelayEvent> ASKING = List.of(
            new RelayEvent.Start("p", "m"),
            new RelayEvent.ToolCall("c1", "research", "{}"),
            new RelayEvent.ToolStarted("c1", "research"),
            QUESTION);

    private static final List<RelayEvent> ANSWERED = List.of(
            new RelayEvent.ToolProgress("c1", "Continuing with a", null),
            new RelayEvent.ToolDone("c1", "report"),
            new RelayEvent.Delta("Done."),
            new RelayEvent.Done("stop", 1, 1, 1L, 1.0));

    /** Writes the events to a writer, then tells it it has caught up; {@return the lines, and whether the response ended} */
    private static List<String> written(
            dev.sluice.relay.RelayWriter client, ByteArrayOutputStream out, List<RelayEvent> events) throws Exception {
        long id = 0;
        for (RelayEvent e : events) {
            client.send(++id, e);
            if (client.responseEnded()) break;
        }
        if (!client.responseEnded()) client.caughtUp();
        client.flush();
        return lines(out);
    }

    private static List<RelayEvent> concat(List<RelayEvent> a, List<RelayEvent> b) {
        List<RelayEvent> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void toolInput_uiMessageStream_aDataPartWithTheQuestionsId_theResponseEndsWhileTheToolWaits() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        UiMessageStreamWriter client = new UiMessageStreamWriter(out, "msg-1");
        List<String> lines = written(client, out, ASKING);
        assertEquals(
                "{\"type\":\"data-tool-input\",\"id\":\"c1\",\"data\":{\"toolCallId\":\"c1\",\"toolName\":\"research\","
                        + "\"message\":\"" + ASKED + "\",\"schema\":" + SCHEMA + ",\"questionId\":\"input-4-c1\"}}",
                lines.get(lines.size() - 3));
        assertEquals(List.of("{\"type\":\"finish\"}", "[DONE]"), lines.subList(lines.size() - 2, lines.size()));
        assertTrue(client.responseEnded());
        assertEquals("input-4-c1", ToolInputResponse.questionId("c1", 4));
    }

    @Test
    void toolInput_uiMessageStream_answeredElsewhere_theResponseGoesOnToTheEnd() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        UiMessageStreamWriter client = new UiMessageStreamWriter(out, "msg-1");
        List<String> lines = written(client, out, concat(ASKING, ANSWERED.subList(0, 1)));
        assertFalse(client.responseEnded(), "the tool went on: " + lines);
        assertTrue(lines.getLast().contains("data-tool-progress"), lines.toString());
    }

    @Test
    void toolInput_uiMessageStream_theAnswersRequest_continuesTheMessageAfterTheQuestion() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        UiMessageStreamWriter client = new UiMessageStreamWriter(out, "msg-1", List.of("input-4-c1"));
        List<String> lines = written(client, out, concat(ASKING, ANSWERED));
        assertEquals("{\"type\":\"start\",\"messageId\":\"msg-1\"}", lines.getFirst());
        assertTrue(lines.get(1).startsWith("{\"type\":\"data-tool-progress\""), lines.toString());
        assertTrue(
                lines.stream().noneMatch(l -> l.contains("data-tool-input")), "the client has the question: " + lines);
        assertEquals("[DONE]", lines.getLast());
    }

    @Test
    void toolInput_agUi_theRunEndsWithTheQuestionsInterrupt_theResumingRunContinuesAfterIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AgUiWriter client = new AgUiWriter(out, "thread-1", "r1");
        List<String> lines = written(client, out, concat(ASKING, ANSWERED));
        assertTrue(client.responseEnded());
        assertEquals(
                "{\"type\":\"RUN_FINISHED\",\"threadId\":\"thread-1\",\"runId\":\"r1\",\"outcome\":{\"type\":\"interrupt\","
                        + "\"interrupts\":[{\"id\":\"input-4-c1\",\"reason\":\"tool_input\",\"message\":\"" + ASKED
                        + "\",\"toolCallId\":\"c1\",\"responseSchema\":" + SCHEMA
                        + ",\"metadata\":{\"toolName\":\"research\"}}]}}",
                lines.getLast());

        ByteArrayOutputStream next = new ByteArrayOutputStream();
        AgUiWriter resumed = new AgUiWriter(next, "thread-1", "r2", List.of("input-4-c1"));
        List<String> rest = written(resumed, next, concat(ASKING, ANSWERED));
        assertEquals("{\"type\":\"RUN_STARTED\",\"threadId\":\"thread-1\",\"runId\":\"r2\"}", rest.getFirst());
        assertTrue(rest.get(1).startsWith("{\"type\":\"ACTIVITY_SNAPSHOT\""), rest.toString());
        assertTrue(rest.getLast().contains("\"outcome\":{\"type\":\"success\"}"), rest.toString());
        assertTrue(rest.stream().noneMatch(l -> l.contains("interrupt")), rest.toString());
    }

    @Test
    void uiChatRequest_aQuestionsPartWithAnAnswer_answersThatQuestion_declinedOrAccepted() {
        String body =
                "{\"id\":\"chat-12345\",\"messages\":[{\"id\":\"u1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\","
                        + "\"text\":\"go\"}]},{\"id\":\"msg-1\",\"role\":\"assistant\",\"parts\":[{\"type\":\"data-tool-input\","
                        + "\"id\":\"c1\",\"data\":{\"toolCallId\":\"c1\",\"questionId\":\"input-4-c1\",\"answer\":ANSWER}},"
                        + "{\"type\":\"data-tool-input\",\"id\":\"c2\",\"data\":{\"toolCallId\":\"c2\",\"questionId\":\"input-9-c2\"}}]}]}";
        UiChatRequest accepted = UiChatRequest.parse(
                body.replace("ANSWER", "{\"action\":\"accept\",\"content\":{\"pick\":\"b\",\"n\":2}}"));
        TurnInput.Decisions decisions = decided(accepted.turn());
        assertEquals(
                List.of(new ToolInputResponse("c1", 4, java.util.Map.of("pick", "b", "n", 2L))), decisions.answers());
        assertEquals(List.of(), decisions.approvals());
        assertEquals(
                List.of(new ToolInputResponse("c1", 4, null)),
                decided(UiChatRequest.parse(body.replace("ANSWER", "{\"action\":\"decline\"}"))
                                .turn())
                        .answers());
        for (String bad : List.of(
                "{\"action\":\"accept\"}",
                "{\"action\":\"accept\",\"content\":{\"pick\":{}}}",
                "{\"action\":\"maybe\"}",
                "\"b\"")) {
            RelayException e =
                    assertThrows(RelayException.class, () -> UiChatRequest.parse(body.replace("ANSWER", bad)), bad);
            assertEquals(RelayException.Kind.INVALID_REQUEST, e.kind());
            assertTrue(e.getMessage().contains("messages[1].parts[0].data.answer"), e.getMessage());
        }
        RelayException noId = assertThrows(
                RelayException.class,
                () -> UiChatRequest.parse(
                        body.replace("input-4-c1", "c1").replace("ANSWER", "{\"action\":\"decline\"}")));
        assertTrue(noId.getMessage().contains("data.questionId"), noId.getMessage());
    }

    @Test
    void agUiRunInput_resumeOfAQuestionsInterrupt_answersIt_besideAnApproval() {
        String body = "{\"threadId\":\"thread-12345\",\"runId\":\"r2\",\"messages\":[],\"resume\":[RESUME]}";
        AgUiRunInput input = AgUiRunInput.parse(body.replace(
                "RESUME",
                "{\"interruptId\":\"input-4-c1\",\"status\":\"resolved\",\"payload\":{\"pick\":\"a\"}},"
                        + "{\"interruptId\":\"input-7-c2\",\"status\":\"cancelled\"},"
                        + "{\"interruptId\":\"c3\",\"status\":\"resolved\",\"payload\":true}"));
        assertEquals(
                List.of(
                        new ToolInputResponse("c1", 4, java.util.Map.of("pick", "a")),
                        new ToolInputResponse("c2", 7, null)),
                decided(input.turn()).answers());
        assertEquals(
                List.of(new ToolApprovalResponse("c3", true, null)),
                decided(input.turn()).approvals());
        RelayException e = assertThrows(
                RelayException.class,
                () -> AgUiRunInput.parse(body.replace(
                        "RESUME", "{\"interruptId\":\"input-4-c1\",\"status\":\"resolved\",\"payload\":true}")));
        assertTrue(e.getMessage().contains("resume[0].payload must be an object"), e.getMessage());
    }

    @Test
    void uiChatRequest_anApprovalRespondedToolPart_decidesAndStartsNothing_aPlainBodyStarts() {
        String user = "{\"id\":\"u1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"go\"}]}";
        TurnInput.Decisions decisions = decided(UiChatRequest.parse("{\"id\":\"chat-12345\",\"messages\":[" + user
                        + ",{\"id\":\"msg-1\",\"role\":\"assistant\",\"parts\":[{\"type\":\"tool-delete\","
                        + "\"toolCallId\":\"c1\",\"state\":\"approval-responded\",\"input\":{},"
                        + "\"approval\":{\"id\":\"c1\",\"approved\":false,\"reason\":\"no\"}}]}]}")
                .turn());
        assertEquals(List.of(new ToolApprovalResponse("c1", false, "no")), decisions.approvals());
        assertEquals(List.of(), decisions.answers());

        UiChatRequest plain = UiChatRequest.parse("{\"id\":\"chat-12345\",\"messages\":[" + user + "]}");
        TurnInput.Start start = assertInstanceOf(TurnInput.Start.class, plain.turn());
        assertEquals(List.of(ChatMessage.user("go")), start.request().messages());
        assertNull(start.schema(), "a text answer");
        assertThrows(IllegalArgumentException.class, () -> new TurnInput.Decisions(List.of(), List.of()));
    }

    @Test
    void agUiRunInput_aResumeWithAnApproval_decidesAndStartsNothing_aPlainRunStarts() {
        String user = "\"messages\":[{\"id\":\"u1\",\"role\":\"user\",\"content\":\"go\"}]";
        AgUiRunInput resumed = AgUiRunInput.parse("{\"threadId\":\"thread-12345\",\"runId\":\"r2\"," + user
                + ",\"tools\":[{\"name\":\"noop\"}],\"resume\":[{\"interruptId\":\"c1\",\"status\":\"cancelled\"}]}");
        assertEquals(
                List.of(new ToolApprovalResponse("c1", false, "cancelled")),
                decided(resumed.turn()).approvals());
        assertEquals(List.of(), decided(resumed.turn()).answers());
        assertEquals(List.of(), resumed.tools(), "a resume declares no tools");

        AgUiRunInput plain = AgUiRunInput.parse("{\"threadId\":\"thread-12345\",\"runId\":\"r1\"," + user + "}");
        assertEquals(List.of(ChatMessage.user("go")), started(plain.turn()).messages());
        assertNull(assertInstanceOf(TurnInput.Start.class, plain.turn()).schema(), "a text answer");
    }

    /** {@return what a turn that starts a stream streams} */
    private static StartRequest started(TurnInput turn) {
        return assertInstanceOf(TurnInput.Start.class, turn).request();
    }

    /** {@return a turn's decisions, asserting it is one that decides} */
    private static TurnInput.Decisions decided(TurnInput turn) {
        return assertInstanceOf(TurnInput.Decisions.class, turn);
    }
}
