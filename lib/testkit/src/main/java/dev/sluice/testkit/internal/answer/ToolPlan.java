package dev.sluice.testkit.internal.answer;

import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.internal.json.ObjectNode;
import dev.sluice.testkit.internal.wire.FakeRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Which tools the fake model calls, and with what, when a request offers tools (and its last user
 * turn is not tool results). The first rule that applies wins:
 * <ol>
 *   <li>directives in the prompt, {@code [[call NAME ARGS]]}, one call each, in order: the tool NAME
 *       (offered or not) with ARGS as the arguments' JSON text exactly, valid or not (for tests of
 *       unknown tools and bad arguments; Gemini, which sends arguments as an object, sends ARGS
 *       parsed, or {@code {}} when ARGS is not a JSON object);
 *   <li>the prompt says {@code call NAME with {JSON}} (NAME possibly in quotes or backticks) and a
 *       tool named NAME is offered: a call of it with that JSON object as the arguments, its text
 *       exactly as written (so that a test or a demo can drive any tool, an MCP server's say, with
 *       the arguments it chooses); one call per such phrase, in order. A phrase naming a tool not
 *       offered, or whose JSON is not a whole JSON object, is not a call;
 *   <li>the prompt mentions weather and a tool named {@code get_weather} is offered: one call per
 *       city (the capitalised words that do not start a sentence; none: the prompt's topic word),
 *       its input built from the tool's schema with the city as every string; and, with it or
 *       alone, when the prompt mentions counting and a tool named {@code count_slowly} is offered:
 *       {@code {"n": N}}, N the first number in the prompt (default 3, at most 20);
 *   <li>the prompt mentions a tool by its name (a word of its own, in any case, maybe plural: "Read
 *       README.md" calls a tool named {@code Read}, "Credit" does not call {@code Edit}), or the word
 *       "tool": the first tool offered that it names (else the first offered), its input built from
 *       its schema and the prompt;
 *   <li>otherwise none: the fake model answers in text, as a real one does when nothing calls for a tool.
 * </ol>
 * Rules 3 and 4 read the prompt without the context an agent adds to it ({@code <system-reminder>}
 * blocks: Claude Code's project notes, git status and tool lists), and never choose a sub-agent tool
 * (Claude Code's {@code Task} and {@code Agent}, any tool whose name holds "agent", such as Codex's
 * {@code spawn_agent}): only rules 1 and 2 call those, when the prompt names them explicitly. A call
 * the conversation already holds a tool result for (the same tool with the same input) is not made
 * again, so a turn ends with a text answer. A tool choice of none calls nothing; one that requires a
 * call ({@code any}, {@code required}, {@code ANY}) calls the first tool offered that is not a
 * sub-agent's (else the first) when no rule applies. (A tool choice that names a tool is a structured
 * answer, {@link ObjectAnswer}'s.)
 */
public final class ToolPlan {
    private static final Pattern DIRECTIVE = Pattern.compile("\\[\\[call ([A-Za-z0-9_-]+) ?(.*?)]]");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,6}");
    private static final Pattern AGENT_CONTEXT = Pattern.compile("(?s)<system-reminder>.*?</system-reminder>");
    private static final Pattern CALL_WITH =
            Pattern.compile("(?i)\\bcall\\s+[`'\"]?([A-Za-z0-9_.:-]+)[`'\"]?\\s+with\\s+(?=\\{)");

    /** A call to make: the input object (for wires that send objects) and the arguments text as streamed. */
    public record Call(String name, ObjectNode input, String arguments) {}

    private ToolPlan() {}

    /**
     * {@return the calls the fake model makes for this request, in order; empty for a text answer}
     *
     * @param request a request that offers at least one tool
     */
    public static List<Call> of(FakeRequest request) {
        if (request.toolChoice().kind() == FakeRequest.ToolChoice.Kind.NONE) return List.of();
        List<Call> calls = new ArrayList<>(chosen(request));
        calls.removeIf(
                c -> request.answeredCalls().contains(new FakeRequest.Answered(c.name(), Json.write(c.input()))));
        if (calls.isEmpty() && request.toolChoice().kind() == FakeRequest.ToolChoice.Kind.ANY) {
            FakeRequest.Tool first = request.tools().stream()
                    .filter(t -> !subAgent(t))
                    .findFirst()
                    .orElse(request.tools().getFirst());
            return List.of(call(first.name(), SampleToolInput.of(first.inputSchema(), said(request.prompt()))));
        }
        return calls;
    }

    /** {@return whether the prompt names the tool as a word of its own, in any case, maybe plural ("lookups")} */
    private static boolean mentions(String prompt, String name) {
        return Pattern.compile(
                        "(?<![\\p{L}\\p{N}_])" + Pattern.quote(name) + "(?:e?s)?(?![\\p{L}\\p{N}_])",
                        Pattern.CASE_INSENSITIVE)
                .matcher(prompt)
                .find();
    }

    /** {@return whether a tool starts a sub-agent: Claude Code's Task or Agent, a name that holds "agent"} */
    private static boolean subAgent(FakeRequest.Tool tool) {
        String name = tool.name().toLowerCase(Locale.ROOT);
        return name.equals("task") || name.contains("agent");
    }

    /** {@return the prompt without the context an agent adds to it: its {@code <system-reminder>} blocks} */
    private static String said(String prompt) {
        return AGENT_CONTEXT.matcher(prompt).replaceAll(" ").strip();
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
        Matcher with = CALL_WITH.matcher(prompt);
        while (with.find()) {
            FakeRequest.Tool tool = offered(request, with.group(1));
            String json = objectAt(prompt, with.end());
            if (tool == null || json == null) continue;
            try {
                if (Json.parse(json) instanceof ObjectNode input) calls.add(new Call(tool.name(), input, json));
            } catch (Exception e) {
                // not JSON after all: not a call
            }
        }
        if (!calls.isEmpty()) return calls;
        prompt = said(prompt);
        String lower = prompt.toLowerCase(Locale.ROOT);
        FakeRequest.Tool weather = offered(request, "get_weather");
        if (lower.contains("weather") && weather != null) {
            List<String> cities = PlannedTexts.capitalisedWords(prompt);
            if (cities.isEmpty()) cities = List.of(PlannedTexts.topicWord(prompt));
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
            if (!subAgent(t) && mentions(prompt, t.name())) {
                named = t;
                break;
            }
        }
        if (named == null && lower.contains("tool")) {
            named = request.tools().stream()
                    .filter(t -> !subAgent(t))
                    .findFirst()
                    .orElse(null);
        }
        if (named == null) return List.of();
        return List.of(call(named.name(), SampleToolInput.of(named.inputSchema(), prompt)));
    }

    /** {@return the text of the JSON object that starts at {@code start} (its braces balanced, strings skipped), or null} */
    private static @Nullable String objectAt(String text, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return text.substring(start, i + 1);
            }
        }
        return null;
    }

    private static Call call(String name, ObjectNode input) {
        return new Call(name, input, Json.write(input));
    }

    private static FakeRequest.@Nullable Tool offered(FakeRequest request, String name) {
        for (FakeRequest.Tool t : request.tools()) if (t.name().equals(name)) return t;
        return null;
    }
}
