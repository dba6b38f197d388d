package dev.sluice.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A structured-output request in one API's wire format, sent to the fake server over a raw socket,
 * and what came back, read as that API's client would: the JSON text (from the text deltas, or from
 * the forced tool call's arguments), the deltas it came in, the ending, the usage and any refusal.
 */
final class StructuredCall {
    enum Api {
        ANTHROPIC,
        CHAT,
        RESPONSES,
        GEMINI
    }

    /** Native: the API's JSON Schema format, the JSON as text. Tool: a tool call the request forces, the JSON as its arguments. */
    enum Path {
        NATIVE,
        TOOL
    }

    static final String NAME = "recipe";

    /**
     * What came back.
     *
     * @param json the JSON text, joined (Gemini's tool call: its {@code args} written out), or "" when none came
     * @param deltas the pieces it came in (Gemini's tool path: one "chunk N" for each chunk, the call in the last with content)
     * @param stop the ending: Anthropic's {@code stop_reason}, Chat's {@code finish_reason}, the Responses
     *     API's final status, Gemini's {@code finishReason}
     * @param outputTokens the output tokens the usage reports
     * @param refusal the refusal's text as the API carries it, or null
     * @param events the events (a non-streamed answer: its one body), parsed
     * @param types the events' types (Chat and Gemini: "chunk"; the body: "body")
     */
    record Result(
            int status,
            String json,
            List<String> deltas,
            String stop,
            int outputTokens,
            String refusal,
            List<JsonNode> events,
            List<String> types) {}

    private StructuredCall() {}

    static String path(Api api, boolean stream) {
        return switch (api) {
            case ANTHROPIC -> "/v1/messages";
            case CHAT -> "/v1/chat/completions";
            case RESPONSES -> "/v1/responses";
            case GEMINI -> "/v1beta/models/gemini-2.5-flash:" + (stream ? "streamGenerateContent" : "generateContent");
        };
    }

    static String[] headers(Api api) {
        return switch (api) {
            case ANTHROPIC -> new String[] {"x-api-key", "k", "anthropic-version", "2023-06-01"};
            case CHAT, RESPONSES -> new String[] {"authorization", "Bearer k"};
            case GEMINI -> new String[] {"x-goog-api-key", "k"};
        };
    }

    /** {@return the request body: the prompt, the schema in the path's shape, streamed or not, with this token limit} */
    static String body(Api api, Path path, String prompt, String schema, boolean stream, int maxTokens) {
        String p = TestClient.quote(prompt);
        return switch (api) {
            case ANTHROPIC ->
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":" + maxTokens + ",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":" + p + "}],"
                        + (path == Path.NATIVE
                                ? "\"output_config\":{\"format\":{\"type\":\"json_schema\",\"schema\":" + schema + "}}}"
                                : "\"tools\":[{\"name\":\"" + NAME
                                        + "\",\"description\":\"Answer with this\",\"input_schema\":" + schema + "}],"
                                        + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"" + NAME + "\"}}");
            case CHAT ->
                "{\"model\":\"gpt-4o\",\"max_completion_tokens\":" + maxTokens + ",\"stream\":" + stream
                        + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "")
                        + ",\"messages\":[{\"role\":\"user\",\"content\":" + p + "}],"
                        + (path == Path.NATIVE
                                ? "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"" + NAME
                                        + "\",\"schema\":" + schema + ",\"strict\":true}}}"
                                : "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"" + NAME
                                        + "\",\"parameters\":" + schema + ",\"strict\":true}}],"
                                        + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"" + NAME
                                        + "\"}}}");
            case RESPONSES ->
                "{\"model\":\"gpt-4o\",\"max_output_tokens\":" + maxTokens + ",\"stream\":" + stream + ",\"input\":" + p
                        + ","
                        + (path == Path.NATIVE
                                ? "\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"" + NAME + "\",\"schema\":"
                                        + schema + ",\"strict\":true}}}"
                                : "\"tools\":[{\"type\":\"function\",\"name\":\"" + NAME + "\",\"parameters\":" + schema
                                        + ",\"strict\":true}]," + "\"tool_choice\":{\"type\":\"function\",\"name\":\""
                                        + NAME + "\"}}");
            case GEMINI ->
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":" + p
                        + "}]}],\"generationConfig\":{\"maxOutputTokens\":"
                        + maxTokens
                        + (path == Path.NATIVE
                                ? ",\"responseMimeType\":\"application/json\",\"responseJsonSchema\":" + schema + "}}"
                                : "},\"tools\":[{\"functionDeclarations\":[{\"name\":\"" + NAME
                                        + "\",\"parametersJsonSchema\":" + schema + "}]}],"
                                        + "\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"ANY\",\"allowedFunctionNames\":[\""
                                        + NAME + "\"]}}}");
        };
    }

    static Result send(
            FakeLlmServer server, Api api, Path path, String prompt, String schema, boolean stream, int maxTokens) {
        return send(server, api, path, body(api, path, prompt, schema, stream, maxTokens), stream);
    }

    static Result send(FakeLlmServer server, Api api, Path path, String body, boolean stream) {
        RawHttp.Response r;
        try (RawHttp http = new RawHttp(server)) {
            r = http.post(path(api, stream), body, headers(api)).response();
        }
        if (r.status() != 200 || !stream) {
            JsonNode json = TestClient.parse(r.text());
            return r.status() != 200
                    ? new Result(r.status(), "", List.of(), null, 0, null, List.of(json), List.of("error"))
                    : whole(api, path, json);
        }
        List<TestClient.SseEvent> raw = FakeResponseAnswerTest.events(r);
        List<JsonNode> events = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (TestClient.SseEvent e : raw) {
            if (e.data().equals("[DONE]")) continue;
            JsonNode j = TestClient.parse(e.data());
            events.add(j);
            types.add(api == Api.ANTHROPIC || api == Api.RESPONSES ? e.type() : "chunk");
        }
        return streamed(api, path, events, types);
    }

    private static Result streamed(Api api, Path path, List<JsonNode> events, List<String> types) {
        StringBuilder json = new StringBuilder();
        StringBuilder refusal = new StringBuilder();
        List<String> deltas = new ArrayList<>();
        String stop = null;
        int tokens = 0;
        boolean refused = false;
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            switch (api) {
                case ANTHROPIC -> {
                    JsonNode d = e.path("delta");
                    String piece = path == Path.NATIVE
                            ? d.path("text").asText("")
                            : d.path("partial_json").asText("");
                    if (types.get(i).equals("content_block_delta") && !piece.isEmpty()) {
                        deltas.add(piece);
                        json.append(piece);
                    }
                    if (types.get(i).equals("message_delta")) {
                        stop = d.path("stop_reason").asText();
                        tokens = e.path("usage").path("output_tokens").asInt();
                        if (d.has("stop_details")) {
                            refused = true;
                            refusal.append(
                                    d.path("stop_details").path("explanation").asText(""));
                        }
                    }
                }
                case CHAT -> {
                    JsonNode choice = e.path("choices").path(0);
                    JsonNode d = choice.path("delta");
                    String piece = path == Path.NATIVE
                            ? d.path("content").asText("")
                            : d.path("tool_calls")
                                    .path(0)
                                    .path("function")
                                    .path("arguments")
                                    .asText("");
                    if (!piece.isEmpty()) {
                        deltas.add(piece);
                        json.append(piece);
                    }
                    if (d.path("refusal").isTextual()) {
                        refused = true;
                        refusal.append(d.get("refusal").asText());
                    }
                    if (choice.path("finish_reason").isTextual())
                        stop = choice.get("finish_reason").asText();
                    if (e.path("usage").isObject())
                        tokens = e.path("usage").path("completion_tokens").asInt();
                }
                case RESPONSES -> {
                    String type = types.get(i);
                    if (type.equals(
                            path == Path.NATIVE
                                    ? "response.output_text.delta"
                                    : "response.function_call_arguments.delta")) {
                        deltas.add(e.path("delta").asText());
                        json.append(e.path("delta").asText());
                    }
                    if (type.equals("response.refusal.delta")) {
                        refused = true;
                        refusal.append(e.path("delta").asText());
                    }
                    if (type.equals("response.completed") || type.equals("response.incomplete")) {
                        stop = e.path("response").path("status").asText();
                        tokens = e.path("response")
                                .path("usage")
                                .path("output_tokens")
                                .asInt();
                    }
                }
                case GEMINI -> {
                    JsonNode candidate = e.path("candidates").path(0);
                    if (path == Path.TOOL) deltas.add("chunk " + i);
                    for (JsonNode part : candidate.path("content").path("parts")) {
                        String text = part.path("text").asText("");
                        if (path == Path.NATIVE && !text.isEmpty()) {
                            deltas.add(text);
                            json.append(text);
                        } else if (part.has("functionCall")) {
                            json.append(part.path("functionCall").path("args"));
                        }
                    }
                    if (candidate.path("finishReason").isTextual())
                        stop = candidate.get("finishReason").asText();
                    if (candidate.has("finishMessage")) {
                        refused = true;
                        refusal.append(candidate.get("finishMessage").asText());
                    }
                    tokens =
                            e.path("usageMetadata").path("candidatesTokenCount").asInt();
                }
            }
        }
        return new Result(
                200, json.toString(), deltas, stop, tokens, refused ? refusal.toString() : null, events, types);
    }

    private static Result whole(Api api, Path path, JsonNode body) {
        String json = "";
        String stop;
        int tokens;
        String refusal = null;
        switch (api) {
            case ANTHROPIC -> {
                for (JsonNode block : body.path("content")) {
                    if (block.path("type").asText().equals("text"))
                        json = block.path("text").asText();
                    if (block.path("type").asText().equals("tool_use"))
                        json = block.path("input").toString();
                }
                stop = body.path("stop_reason").asText();
                tokens = body.path("usage").path("output_tokens").asInt();
                if (body.has("stop_details"))
                    refusal = body.path("stop_details").path("explanation").asText();
            }
            case CHAT -> {
                JsonNode message = body.path("choices").path(0).path("message");
                json = path == Path.NATIVE
                        ? message.path("content").asText("")
                        : message.path("tool_calls")
                                .path(0)
                                .path("function")
                                .path("arguments")
                                .asText("");
                stop = body.path("choices").path(0).path("finish_reason").asText();
                tokens = body.path("usage").path("completion_tokens").asInt();
                if (message.path("refusal").isTextual())
                    refusal = message.get("refusal").asText();
            }
            case RESPONSES -> {
                for (JsonNode item : body.path("output")) {
                    if (item.path("type").asText().equals("function_call"))
                        json = item.path("arguments").asText();
                    for (JsonNode part : item.path("content")) {
                        if (part.path("type").asText().equals("output_text"))
                            json = part.path("text").asText();
                        if (part.path("type").asText().equals("refusal"))
                            refusal = part.path("refusal").asText();
                    }
                }
                stop = body.path("status").asText();
                tokens = body.path("usage").path("output_tokens").asInt();
            }
            default -> {
                JsonNode candidate = body.path("candidates").path(0);
                for (JsonNode part : candidate.path("content").path("parts")) {
                    if (path == Path.NATIVE) json += part.path("text").asText("");
                    else if (part.has("functionCall"))
                        json = part.path("functionCall").path("args").toString();
                }
                stop = candidate.path("finishReason").asText();
                tokens = body.path("usageMetadata").path("candidatesTokenCount").asInt();
                if (candidate.has("finishMessage"))
                    refusal = candidate.get("finishMessage").asText();
            }
        }
        return new Result(200, json, List.of(json), stop, tokens, refusal, List.of(body), List.of("body"));
    }

    /** {@return each API's ending of a whole structured answer, by path} */
    static String endOf(Api api, Path path) {
        return switch (api) {
            case ANTHROPIC -> path == Path.NATIVE ? "end_turn" : "tool_use";
            case CHAT -> "stop"; // a named tool choice ends with stop too
            case RESPONSES -> "completed";
            case GEMINI -> "STOP";
        };
    }

    /** {@return each API's ending at the token limit} */
    static String truncatedEnd(Api api) {
        return switch (api) {
            case ANTHROPIC -> "max_tokens";
            case CHAT -> "length";
            case RESPONSES -> "incomplete";
            case GEMINI -> "MAX_TOKENS";
        };
    }
}
