package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code sluice replay} end to end, in process, for every captured stream and streams of each provider written here. */
class ReplayCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> FIXTURES = List.of(
            "text-basic",
            "tool-use-weather",
            "thinking-with-signature",
            "citations-char-and-page",
            "error-overloaded-mid-stream",
            "truncated-before-message-stop");

    record Result(int code, String out, String err) {}

    private static Result run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("replay"));
        all.addAll(List.of(args));
        int code = Sluice.run(
                all,
                new ByteArrayInputStream(stdin),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> fixturesAndChunkSizes() {
        return FIXTURES.stream().flatMap(f -> Stream.of("1", "7", "1048576").map(size -> Arguments.of(f, size)));
    }

    @ParameterizedTest(name = "{0} with --chunk-size {1}")
    @MethodSource("fixturesAndChunkSizes")
    void replay_fixtureOnStdin_printsExpectedMessageAndExitCode(String fixture, String chunkSize) throws IOException {
        JsonNode expected = MAPPER.readTree(resource(fixture + ".expected.json"));
        Result r = run(resource(fixture + ".sse"), "--chunk-size", chunkSize);
        String outcome = expected.get("outcome").asText();
        JsonNode message = outcome.equals("complete") ? expected.get("final_message") : expected.get("partial_message");
        assertEquals(1, r.out().lines().count(), "one JSON object on one line: " + r.out());
        assertEquals(normalize(message), normalize(MAPPER.readTree(r.out())));
        switch (outcome) {
            case "complete" -> {
                assertEquals(0, r.code(), r.err());
                assertEquals("", r.err());
            }
            case "error" -> {
                assertEquals(1, r.code());
                assertEquals(1, r.err().lines().count(), r.err());
                assertTrue(r.err().startsWith("error: "), r.err());
                JsonNode error = expected.get("error").get("error");
                assertTrue(
                        r.err().contains(error.get("type").asText())
                                && r.err().contains(error.get("message").asText()),
                        r.err());
            }
            case "truncated" -> {
                assertEquals(1, r.code());
                assertEquals(1, r.err().lines().count(), r.err());
                assertTrue(r.err().startsWith("error: stream ended before message_stop"), r.err());
            }
            default -> throw new AssertionError(outcome);
        }
    }

    private static final String OPENAI_CAPTURE = """
            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

            data: [DONE]

            """;
    private static final String GEMINI_CAPTURE = """
            data: {"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"finishReason":"STOP","index":0}],"modelVersion":"gemini-2.5-flash","responseId":"r1"}

            """;
    private static final String RESPONSES_CAPTURE = """
            event: response.created
            data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","status":"in_progress","output":[]}}

            """;

    private static Result replayFile(Path dir, String content, String... flags) throws IOException {
        Path file = dir.resolve("capture.sse");
        Files.writeString(file, content);
        List<String> args = new ArrayList<>(List.of(flags));
        args.add(file.toString());
        return run(new byte[0], args.toArray(String[]::new));
    }

    @Test
    void replay_openAiCaptureAsAnthropic_saysWhatItIsAndTheCommandThatReadsIt(@TempDir Path dir) throws IOException {
        Result r = replayFile(dir, OPENAI_CAPTURE);
        Path file = dir.resolve("capture.sse");
        assertEquals(1, r.code());
        assertEquals("", r.out());
        assertEquals(
                "error: " + file + " looks like an OpenAI Chat Completions stream, not an Anthropic Messages one:"
                        + " run 'sluice replay --provider openai " + file + "'\n",
                r.err());
        assertEquals(
                0, replayFile(dir, OPENAI_CAPTURE, "--provider", "openai").code(), "the command it names reads it");
    }

    @Test
    void replay_geminiCaptureOnStdinAsOpenAi_namesGemini() {
        Result r = run(GEMINI_CAPTURE.getBytes(StandardCharsets.UTF_8), "--provider", "openai");
        assertEquals(1, r.code());
        assertEquals(
                "error: the input looks like a Gemini stream, not an OpenAI Chat Completions one:"
                        + " run 'sluice replay --provider gemini'\n",
                r.err());
    }

    @Test
    void replay_responsesApiCaptureAsGemini_namesOpenAiResponses(@TempDir Path dir) throws IOException {
        Result r = replayFile(dir, RESPONSES_CAPTURE, "--provider", "gemini");
        assertEquals(1, r.code());
        assertEquals(
                "error: " + dir.resolve("capture.sse") + " looks like an OpenAI Responses API stream, not a Gemini one:"
                        + " run 'sluice replay --provider openai-responses " + dir.resolve("capture.sse") + "'\n",
                r.err());
    }

    static Stream<Arguments> responsesCapturesAndChunkSizes() {
        List<Arguments> all = new ArrayList<>();
        for (String capture : List.of("custom-tool-call", "shell-apply-patch", "mcp-compaction")) {
            for (String size : List.of("1", "3", "64", "8192")) all.add(Arguments.of(capture, size));
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("responsesCapturesAndChunkSizes")
    void replay_responsesCapture_typedItemsOpaqueStringsAsReceivedAtAnyChunkSize(String capture, String chunkSize)
            throws IOException {
        byte[] body;
        try (InputStream in = ReplayCommandTest.class.getResourceAsStream("/openai-responses/" + capture + ".sse")) {
            body = in.readAllBytes();
        }
        Result r = run(body, "--provider", "openai-responses", "--chunk-size", chunkSize);
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        Result whole = run(body, "--provider", "openai-responses");
        assertEquals(whole.out(), r.out(), "the same at every chunk size");
        JsonNode printed = MAPPER.readTree(r.out());
        assertEquals("response", printed.path("object").asText());
        assertEquals("completed", printed.path("status").asText());
        // every output item as the capture's response.completed carries it, value for value
        JsonNode completed = null;
        for (String block : new String(body, StandardCharsets.UTF_8).split("\n\n")) {
            if (block.startsWith("event: response.completed\n"))
                completed = MAPPER.readTree(block.substring(block.indexOf("data: ") + 6));
        }
        JsonNode expected = completed.path("response").path("output");
        assertSameItems(capture, expected, printed.path("output"));
        // the same items built from the events alone: a response.completed without its output
        // (as a server that does not repeat it sends), then also without the output_item.done events
        Result fromEvents =
                run(withoutTerminalOutput(body, false), "--provider", "openai-responses", "--chunk-size", chunkSize);
        assertEquals(0, fromEvents.code(), fromEvents.err());
        assertSameItems(
                capture + " (from output_item.done)",
                expected,
                MAPPER.readTree(fromEvents.out()).path("output"));
        Result fromDeltas =
                run(withoutTerminalOutput(body, true), "--provider", "openai-responses", "--chunk-size", chunkSize);
        assertEquals(0, fromDeltas.code(), fromDeltas.err());
        JsonNode built = MAPPER.readTree(fromDeltas.out()).path("output");
        assertEquals(expected.size(), built.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode want = expected.get(i);
            JsonNode got = built.get(i);
            assertEquals(want.path("type"), got.path("type"), capture + " item " + i);
            assertEquals(want.path("id"), got.path("id"), capture + " item " + i);
            // a custom call's input and a function call's arguments stream as deltas (an MCP call's
            // arguments and encrypted reasoning come whole with output_item.done only)
            for (String streamed : List.of("input", "arguments")) {
                if (want.has(streamed) && !want.path("type").asText().equals("mcp_call"))
                    assertEquals(want.path(streamed), got.path(streamed), capture + " item " + i + " " + streamed);
            }
            if (want.path("type").asText().equals("shell_call"))
                assertEquals(
                        want.path("action").path("commands"),
                        got.path("action").path("commands"),
                        capture + " commands");
            if (want.path("type").asText().equals("apply_patch_call"))
                assertEquals(
                        want.path("operation").path("diff"),
                        got.path("operation").path("diff"),
                        capture + " diff");
        }
    }

    private static void assertSameItems(String what, JsonNode expected, JsonNode printed) {
        assertEquals(expected.size(), printed.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            JsonNode item = printed.get(i);
            expected.get(i).fields().forEachRemaining(f -> {
                if (!f.getKey().equals("status") || item.has("status"))
                    assertEquals(f.getValue(), item.path(f.getKey()), what + " " + f.getKey());
            });
        }
    }

    /** {@return the capture with its response.completed's output emptied, and without its output_item.done events when asked} */
    private static byte[] withoutTerminalOutput(byte[] body, boolean dropItemDone) throws IOException {
        StringBuilder out = new StringBuilder();
        for (String block : new String(body, StandardCharsets.UTF_8).split("\n\n")) {
            if (block.isBlank()) continue;
            if (dropItemDone && block.startsWith("event: response.output_item.done\n")) continue;
            if (block.startsWith("event: response.completed\n")) {
                com.fasterxml.jackson.databind.node.ObjectNode data = (com.fasterxml.jackson.databind.node.ObjectNode)
                        MAPPER.readTree(block.substring(block.indexOf("data: ") + 6));
                ((com.fasterxml.jackson.databind.node.ObjectNode) data.path("response")).putArray("output");
                block = "event: response.completed\ndata: " + MAPPER.writeValueAsString(data);
            }
            out.append(block).append("\n\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void replay_notServerSentEvents_saysSoWithItsStart(@TempDir Path dir) throws IOException {
        Result xml = replayFile(dir, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project/>\n");
        assertEquals(1, xml.code());
        assertEquals(
                "error: " + dir.resolve("capture.sse") + " is not a stream of Server-Sent Events (it starts with"
                        + " '<?xml version=\"1.0\" encoding=\"UTF-8\"?>'); replay reads the body of a streaming response,"
                        + " lines of 'event:' and 'data:'\n",
                xml.err());
        Result json = run("{\"id\":\"msg_1\",\"type\":\"message\"}".getBytes(StandardCharsets.UTF_8));
        assertTrue(json.err().contains("; JSON: the response to a request made without streaming?)"), json.err());
    }

    @Test
    void replay_fileArgument_sameAsStdin(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.sse");
        Files.write(file, resource("tool-use-weather.sse"));
        Result fromFile = run(new byte[0], file.toString());
        Result fromStdin = run(resource("tool-use-weather.sse"));
        assertEquals(0, fromFile.code(), fromFile.err());
        assertEquals(fromStdin.out(), fromFile.out());
        assertTrue(
                fromFile.out().contains("\"input\":{\"location\":\"San Francisco, CA\",\"unit\":\"fahrenheit\"}"),
                fromFile.out());
    }

    @Test
    void replay_malformedJson_partialPrintedErrorNamesItExit1() {
        String body =
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"content\":[],\"model\":\"m\",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n"
                        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
                        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\n\n";
        Result r = run(body.getBytes(StandardCharsets.UTF_8));
        assertEquals(1, r.code());
        assertTrue(r.out().contains("\"text\":\"Hi\""), r.out());
        assertTrue(r.err().startsWith("error: malformed JSON in Anthropic 'content_block_delta' event"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void replay_emptyInput_noMessageExit1() {
        Result r = run(new byte[0]);
        assertEquals(1, r.code());
        assertEquals("", r.out());
        assertEquals("error: the input is empty: there is no stream to replay\n", r.err());
    }

    @Test
    void replay_missingFile_exit1NamingIt() {
        Result r = run(new byte[0], "/no/such/file.sse");
        assertEquals(1, r.code());
        assertEquals("error: no such file: /no/such/file.sse\n", r.err());
    }

    @Test
    void replay_badChunkSizeOrTwoFiles_usageExit2() {
        assertEquals(2, run(new byte[0], "--chunk-size", "0").code());
        assertEquals(2, run(new byte[0], "--chunk-size", "x").code());
        assertEquals(2, run(new byte[0], "a", "b").code());
        assertEquals(2, run(new byte[0], "--bogus").code());
    }

    // ---------------------------------------------------------------- --provider

    private static Result run(String stdin, String... args) {
        return run(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    private static String openAiChunk(String delta, String finish) {
        return "data: {\"id\":\"chatcmpl-r\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"gpt-r\",\"system_fingerprint\":\"fp_r\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"logprobs\":null,\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"")
                + "}]}\n\n";
    }

    private static final String OPENAI_USAGE = "data: {\"id\":\"chatcmpl-r\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1700000000,\"model\":\"gpt-r\",\"choices\":[],\"usage\":{\"prompt_tokens\":20,"
            + "\"completion_tokens\":9,\"total_tokens\":29,\"prompt_tokens_details\":{\"cached_tokens\":4},"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n";

    /** Text, a custom tool's call with free-text input, a function call, finish, usage; [DONE] when {@code done}. */
    private static String openAiStream(boolean done) {
        return openAiChunk("{\"role\":\"assistant\",\"content\":\"\"}", null)
                + openAiChunk("{\"content\":\"Let me \"}", null)
                + openAiChunk("{\"content\":\"check.\"}", null)
                + openAiChunk(
                        "{\"tool_calls\":[{\"index\":0,\"id\":\"call_c\",\"type\":\"custom\",\"custom\":{\"name\":\"run\",\"input\":\"\"}}]}",
                        null)
                + openAiChunk("{\"tool_calls\":[{\"index\":0,\"custom\":{\"input\":\"echo \\\"hi\"}}]}", null)
                + openAiChunk("{\"tool_calls\":[{\"index\":0,\"custom\":{\"input\":\"\\\"\\nexit 0\"}}]}", null)
                + openAiChunk(
                        "{\"tool_calls\":[{\"index\":1,\"id\":\"call_f\",\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"arguments\":\"\"}}]}",
                        null)
                + openAiChunk(
                        "{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"q\\\": \\\"tides\\\"}\"}}]}",
                        null)
                + openAiChunk("{}", "tool_calls")
                + OPENAI_USAGE
                + (done ? "data: [DONE]\n\n" : "");
    }

    @Test
    void replay_openaiCompleteStream_printsTheChatCompletionInTheApisShapeExit0() throws IOException {
        Result r = run(openAiStream(true), "--provider", "openai", "--chunk-size", "3");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertEquals(1, r.out().lines().count(), r.out());
        assertEquals(MAPPER.readTree("""
                {"id":"chatcmpl-r","object":"chat.completion","created":1700000000,"model":"gpt-r",
                 "system_fingerprint":"fp_r",
                 "choices":[{"index":0,
                   "message":{"role":"assistant","content":"Let me check.","refusal":null,
                     "tool_calls":[
                       {"id":"call_c","type":"custom","custom":{"name":"run","input":"echo \\"hi\\"\\nexit 0"}},
                       {"id":"call_f","type":"function","function":{"name":"lookup","arguments":"{\\"q\\": \\"tides\\"}"}}]},
                   "logprobs":null,"finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":20,"completion_tokens":9,"total_tokens":29,
                   "prompt_tokens_details":{"cached_tokens":4}}}"""), MAPPER.readTree(r.out()));
    }

    @Test
    void replay_openaiStreamWithoutDone_partialPrintedErrorLineExit1() throws IOException {
        Result r = run(openAiStream(false), "--provider", "openai");
        assertEquals(1, r.code());
        assertEquals(
                "Let me check.",
                MAPPER.readTree(r.out())
                        .get("choices")
                        .get(0)
                        .get("message")
                        .get("content")
                        .asText());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: stream ended before data: [DONE]"), r.err());
    }

    @Test
    void replay_openaiErrorObjectInTheStream_partialPrintedErrorNamesItExit1() throws IOException {
        String body = openAiChunk("{\"content\":\"Hal\"}", null)
                + "data: {\"error\":{\"type\":\"server_error\",\"message\":\"The server had an error\"}}\n\n";
        Result r = run(body, "--provider", "openai");
        assertEquals(1, r.code());
        assertEquals(
                "Hal",
                MAPPER.readTree(r.out())
                        .get("choices")
                        .get(0)
                        .get("message")
                        .get("content")
                        .asText());
        assertEquals("error: the stream carried an API error event: server_error: The server had an error\n", r.err());
    }

    @Test
    void replay_openaiArgumentsThatAreNotJson_errorBesideTheTextNoGuessedValue() throws IOException {
        String body = openAiChunk(
                        "{\"tool_calls\":[{\"index\":0,\"id\":\"call_f\",\"type\":\"function\",\"function\":"
                                + "{\"name\":\"lookup\",\"arguments\":\"{\\\"q\\\": tides}\"}}]}",
                        null)
                + openAiChunk("{}", "tool_calls") + "data: [DONE]\n\n";
        Result r = run(body, "--provider", "openai");
        assertEquals(0, r.code(), r.err());
        JsonNode function = MAPPER.readTree(r.out())
                .get("choices")
                .get(0)
                .get("message")
                .get("tool_calls")
                .get(0)
                .get("function");
        assertEquals("{\"q\": tides}", function.get("arguments").asText());
        assertTrue(
                function.get("arguments_error")
                        .asText()
                        .startsWith("tool call arguments are not valid JSON: invalid literal 't'"),
                function.toString());
    }

    private static String geminiChunk(String parts, String finish, String usage) {
        return "data: {\"candidates\":[{\"content\":{\"parts\":" + parts + ",\"role\":\"model\"},\"index\":0"
                + (finish == null ? "" : ",\"finishReason\":\"" + finish + "\"") + "}]"
                + (usage == null ? "" : ",\"usageMetadata\":" + usage)
                + ",\"modelVersion\":\"gemini-r\",\"responseId\":\"resp_r\"}\r\n\r\n";
    }

    /** Thoughts in two parts, text in three, a function call; a finish reason when {@code finish}. */
    private static String geminiStream(boolean finish) {
        return geminiChunk("[{\"text\":\"Think\",\"thought\":true}]", null, null)
                + geminiChunk("[{\"text\":\"ing.\",\"thought\":true}]", null, null)
                + geminiChunk("[{\"text\":\"Rivers \"},{\"text\":\"carve \"}]", null, null)
                + geminiChunk(
                        "[{\"text\":\"valleys.\"},{\"functionCall\":{\"name\":\"lookup\",\"args\":{\"q\":\"tides\"}}}]",
                        finish ? "STOP" : null,
                        "{\"promptTokenCount\":8,\"candidatesTokenCount\":6,\"totalTokenCount\":20,\"thoughtsTokenCount\":6}");
    }

    @Test
    void replay_geminiCompleteStream_printsTheResponseWithPartsMergedExit0() throws IOException {
        Result r = run(geminiStream(true), "--provider", "gemini", "--chunk-size", "5");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertEquals(MAPPER.readTree("""
                {"candidates":[{"content":{"role":"model","parts":[
                    {"text":"Thinking.","thought":true},
                    {"text":"Rivers carve valleys."},
                    {"functionCall":{"name":"lookup","args":{"q":"tides"}}}]},
                  "finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":6,"totalTokenCount":20,"thoughtsTokenCount":6},
                 "modelVersion":"gemini-r","responseId":"resp_r"}"""), MAPPER.readTree(r.out()));
    }

    @Test
    void replay_geminiStreamWithoutFinishReason_partialPrintedErrorLineExit1() throws IOException {
        Result r = run(geminiStream(false), "--provider", "gemini");
        assertEquals(1, r.code());
        assertEquals(
                "Rivers carve valleys.",
                MAPPER.readTree(r.out())
                        .get("candidates")
                        .get(0)
                        .get("content")
                        .get("parts")
                        .get(1)
                        .get("text")
                        .asText());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: stream ended before a finishReason"), r.err());
    }

    @Test
    void replay_unknownProvider_usageErrorExit2() {
        Result r = run(openAiStream(true), "--provider", "mistral");
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(
                r.err()
                        .startsWith(
                                "error: --provider must be anthropic, openai, openai-responses or gemini, not 'mistral'"),
                r.err());
    }

    @Test
    void replay_anthropicToolInputThatIsNotJson_inputEmptyErrorAndTextBesideIt() throws IOException {
        String body =
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_r\",\"type\":\"message\","
                        + "\"role\":\"assistant\",\"content\":[],\"model\":\"m\",\"stop_reason\":null,\"stop_sequence\":null,"
                        + "\"usage\":{\"input_tokens\":30,\"cache_read_input_tokens\":3,\"output_tokens\":1}}}\n\n"
                        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                        + "{\"type\":\"tool_use\",\"id\":\"toolu_r\",\"name\":\"lookup\",\"input\":{}}}\n\n"
                        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                        + "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"q\\\": \\\"tides\\\"}\"}}\n\n"
                        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                        + "{\"type\":\"input_json_delta\",\"partial_json\":\" and more}\"}}\n\n"
                        + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
                        + "\"usage\":{\"output_tokens\":7,\"input_tokens\":null,\"cache_read_input_tokens\":null}}\n\n"
                        + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        Result r = run(body);
        assertEquals(0, r.code(), r.err());
        JsonNode message = MAPPER.readTree(r.out());
        JsonNode block = message.get("content").get(0);
        assertEquals("{}", block.get("input").toString());
        assertEquals("{\"q\": \"tides\"} and more}", block.get("input_json").asText());
        assertTrue(
                block.get("input_error").asText().startsWith("tool input is not valid JSON: unexpected character 'a'"),
                block.toString());
        assertEquals(
                MAPPER.readTree("{\"input_tokens\":30,\"cache_read_input_tokens\":3,\"output_tokens\":7}"),
                message.get("usage"));
    }

    private static byte[] resource(String name) {
        try (InputStream in = ReplayCommandTest.class.getResourceAsStream("/anthropic/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode normalize(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = MAPPER.createObjectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!e.getValue().isNull()) out.set(e.getKey(), normalize(e.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = MAPPER.createArrayNode();
            node.forEach(e -> out.add(normalize(e)));
            return out;
        }
        return node;
    }
}
