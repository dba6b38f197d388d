package dev.sluice.springai;

import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fake server's answers for Spring AI's tool-calling suite, read from each recorded request in
 * any of the OpenAI, Anthropic and Bedrock Converse wire formats: offered the weather tool, it calls it once for each
 * city the request names; given the tool's results, it answers from them; otherwise the server's
 * own answer.
 */
final class WeatherModel {
    static final String TOOL = "getCurrentWeather";
    private static final Map<String, String> CITIES = Map.of(
            "San Francisco", "{\"location\":\"San Francisco, CA\",\"lat\":37.77,\"lon\":-122.42,\"unit\":\"C\"}",
            "Tokyo", "{\"location\":\"Tokyo, Japan\",\"lat\":35.68,\"lon\":139.69,\"unit\":\"C\"}",
            "Paris", "{\"location\":\"Paris, France\",\"lat\":48.86,\"lon\":2.35,\"unit\":\"C\"}");
    private static final Pattern TEMP = Pattern.compile("\"temp\"\\s*:\\s*(-?[0-9.]+)");

    private WeatherModel() {}

    static FakeResponse reply(RecordedRequest request) {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) request.json();
        List<String> results = toolResults(body);
        if (!results.isEmpty()) {
            List<String> temperatures = new ArrayList<>();
            for (String result : results) {
                Matcher m = TEMP.matcher(result);
                temperatures.add(
                        m.find() ? Math.round(Double.parseDouble(m.group(1))) + " °C" : "unknown (" + result + ")");
            }
            return FakeResponse.answer().text("The weather tool says: ", String.join(", ", temperatures), ".");
        }
        if (request.body().contains("\"" + TOOL + "\"")) {
            FakeResponse answer = FakeResponse.answer().text("Let me look that up.");
            String conversation = userText(body);
            for (String city : List.of("San Francisco", "Tokyo", "Paris")) {
                if (conversation.contains(city)) answer = answer.toolCall(TOOL, CITIES.get(city));
            }
            return answer;
        }
        return FakeResponse.answerPrompt();
    }

    /** The tool results of the conversation's last turn: Anthropic's tool_result blocks, OpenAI's tool messages or function_call_outputs. */
    @SuppressWarnings("unchecked")
    private static List<String> toolResults(Map<String, Object> body) {
        List<Object> turns = (List<Object>) (body.containsKey("messages") ? body.get("messages") : body.get("input"));
        List<String> results = new ArrayList<>();
        if (turns == null) return results;
        for (int i = turns.size() - 1; i >= 0; i--) {
            if (!(turns.get(i) instanceof Map<?, ?> turn)) break;
            if ("tool".equals(turn.get("role"))) {
                results.addFirst(String.valueOf(turn.get("content")));
            } else if ("function_call_output".equals(turn.get("type"))) {
                results.addFirst(String.valueOf(turn.get("output")));
            } else if (turn.get("content") instanceof List<?> blocks && i == turns.size() - 1) {
                for (Object block : blocks) {
                    if (block instanceof Map<?, ?> b && "tool_result".equals(b.get("type")))
                        results.add(String.valueOf(b.get("content")));
                    if (block instanceof Map<?, ?> b && b.get("toolResult") instanceof Map<?, ?> r)
                        results.add(String.valueOf(r.get("content")));
                }
                break;
            } else {
                break;
            }
        }
        return results;
    }

    /** Every user message's text, joined. */
    @SuppressWarnings("unchecked")
    private static String userText(Map<String, Object> body) {
        List<Object> turns = (List<Object>) (body.containsKey("messages") ? body.get("messages") : body.get("input"));
        StringBuilder text = new StringBuilder();
        for (Object t : turns) {
            if (t instanceof Map<?, ?> turn && "user".equals(turn.get("role")))
                text.append(turn.get("content")).append('\n');
        }
        return text.toString();
    }
}
