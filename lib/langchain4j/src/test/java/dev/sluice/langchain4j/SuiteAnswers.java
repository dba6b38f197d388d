package dev.sluice.langchain4j;

import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The fake server's answers to the prompts of LangChain4j's model suites, read from each recorded
 * request in the Anthropic Messages, the OpenAI Chat Completions or Bedrock's Converse format: tool calls when tools
 * are offered and the prompt asks for them, JSON for a response format, an answer cut at a small
 * token limit or at a stop sequence, and a plain answer to each question; anything else gets the
 * fake's own answer.
 */
final class SuiteAnswers {
    private SuiteAnswers() {}

    static FakeResponse answer(RecordedRequest r) {
        Conversation c = Conversation.of(r);
        if (c.format && (c.tools.isEmpty() || !c.toolResults.isEmpty())) {
            return r.body().contains("\"sunny\"")
                    ? FakeResponse.object("{\"weath", "er\":", "\"sunny\"}")
                    : FakeResponse.object("{\"ci", "ty\": ", "\"Berlin\"}");
        }
        if (!c.tools.isEmpty() && c.toolResults.isEmpty()) {
            if (c.tools.contains("get_current_time"))
                return FakeResponse.answer().toolCall("get_current_time", "{}");
            FakeResponse weather = FakeResponse.answer().toolCall("getWeather", "{\"ci", "ty\": \"Mun", "ich\"}");
            return c.prompt.contains("time in France")
                    ? weather.toolCall("getTime", "{\"coun", "try\":", " \"France\"}")
                    : weather;
        }
        if (!c.toolResults.isEmpty()) {
            return words("The tools answered: " + String.join(" and ", c.toolResults) + ".");
        }
        if (c.maxTokens != null && c.maxTokens < 100) {
            List<String> words = split("The capital of Germany is Berlin, and 2 + 2 is 4.");
            return FakeResponse.answer()
                    .text(words.subList(0, Math.min(c.maxTokens, words.size())).toArray(String[]::new))
                    .truncated();
        }
        if (c.prompt.contains("Hello World") && c.stops)
            return FakeResponse.answer().text("Hello", " ").stopSequence("World");
        int images = images(r.body());
        if (images > 0) { // the suites' images: a cat, and after it dice, by bytes or by URL
            return words(images > 1 ? "I see a cat and dice." : "I see a cat.");
        }
        if (c.system.contains("Translate")) return words("Ich liebe dich.");
        if (c.prompt.contains("favorite color")) return words("Your favorite color is green.");
        if (c.prompt.contains("capital of Germany")) return words("The capital of Germany is Berlin.");
        if (c.prompt.contains("long story")) {
            return words("Once upon a time a fox, a hare and an old owl shared a forest. "
                    .repeat(20)
                    .strip());
        }
        return FakeResponse.answerPrompt();
    }

    /** {@return the image parts in a body: Chat Completions' image_url, Messages' image, Converse's image blocks} */
    private static int images(String body) {
        return (int) IMAGE.matcher(body).results().count();
    }

    private static final java.util.regex.Pattern IMAGE =
            java.util.regex.Pattern.compile("\"type\"\\s*:\\s*\"image(_url)?\"|\"image\"\\s*:\\s*\\{");

    private static FakeResponse words(String text) {
        return FakeResponse.answer().text(split(text).toArray(String[]::new));
    }

    /** The text in deltas of one word each, its spaces kept, so that they join into it. */
    private static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                words.add(text.substring(start, i));
                start = i;
            }
        }
        return words;
    }

    /** What the answers depend on, from either wire format. */
    private record Conversation(
            String system,
            String prompt,
            List<String> tools,
            List<String> toolResults,
            boolean format,
            Integer maxTokens,
            boolean stops) {

        @SuppressWarnings("unchecked")
        static Conversation of(RecordedRequest r) {
            if (r.path().endsWith("/converse-stream")) return converse(r);
            boolean anthropic = r.path().startsWith("/v1/messages");
            List<Map<String, Object>> messages = (List<Map<String, Object>>) r.json("/messages");
            String system = anthropic ? Objects.toString(r.json("/system"), "") : "";
            String prompt = "";
            List<String> results = new ArrayList<>();
            for (Map<String, Object> m : messages) {
                String role = (String) m.get("role");
                if ("system".equals(role)) system = text(m.get("content"));
                if ("user".equals(role)) prompt = text(m.get("content"));
                if ("tool".equals(role)) results.add(text(m.get("content")));
                if (!"tool".equals(role)) results.clear();
                if (anthropic && m.get("content") instanceof List<?> blocks) {
                    for (Object b : blocks) {
                        if (b instanceof Map<?, ?> block && "tool_result".equals(block.get("type")))
                            results.add(text(block.get("content")));
                    }
                }
            }
            List<String> tools = new ArrayList<>();
            if (r.json("/tools") instanceof List<?> list) {
                for (Object t : list) {
                    Map<String, Object> tool = (Map<String, Object>) t;
                    tools.add((String)
                            (anthropic ? tool.get("name") : ((Map<String, Object>) tool.get("function")).get("name")));
                }
            }
            boolean format = r.json(anthropic ? "/output_config/format" : "/response_format") != null;
            Object max = r.json(anthropic ? "/max_tokens" : "/max_completion_tokens");
            boolean stops = r.json(anthropic ? "/stop_sequences" : "/stop") != null;
            return new Conversation(
                    system, prompt, tools, results, format, max == null ? null : ((Number) max).intValue(), stops);
        }

        /** Bedrock's Converse: system and content as blocks, tools under toolConfig, limits under inferenceConfig. */
        @SuppressWarnings("unchecked")
        private static Conversation converse(RecordedRequest r) {
            String system = text(r.json("/system"));
            String prompt = "";
            List<String> results = new ArrayList<>();
            for (Map<String, Object> m : (List<Map<String, Object>>) r.json("/messages")) {
                if ("user".equals(m.get("role"))) {
                    results.clear();
                    String text = text(m.get("content"));
                    if (!text.isEmpty()) prompt = text;
                    for (Object b : (List<Object>) m.get("content")) {
                        if (b instanceof Map<?, ?> block && block.get("toolResult") instanceof Map<?, ?> result) {
                            StringBuilder t = new StringBuilder();
                            for (Object c : (List<Object>) result.get("content")) {
                                if (c instanceof Map<?, ?> part)
                                    t.append(
                                            part.get("text") instanceof String s
                                                    ? s
                                                    : String.valueOf(part.get("json")));
                            }
                            results.add(t.toString());
                        }
                    }
                } else {
                    results.clear();
                }
            }
            List<String> tools = new ArrayList<>();
            if (r.json("/toolConfig/tools") instanceof List<?> list) {
                for (Object t : list)
                    tools.add((String) ((Map<String, Object>) ((Map<String, Object>) t).get("toolSpec")).get("name"));
            }
            Object max = r.json("/inferenceConfig/maxTokens");
            return new Conversation(
                    system,
                    prompt,
                    tools,
                    results,
                    r.json("/outputConfig/textFormat") != null,
                    max == null ? null : ((Number) max).intValue(),
                    r.json("/inferenceConfig/stopSequences") != null);
        }

        private static String text(Object content) {
            if (content instanceof String s) return s;
            StringBuilder text = new StringBuilder();
            if (content instanceof List<?> blocks) {
                for (Object b : blocks) {
                    if (b instanceof Map<?, ?> block && block.get("text") instanceof String t) text.append(t);
                }
            }
            return text.toString();
        }
    }
}
