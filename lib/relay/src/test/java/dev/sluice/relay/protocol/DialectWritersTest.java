package dev.sluice.relay.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.RelayException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.Image;
import dev.sluice.chat.PartialJson;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.StartRequest;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Anthropic Messages and OpenAI Responses writers, the passthrough writer, and the two dialects' request parsers. */
class DialectWritersTest {
    private static final List<RelayEvent> TEXT_THEN_CALL = List.of(
            new RelayEvent.Start("a", "m"),
            new RelayEvent.Delta("Hi"),
            new RelayEvent.ToolCall("toolu_9", "get_weather", "{\"ci"),
            new RelayEvent.ToolCall("toolu_9", "get_weather", "ty\":1}"),
            new RelayEvent.Done("tool_calls", 3, 4, 5L, 1.0));

    private static String written(GatewayAnswerWriter w, ByteArrayOutputStream out, List<RelayEvent> events)
            throws Exception {
        long id = 0;
        for (RelayEvent e : events) w.send(++id, e);
        w.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void messagesWriter_textThenToolCall_writesAnthropicsEventsInOrder() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String sse = written(MessagesWriter.streaming(out, "msg_1", "a/m", null), out, TEXT_THEN_CALL);
        assertEquals("""
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"a/m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: content_block_start
                data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_9","name":"get_weather","input":{}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"ci"}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"ty\\":1}"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":1}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":3,"output_tokens":4}}

                event: message_stop
                data: {"type":"message_stop"}

                """, sse);
    }

    @Test
    void messagesWriter_collecting_writesOneMessageWithTheCallsInput() throws Exception {
        MessagesWriter w = MessagesWriter.collecting("msg_1", "a/m", 10_000, null);
        written(w, new ByteArrayOutputStream(), TEXT_THEN_CALL);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        w.writeCompletion(body);
        Map<?, ?> message = (Map<?, ?>)
                PartialJson.parse(body.toString(StandardCharsets.UTF_8)).value();
        assertEquals("tool_use", message.get("stop_reason"));
        assertEquals(
                Map.of("type", "tool_use", "id", "toolu_9", "name", "get_weather", "input", Map.of("city", 1L)),
                ((List<?>) message.get("content")).get(1));
        assertEquals(body.size(), w.completionLength().orElseThrow());
    }

    @Test
    void messagesWriter_restartAfterText_endsAsAnOverloadedStreamAndWritesNothingAfter() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessagesWriter w = MessagesWriter.streaming(out, "msg_1", "a/m", null);
        String sse = written(
                w,
                out,
                List.of(
                        new RelayEvent.Delta("Hel"),
                        new RelayEvent.Switch("a:m", "b:n", "transport_error", "restart", ""),
                        new RelayEvent.Delta("Hello again")));
        int error = sse.indexOf("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",");
        assertTrue(error > 0, sse);
        assertEquals(-1, sse.indexOf("event:", error + 1), "nothing after the error: " + sse);
        assertFalse(sse.contains("Hello again"), sse);
        assertTrue(w.responseEnded());
    }

    @Test
    void messagesWriter_failureBeforeContent_keptForA529InAnthropicsShape() throws Exception {
        MessagesWriter w = MessagesWriter.streaming(new ByteArrayOutputStream(), "msg_1", "a/m", null);
        w.send(1, new RelayEvent.Error("overloaded_error", "busy"));
        assertFalse(w.written());
        RelayEvent.Error e = w.failure().orElseThrow();
        assertEquals(529, w.status(e));
        assertEquals(
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"busy\"}}", w.errorJson(e));
        assertEquals(504, MessagesWriter.status("timeout"));
        assertEquals(401, MessagesWriter.status("unauthorized"));
        assertEquals(502, MessagesWriter.status("authentication_error"), "an upstream's key is the server's fault");
    }

    @Test
    void streamingWriters_failureAfterHeldHeartbeats_stillAnsweredWithTheDoorsStatus() throws Exception {
        // an upstream that fails before content but after a few heartbeats' silence (its own retries, a route's
        // failover): the heartbeats must not have committed a 200, so that the client's retry on 529 or 503 works
        RelayEvent.Error overloaded = new RelayEvent.Error("overloaded_error", "busy");
        List<GatewayAnswerWriter> writers = List.of(
                MessagesWriter.streaming(new ByteArrayOutputStream(), "msg_1", "a/m", null),
                ResponsesWriter.streaming(new ByteArrayOutputStream(), "resp_1", "a/m", 7, 10_000, null),
                PassthroughWriter.messages(new ByteArrayOutputStream()),
                PassthroughWriter.responses(new ByteArrayOutputStream(), 1 << 20));
        for (GatewayAnswerWriter w : writers) {
            w.send(1, new RelayEvent.Start("a", "m"));
            for (int i = 0; i < DialectWriter.HEARTBEATS_HELD; i++) w.heartbeat();
            w.flush();
            w.send(2, overloaded);
            assertFalse(w.written(), w.getClass().getSimpleName());
            assertEquals(overloaded, w.failure().orElseThrow());
            int status = w.status(overloaded);
            assertTrue(status == 529 || status == 503, w.getClass().getSimpleName() + ": " + status);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessagesWriter w = MessagesWriter.streaming(out, "msg_1", "a/m", null);
        for (int i = 0; i <= DialectWriter.HEARTBEATS_HELD; i++) w.heartbeat();
        w.flush();
        assertTrue(w.written(), "a longer silence gets its heartbeat");
        assertTrue(out.toString(StandardCharsets.UTF_8).endsWith("event: ping\ndata: {\"type\":\"ping\"}\n\n"));
    }

    @Test
    void responsesWriter_textThenCall_sequencedEventsAndCompletedRepeatsTheOutput() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String sse = written(ResponsesWriter.streaming(out, "resp_1", "a/m", 7, 10_000, null), out, TEXT_THEN_CALL);
        List<Map<?, ?>> events = new java.util.ArrayList<>();
        for (String block : sse.split("\n\n")) {
            String[] lines = block.split("\n");
            assertEquals("event: ", lines[0].substring(0, 7), block);
            Map<?, ?> data =
                    (Map<?, ?>) PartialJson.parse(lines[1].substring(6)).value();
            assertEquals(lines[0].substring(7), data.get("type"), block);
            events.add(data);
        }
        for (int i = 0; i < events.size(); i++)
            assertEquals((long) i, events.get(i).get("sequence_number"));
        assertEquals(
                List.of(
                        "response.created",
                        "response.in_progress",
                        "response.output_item.added",
                        "response.content_part.added",
                        "response.output_text.delta",
                        "response.output_text.done",
                        "response.content_part.done",
                        "response.output_item.done",
                        "response.output_item.added",
                        "response.function_call_arguments.delta",
                        "response.function_call_arguments.delta",
                        "response.function_call_arguments.done",
                        "response.output_item.done",
                        "response.completed"),
                events.stream().map(e -> e.get("type")).toList());
        Map<?, ?> response = (Map<?, ?>) events.getLast().get("response");
        List<?> output = (List<?>) response.get("output");
        assertEquals("{\"city\":1}", ((Map<?, ?>) output.get(1)).get("arguments"));
        assertEquals("toolu_9", ((Map<?, ?>) output.get(1)).get("call_id"));
        assertEquals(7L, ((Map<?, ?>) response.get("usage")).get("total_tokens"));
    }

    @Test
    void responsesWriter_streamedAnswerOutgrowsItsBound_endsWithResponseFailedCarryingWhatWasSent() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResponsesWriter w = ResponsesWriter.streaming(out, "resp_1", "a/m", 7, 500, null);
        String sse = written(
                w,
                out,
                List.of(
                        new RelayEvent.Start("a", "m"),
                        new RelayEvent.Delta("x".repeat(100)),
                        new RelayEvent.Delta("y".repeat(100)),
                        new RelayEvent.Delta("z".repeat(100)),
                        new RelayEvent.Done("stop", 3, 4, 5L, 1.0)));
        assertTrue(w.responseEnded(), "the upstream is stopped");
        assertFalse(sse.contains("zzz"), sse);
        assertFalse(sse.contains("response.completed"), sse);
        String last = sse.substring(sse.lastIndexOf("event: "));
        assertTrue(last.startsWith("event: response.failed\n"), sse);
        Map<?, ?> response = (Map<?, ?>) ((Map<?, ?>) PartialJson.parse(
                                last.substring(last.indexOf("data: ") + 6).strip())
                        .value())
                .get("response");
        assertEquals("failed", response.get("status"));
        assertTrue(
                ((Map<?, ?>) response.get("error")).get("message").toString().contains("larger than 500 bytes"),
                response.toString());
        Map<?, ?> message = (Map<?, ?>) ((List<?>) response.get("output")).getFirst();
        assertEquals(
                "x".repeat(100) + "y".repeat(100),
                ((Map<?, ?>) ((List<?>) message.get("content")).getFirst()).get("text"),
                "what was streamed before the bound");
    }

    @Test
    void passthroughWriter_collectingMessages_gathersTheEventsAsAnthropicsSdkDoes() throws Exception {
        PassthroughWriter w = PassthroughWriter.messagesCollecting(100_000);
        written(
                w,
                new ByteArrayOutputStream(),
                List.of(
                        new RelayEvent.Start("a", "m"),
                        new RelayEvent.Verbatim(
                                "message_start",
                                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":"
                                        + "\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,\"container\":null,"
                                        + "\"usage\":{\"input_tokens\":5,\"cache_read_input_tokens\":2,\"output_tokens\":1}}}"),
                        new RelayEvent.Verbatim(
                                "content_block_start",
                                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\","
                                        + "\"text\":\"\",\"citations\":null}}"),
                        new RelayEvent.Verbatim("ping", "{\"type\": \"ping\"}"),
                        new RelayEvent.Verbatim(
                                "content_block_delta",
                                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi \"}}"),
                        new RelayEvent.Verbatim(
                                "content_block_delta",
                                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"citations_delta\","
                                        + "\"citation\":{\"type\":\"char_location\",\"cited_text\":\"x\"}}}"),
                        new RelayEvent.Verbatim(
                                "content_block_delta",
                                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"there\"}}"),
                        new RelayEvent.Verbatim("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                        new RelayEvent.Verbatim(
                                "content_block_start",
                                "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\","
                                        + "\"id\":\"toolu_1\",\"name\":\"Read\",\"input\":{}}}"),
                        new RelayEvent.Verbatim(
                                "content_block_delta",
                                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
                                        + "\"partial_json\":\"{\\\"path\\\":\"}}"),
                        new RelayEvent.Verbatim(
                                "content_block_delta",
                                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
                                        + "\"partial_json\":\"\\\"a.txt\\\"}\"}}"),
                        new RelayEvent.Verbatim("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
                        new RelayEvent.Verbatim(
                                "message_delta",
                                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
                                        + "\"usage\":{\"output_tokens\":12}}"),
                        new RelayEvent.Verbatim("message_stop", "{\"type\":\"message_stop\"}"),
                        new RelayEvent.Done("tool_calls", 5, 12, 5L, 1.0)));
        assertFalse(w.written());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        w.writeCompletion(body);
        Map<?, ?> message = (Map<?, ?>)
                PartialJson.parse(body.toString(StandardCharsets.UTF_8)).value();
        assertEquals("tool_use", message.get("stop_reason"));
        assertEquals(
                Map.of("input_tokens", 5L, "cache_read_input_tokens", 2L, "output_tokens", 12L), message.get("usage"));
        List<?> content = (List<?>) message.get("content");
        assertEquals(
                Map.of(
                        "type",
                        "text",
                        "text",
                        "Hi there",
                        "citations",
                        List.of(Map.of("type", "char_location", "cited_text", "x"))),
                content.get(0));
        assertEquals(
                Map.of("type", "tool_use", "id", "toolu_1", "name", "Read", "input", Map.of("path", "a.txt")),
                content.get(1));
        assertEquals(body.size(), w.completionLength().orElseThrow());

        PassthroughWriter cut = PassthroughWriter.responsesCollecting(100_000);
        written(
                cut,
                new ByteArrayOutputStream(),
                List.of(
                        new RelayEvent.Verbatim("response.created", "{\"type\":\"response.created\",\"response\":{}}"),
                        new RelayEvent.Done("stop", 1, 1, 1L, 1.0)));
        assertEquals("protocol_error", cut.failure().orElseThrow().errorType(), "no response.completed: no answer");
    }

    @Test
    void passthroughWriter_verbatimEvents_writtenAsTheyCameAndAFailureAfterAsAnErrorEvent() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PassthroughWriter w = PassthroughWriter.messages(out);
        String data =
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"E\\u00e9/+=\"}}";
        String sse = written(
                w,
                out,
                List.of(
                        new RelayEvent.Start("a", "m"),
                        new RelayEvent.Verbatim("content_block_delta", data),
                        new RelayEvent.Error("overloaded_error", "busy"),
                        new RelayEvent.Verbatim("message_stop", "{}")));
        assertEquals(
                "event: content_block_delta\ndata: " + data + "\n\nevent: error\ndata: "
                        + "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"busy\"}}\n\n",
                sse);
        assertTrue(w.responseEnded());
    }

    @Test
    void passthroughWriter_eventsWrittenPieceByPiece_byteForByteWhateverTheirNamesTextAndSize() throws Exception {
        // names that change and come back (the writer keeps the last name's line), text outside ASCII, a data past the
        // body's 8 KiB buffer, and a data with line breaks (several data: lines)
        String cjk = "{\"type\":\"response.output_text.delta\",\"delta\":\"\u6f22\u5b57 \u00e9 \ud83d\ude00\"}";
        String big = "{\"type\":\"response.output_text.delta\",\"delta\":\"" + "x\u00e9".repeat(6_000) + "\"}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String sse = written(
                PassthroughWriter.responses(out, 1 << 20),
                out,
                List.of(
                        new RelayEvent.Start("a", "m"),
                        new RelayEvent.Verbatim("response.output_text.delta", cjk),
                        new RelayEvent.Verbatim("response.output_text.delta", big),
                        new RelayEvent.Verbatim("response.content_part.done", "{}"),
                        new RelayEvent.Verbatim("response.output_text.delta", "{\"a\":1,\r\n\"b\":2}")));
        assertEquals(
                "event: response.output_text.delta\ndata: " + cjk + "\n\nevent: response.output_text.delta\ndata: "
                        + big + "\n\nevent: response.content_part.done\ndata: {}\n\n"
                        + "event: response.output_text.delta\ndata: {\"a\":1,\ndata: \"b\":2}\n\n",
                sse);
        ByteArrayOutputStream chat = new ByteArrayOutputStream();
        String chunks = written(
                PassthroughWriter.chatCompletions(chat, false),
                chat,
                List.of(
                        new RelayEvent.Start("a", "m"),
                        new RelayEvent.Verbatim("message", cjk),
                        new RelayEvent.Verbatim("message", big),
                        new RelayEvent.Verbatim("message", "[DONE]")));
        assertEquals("data: " + cjk + "\n\ndata: " + big + "\n\ndata: [DONE]\n\n", chunks);
    }

    @Test
    void passthroughWriter_responsesItemsFarPastTheBound_holdsTheFirstThatFitAndFailsWithThemAlone() throws Exception {
        OutputStream discard = OutputStream.nullOutputStream();
        long bound = 64 * 1024;
        PassthroughWriter w = PassthroughWriter.responses(discard, bound);
        w.send(
                1,
                new RelayEvent.Verbatim(
                        "response.created",
                        "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\","
                                + "\"status\":\"in_progress\",\"output\":[]}}"));
        String image = "A".repeat(1024 * 1024); // a megabyte base64 image, 200 of them: 200 MiB streamed
        String small = "{\"type\":\"message\",\"id\":\"msg_0\",\"content\":[]}";
        w.send(
                2,
                new RelayEvent.Verbatim(
                        "response.output_item.done",
                        "{\"type\":\"response.output_item.done\",\"sequence_number\":1,\"output_index\":0,\"item\":"
                                + small + "}"));
        for (int i = 1; i <= 200; i++) {
            w.send(
                    2 + i,
                    new RelayEvent.Verbatim(
                            "response.output_item.done",
                            "{\"type\":\"response.output_item.done\",\"sequence_number\":" + (i + 1)
                                    + ",\"output_index\":" + i
                                    + ",\"item\":{\"type\":\"image_generation_call\",\"id\":\"ig_"
                                    + i + "\",\"result\":\"" + image + "\"}}"));
            assertTrue(w.heldItemBytes() <= bound, "held " + w.heldItemBytes() + " bytes after " + i + " images");
        }
        assertEquals(2L * small.length(), w.heldItemBytes(), "the first item, which fits; no image does");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PassthroughWriter failing = PassthroughWriter.responses(out, bound);
        String sse = written(
                failing,
                out,
                List.of(
                        new RelayEvent.Verbatim(
                                "response.created",
                                "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"r\"}}"),
                        new RelayEvent.Verbatim(
                                "response.output_item.done",
                                "{\"type\":\"response.output_item.done\",\"sequence_number\":1,\"output_index\":0,"
                                        + "\"item\":" + small + "}"),
                        new RelayEvent.Verbatim(
                                "response.output_item.done",
                                "{\"type\":\"response.output_item.done\",\"sequence_number\":2,\"output_index\":1,"
                                        + "\"item\":{\"result\":\"" + image + "\"}}"),
                        new RelayEvent.Verbatim(
                                "response.output_item.done",
                                "{\"type\":\"response.output_item.done\",\"sequence_number\":3,\"output_index\":2,"
                                        + "\"item\":{\"id\":\"after\"}}"),
                        new RelayEvent.Error("transport_error", "the connection to the provider failed")));
        String head = "event: response.failed\ndata: ";
        String last = sse.substring(sse.lastIndexOf(head) + head.length()).strip();
        assertTrue(last.length() < 1024, "the failure event holds no image: " + last.length() + " characters");
        Map<?, ?> response = (Map<?, ?>) ((Map<?, ?>) PartialJson.parse(last).value()).get("response");
        assertEquals(
                List.of(Map.of("type", "message", "id", "msg_0", "content", List.of())),
                response.get("output"),
                "the items before the first that did not fit");
        assertEquals("failed", response.get("status"));
        assertEquals(4L, ((Map<?, ?>) PartialJson.parse(last).value()).get("sequence_number"));
    }

    @Test
    void passthroughWriter_responsesFail_repeatsTheLastResponseAnnounced_keptAsTextUntilThen() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PassthroughWriter w = PassthroughWriter.responses(out, 1 << 20);
        String sse = written(
                w,
                out,
                List.of(
                        new RelayEvent.Verbatim(
                                "response.created",
                                "{\"type\":\"response.created\",\"sequence_number\":0,"
                                        + "\"response\":{\"id\":\"resp_1\",\"status\":\"queued\"}}"),
                        new RelayEvent.Verbatim(
                                "response.in_progress",
                                "{\"type\":\"response.in_progress\", \"sequence_number\":1, \"response\": "
                                        + "{\"id\":\"resp_1\",\"status\":\"in_progress\",\"model\":\"m2\"}}"),
                        new RelayEvent.Verbatim(
                                "response.in_progress",
                                "{\"type\":\"response.in_progress\",\"sequence_number\":2,\"response\":null}"),
                        new RelayEvent.Error("transport_error", "the connection to the provider failed")));
        String last = "event: response.failed\ndata: ";
        Map<?, ?> data = (Map<?, ?>) PartialJson.parse(
                        sse.substring(sse.indexOf(last) + last.length()).strip())
                .value();
        Map<?, ?> response = (Map<?, ?>) data.get("response");
        assertEquals("m2", response.get("model"), "the last response announced, not one that was not an object");
        assertEquals("failed", response.get("status"));
        assertEquals(3L, data.get("sequence_number"));
    }

    @Test
    void passthroughWriter_responsesFailMidStream_endsWithResponseFailedOfTheUpstreamsResponse() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PassthroughWriter w = PassthroughWriter.responses(out, 1 << 20);
        String created = "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\","
                + "\"object\":\"response\",\"status\":\"in_progress\",\"model\":\"gpt-5.5\",\"output\":[],\"error\":null}}";
        String reasoning = "{\"type\":\"response.output_item.done\",\"sequence_number\":3,\"output_index\":0,\"item\":"
                + "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[],\"encrypted_content\":\"gAAA+/==\"}}";
        String delta = "{\"type\":\"response.output_text.delta\",\"sequence_number\": 7,\"item_id\":\"msg_1\","
                + "\"output_index\":1,\"content_index\":0,\"delta\":\"Hel\"}";
        String sse = written(
                w,
                out,
                List.of(
                        new RelayEvent.Start("a", "m"),
                        new RelayEvent.Verbatim("response.created", created),
                        new RelayEvent.Verbatim("response.output_item.done", reasoning),
                        new RelayEvent.Verbatim("response.output_text.delta", delta),
                        new RelayEvent.Error("transport_error", "the connection to the provider failed"),
                        new RelayEvent.Verbatim("response.completed", "{}")));
        String last = "event: response.failed\ndata: ";
        int at = sse.indexOf(last);
        assertEquals(
                "event: response.created\ndata: " + created + "\n\nevent: response.output_item.done\ndata: " + reasoning
                        + "\n\nevent: response.output_text.delta\ndata: " + delta + "\n\n",
                sse.substring(0, at),
                "the upstream's events as they came");
        assertTrue(sse.endsWith("\n\n") && sse.indexOf("event: ", at + 1) < 0, "nothing after it: " + sse);
        Map<?, ?> data = (Map<?, ?>)
                PartialJson.parse(sse.substring(at + last.length()).strip()).value();
        assertEquals("response.failed", data.get("type"));
        assertEquals(8L, data.get("sequence_number"), "numbered after the upstream's last event");
        Map<?, ?> response = (Map<?, ?>) data.get("response");
        assertEquals("resp_1", response.get("id"));
        assertEquals("gpt-5.5", response.get("model"));
        assertEquals("failed", response.get("status"));
        assertEquals(
                Map.of("code", "server_error", "message", "the connection to the provider failed"),
                response.get("error"));
        assertEquals(
                List.of(Map.of(
                        "type", "reasoning", "id", "rs_1", "summary", List.of(), "encrypted_content", "gAAA+/==")),
                response.get("output"),
                "the items it finished, as they came");
        assertTrue(w.responseEnded());

        ByteArrayOutputStream bare = new ByteArrayOutputStream();
        PassthroughWriter noResponse = PassthroughWriter.responses(bare, 1 << 20);
        String odd = written(
                noResponse,
                bare,
                List.of(
                        new RelayEvent.Verbatim("response.output_text.delta", delta),
                        new RelayEvent.Error("overloaded_error", "busy")));
        assertTrue(
                odd.endsWith("event: error\ndata: {\"type\":\"error\",\"code\":\"server_is_overloaded\",\"message\":"
                        + "\"busy\",\"param\":null}\n\n"),
                "no response announced to repeat: the error event, " + odd);
    }

    @Test
    void parseMessagesAndResponses_effort_carriedAsTheThinkingBudgetWithinHalfTheAnswer() {
        String messages = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        assertEquals(
                24_576,
                GatewayRequest.parseMessages("{\"model\":\"m\",\"max_tokens\":64000,\"thinking\":{\"type\":"
                                + "\"adaptive\"},\"output_config\":{\"effort\":\"high\"}," + messages + "}")
                        .thinkingBudget());
        assertEquals(
                2000,
                GatewayRequest.parseMessages("{\"model\":\"m\",\"max_tokens\":4000,\"thinking\":{\"type\":"
                                + "\"adaptive\"},\"output_config\":{\"effort\":\"max\"}," + messages + "}")
                        .thinkingBudget(),
                "at most half the answer's limit");
        assertEquals(
                null,
                GatewayRequest.parseMessages("{\"model\":\"m\",\"max_tokens\":4000,\"output_config\":{\"effort\":"
                                + "\"high\"}," + messages + "}")
                        .thinkingBudget(),
                "an effort without thinking asks for none");
        assertEquals(
                null,
                GatewayRequest.parseMessages("{\"model\":\"m\",\"max_tokens\":1500,\"thinking\":{\"type\":"
                                + "\"adaptive\"},\"output_config\":{\"effort\":\"low\"}," + messages + "}")
                        .thinkingBudget(),
                "none under Anthropic's least budget");
        String input = "\"input\":\"hi\"";
        assertEquals(
                2048,
                GatewayRequest.parseResponses(
                                "{\"model\":\"m\",\"reasoning\":{\"effort\":\"low\",\"summary\":\"auto\"}," + input
                                        + "}")
                        .thinkingBudget());
        assertEquals(
                StartRequest.DEFAULT_MAX_TOKENS / 2,
                GatewayRequest.parseResponses("{\"model\":\"m\",\"reasoning\":{\"effort\":\"medium\"}," + input + "}")
                        .thinkingBudget(),
                "no max_output_tokens (as Codex sends): at most half the gateway's default answer limit");
        assertEquals(
                null,
                GatewayRequest.parseResponses("{\"model\":\"m\",\"reasoning\":{\"effort\":\"none\"}," + input + "}")
                        .thinkingBudget());
        RelayException bad = assertThrows(
                RelayException.class,
                () -> GatewayRequest.parseResponses(
                        "{\"model\":\"m\",\"reasoning\":{\"effort\":\"huge\"}," + input + "}"));
        assertTrue(bad.getMessage().contains("reasoning.effort"), bad.getMessage());
    }

    @Test
    void parseMessages_toolLoopAndThinking_idsKeptThinkingLeftOut() {
        GatewayRequest r = GatewayRequest.parseMessages("""
                {"model":"openai/gpt-4o-mini","max_tokens":100,"system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
                 "thinking":{"type":"enabled","budget_tokens":2048},
                 "messages":[{"role":"user","content":"Weather?"},
                  {"role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"sig"},
                    {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"sunny"}]}],
                 "tools":[{"name":"get_weather","input_schema":{"type":"object"}}]}
                """);
        assertEquals("Be brief.", r.system());
        assertEquals(2048, r.thinkingBudget());
        ChatMessage call = r.messages().get(1);
        assertEquals("toolu_1", call.toolCalls().getFirst().id());
        assertEquals("{\"city\":\"Paris\"}", call.toolCalls().getFirst().arguments());
        assertEquals("toolu_1", r.messages().get(2).toolResults().getFirst().toolCallId());
        assertFalse(r.messages().toString().contains("sig"), "no Anthropic signature for another target");
        GatewayRequest mid = GatewayRequest.parseMessages(
                "{\"model\":\"m\",\"system\":\"A\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                        + "{\"role\":\"assistant\",\"content\":\"yo\"},{\"role\":\"system\",\"content\":\"B\"},"
                        + "{\"role\":\"user\",\"content\":\"go\"}]}");
        assertEquals("A\n\nB", mid.system(), "a mid-conversation system message joins the system prompt");
        assertEquals(3, mid.messages().size());
    }

    @Test
    void parseEveryDialect_userImages_carriedAsTheNeutralMessagesImagesBesideItsText() {
        Image png = Image.base64("image/png", "iVBORw0KGgo=");
        Image remote = Image.url("https://example.com/cat.jpg");
        GatewayRequest messages =
                GatewayRequest.parseMessages("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":"
                        + "\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Compare\"},{\"type\":\"image\",\"source\":"
                        + "{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}},{\"type\":\"image\","
                        + "\"source\":{\"type\":\"url\",\"url\":\"https://example.com/cat.jpg\"}}]}]}");
        assertEquals(List.of(ChatMessage.user("Compare", List.of(png, remote))), messages.messages());
        GatewayRequest responses = GatewayRequest.parseResponses("{\"model\":\"m\",\"input\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"input_text\",\"text\":\"Compare\"},{\"type\":\"input_image\",\"detail\":"
                + "\"auto\",\"image_url\":\"data:image/png;base64,iVBORw0KGgo=\"},{\"type\":\"input_image\",\"detail\":"
                + "\"high\",\"image_url\":\"https://example.com/cat.jpg\"}]}]}");
        assertEquals(List.of(ChatMessage.user("Compare", List.of(png, remote))), responses.messages());
        GatewayRequest chat = GatewayRequest.parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"Compare\"},{\"type\":\"image_url\",\"image_url\":{\"url\":"
                + "\"data:image/png;base64,iVBORw0KGgo=\"}},{\"type\":\"image_url\",\"image_url\":{\"url\":"
                + "\"https://example.com/cat.jpg\",\"detail\":\"low\"}}]}]}");
        assertEquals(List.of(ChatMessage.user("Compare", List.of(png, remote))), chat.messages());
        GatewayRequest imageOnly = GatewayRequest.parseResponses("{\"model\":\"m\",\"input\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"input_image\",\"image_url\":\"https://example.com/cat.jpg\"}]}]}");
        assertEquals(List.of(ChatMessage.user("", List.of(remote))), imageOnly.messages());
    }

    @Test
    void parseMessagesAndResponses_toolResultImages_carriedAsTheNeutralResultsImages() {
        Image png = Image.base64("image/png", "iVBORw0KGgo=");
        Image remote = Image.url("https://example.com/cat.jpg");
        GatewayRequest messages = GatewayRequest.parseMessages("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"Screenshot?"},
                 {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"shot","input":{}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","is_error":false,"content":[
                   {"type":"text","text":"The page"},
                   {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                   {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]},
                   {"type":"text","text":"What do you see?"}]}]}""");
        assertEquals(
                new ChatMessage(
                        ChatMessage.Role.USER,
                        "What do you see?",
                        List.of(),
                        List.of(dev.sluice.chat.ToolResult.of("toolu_1", "The page", List.of(png, remote)))),
                messages.messages().get(2));
        GatewayRequest responses = GatewayRequest.parseResponses("""
                {"model":"m","input":[{"role":"user","content":"Screenshot?"},
                 {"type":"function_call","call_id":"call_1","name":"shot","arguments":"{}"},
                 {"type":"function_call_output","call_id":"call_1","output":[
                   {"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo=","detail":"auto"},
                   {"type":"input_text","text":"The page"}]}]}""");
        assertEquals(
                List.of(dev.sluice.chat.ToolResult.of("call_1", "The page", List.of(png))),
                responses.messages().get(2).toolResults());
        RelayException document = assertThrows(
                RelayException.class,
                () -> GatewayRequest.parseMessages(
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
                                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\"}]},"
                                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":"
                                + "[{\"type\":\"document\",\"source\":{}}]}]}]}"));
        assertEquals(
                "messages[2].content[0].content[0].source.type", document.param(), "a document without its source");
        RelayException file = assertThrows(
                RelayException.class,
                () -> GatewayRequest.parseMessages(
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
                                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\"}]},"
                                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":"
                                + "[{\"type\":\"image\",\"source\":{\"type\":\"file\",\"file_id\":\"f\"}}]}]}]}"));
        assertEquals("messages[2].content[0].content[0].source.type", file.param());
    }

    @Test
    void parseMessagesAndResponses_cacheMarksAndKey_carriedInTheNeutralRequest() {
        GatewayRequest messages =
                GatewayRequest.parseMessages("{\"model\":\"m\",\"max_tokens\":10,\"system\":[{\"type\":"
                        + "\"text\",\"text\":\"Be terse.\",\"cache_control\":{\"type\":\"ephemeral\"}}],\"messages\":["
                        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Context\",\"cache_control\":"
                        + "{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}]},{\"role\":\"assistant\",\"content\":\"Read.\"},"
                        + "{\"role\":\"user\",\"content\":\"Question\"}]}");
        assertEquals(new dev.sluice.chat.PromptCache(true, null), messages.promptCache());
        assertEquals(
                List.of(true, false, false),
                messages.messages().stream().map(ChatMessage::cacheMark).toList());
        GatewayRequest unmarked = GatewayRequest.parseMessages(
                "{\"model\":\"m\",\"max_tokens\":10,\"system\":\"Be terse.\",\"messages\":[{\"role\":\"user\",\"content\":\"Q\"}]}");
        assertEquals(null, unmarked.promptCache());
        GatewayRequest responses = GatewayRequest.parseResponses(
                "{\"model\":\"m\",\"input\":\"Question\",\"prompt_cache_key\":\"repo-42\"}");
        assertEquals(new dev.sluice.chat.PromptCache(false, "repo-42"), responses.promptCache());
    }

    @Test
    void parseMessagesAndResponses_whatCannotBeCarried_refusedNamingTheField() {
        RelayException document = assertThrows(
                RelayException.class,
                () -> GatewayRequest.parseMessages(
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":"
                                + "{\"type\":\"url\",\"url\":\"https://example.com/a.pdf\"}}]}]}"));
        assertEquals("messages[0].content[0].source.type", document.param());
        // a document a tool returned (Claude Code's Read of a PDF) is carried: the message's, after the results
        GatewayRequest inResult = GatewayRequest.parseMessages("{\"model\":\"m\",\"messages\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":[{\"type\":\"document\","
                + "\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"JVBERi0=\"}}]}]}]}");
        assertEquals(1, inResult.messages().getFirst().documents().size());
        assertEquals(1, inResult.messages().getFirst().toolResults().size());
        RelayException file = assertThrows(
                RelayException.class,
                () -> GatewayRequest.parseMessages("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"image\",\"source\":{\"type\":\"file\",\"file_id\":\"file_1\"}}]}]}"));
        assertEquals("messages[0].content[0].source.type", file.param());
        RelayException fileId = assertThrows(
                RelayException.class,
                () -> GatewayRequest.parseResponses("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"input_image\",\"file_id\":\"file-1\",\"detail\":\"auto\"}]}]}"));
        assertEquals("input[0].content[0].file_id", fileId.param());
        RelayException scheme = assertThrows(
                RelayException.class,
                () -> GatewayRequest.parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"image_url\",\"image_url\":{\"url\":\"file:///etc/passwd\"}}]}]}"));
        assertEquals("messages[0].content[0].image_url.url", scheme.param());
        RelayException tool = assertThrows(
                RelayException.class,
                () -> GatewayRequest.parseResponses(
                        "{\"model\":\"m\",\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"}],"
                                + "\"tool_choice\":{\"type\":\"web_search\"}}"));
        assertEquals("tool_choice", tool.param());
        assertEquals(
                List.of("exec_command"),
                GatewayRequest.parseResponses("{\"model\":\"m\",\"input\":\"hi\",\"tools\":[{\"type\":\"function\","
                                + "\"name\":\"exec_command\"},{\"type\":\"namespace\",\"name\":\"multi_agent_v1\"},"
                                + "{\"type\":\"web_search\"}]}")
                        .tools()
                        .stream()
                        .map(dev.sluice.chat.Tool::name)
                        .toList(),
                "tools a target of another dialect cannot run are left out");
        RelayException previous = assertThrows(
                RelayException.class,
                () -> GatewayRequest.parseResponses(
                        "{\"model\":\"m\",\"input\":\"hi\",\"previous_response_id\":\"r\"}"));
        assertEquals("previous_response_id", previous.param());
        GatewayRequest r = GatewayRequest.parseResponses(
                "{\"model\":\"m\",\"instructions\":\"Be brief.\",\"store\":false,\"input\":[{\"type\":\"reasoning\",\"id\":\"rs\","
                        + "\"encrypted_content\":\"x\"},{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}]}]}");
        assertEquals("Be brief.", r.system());
        assertEquals(List.of(ChatMessage.user("hi")), r.messages());
    }
}
