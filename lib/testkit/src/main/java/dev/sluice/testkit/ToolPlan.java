package dev.sluice.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which tools the fake model calls, and with what, when a request offers tools (and its last user
 * turn is not tool results). The first rule that applies wins:
 * <ol>
 *   <li>directives in the prompt, {@code [[call NAME ARGS]]}, one call each, in order: the tool NAME
 *       (offered or not) with ARGS as the arguments' JSON text exactly, valid or not (for tests of
 *       unknown tools and bad arguments; Gemini, which sends arguments as an object, sends ARGS
 *       parsed, or {@code {}} when ARGS is not a JSON object);
 *   <li>the prompt mentions weather and a tool named {@code get_weather} is offered: one call per
 *       city (the capitalised words that do not start a sentence; none: the prompt's topic word),
 *       its input built from the tool's schema with the city as every string; and, with it or
 *       alone, when the prompt mentions counting and a tool named {@code count_slowly} is offered:
 *       {@code {"n": N}}, N the first number in the prompt (default 3, at most 20);
 *   <li>the prompt mentions a tool by its name, or the word "tool": the first tool named (else the
 *       first offered), its input built from its schema and the prompt;
 *   <li>otherwise none: the fake model answers in text, as a real one does when nothing calls for a tool.
 * </ol>
 * A tool choice of none calls nothing; one that requires a call ({@code any}, {@code required},
 * {@code ANY}) calls the first tool offered when no rule applies. (A tool choice that names a tool is
 * a structured answer, {@link ObjectAnswer}'s.)
 */
final class ToolPlan {
    private static final Pattern DIRECTIVE = Pattern.compile("\\[\\[call ([A-Za-z0-9_-]+) ?(.*?)]]");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,6}");

    /** A call to make: the input object (for wires that send objects) and the arguments text as streamed. */
    record Call(String name, ObjectNode input, String arguments) {}

    private ToolPlan() {}

    static List<Call> of(FakeRequest request) {
        if (request.toolChoice().kind() == FakeRequest.ToolChoice.Kind.NONE) return List.of();
        List<Call> calls = chosen(request);
        if (calls.isEmpty() && request.toolChoice().kind() == FakeRequest.ToolChoice.Kind.ANY) {
            FakeRequest.Tool first = request.tools().getFirst();
            return List.of(call(first.name(), SampleToolInput.of(first.inputSchema(), request.prompt())));
        }
        return calls;
    }

    private static List<Call> chosen(FakeRequest request) {
        String prompt = request.prompt();
        List<Call> calls = new ArrayList<>();
        Matcher m = DIRECTIVE.matcher(prompt);
        while (m.find()) {
            String raw = m.group(2).strip();
            JsonNode parsed;
            try {
                parsed = raw.isEmpty() ? Json.object() : Json.parse(raw);
            } catch (Exception e) {
                parsed = null;
            }
            calls.add(new Call(m.group(1), parsed instanceof ObjectNode o ? o : Json.object(), raw));
        }
        if (!calls.isEmpty()) return calls;
        String lower = prompt.toLowerCase(Locale.ROOT);
        FakeRequest.Tool weather = offered(request, "get_weather");
        if (lower.contains("weather") && weather != null) {
            List<String> cities = Answers.capitalisedWords(prompt);
            if (cities.isEmpty()) cities = List.of(Answers.topicWord(prompt));
            for (String city : cities) calls.add(call(weather.name(), SampleToolInput.of(weather.inputSchema(), city)));
        }
        FakeRequest.Tool counter = offered(request, "count_slowly");
        if (lower.contains("count") && counter != null) {
            Matcher n = NUMBER.matcher(prompt);
            int count = n.find() ? Math.min(20, Math.max(1, Integer.parseInt(n.group()))) : 3;
            calls.add(call(counter.name(), Json.object().put("n", count)));
        }
        if (!calls.isEmpty()) return calls;
        FakeRequest.Tool named = null;
        for (FakeRequest.Tool t : request.tools()) {
            if (lower.contains(t.name().toLowerCase(Locale.ROOT))) {
                named = t;
                break;
            }
        }
        if (named == null && lower.contains("tool")) named = request.tools().getFirst();
        if (named == null) return List.of();
        return List.of(call(named.name(), SampleToolInput.of(named.inputSchema(), prompt)));
    }

    private static Call call(String name, ObjectNode input) {
        return new Call(name, input, Json.write(input));
    }

    private static FakeRequest.Tool offered(FakeRequest request, String name) {
        for (FakeRequest.Tool t : request.tools()) if (t.name().equals(name)) return t;
        return null;
    }
}
