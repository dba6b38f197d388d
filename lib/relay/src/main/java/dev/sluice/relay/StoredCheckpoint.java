package dev.sluice.relay;

import dev.sluice.agent.TurnCheckpoint;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolResult;
import dev.sluice.chat.Usage;
import dev.sluice.relay.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A tool run's {@link TurnCheckpoint} as the shared store keeps it, among the stream's task handles
 * under the key {@value #KEY} (no call's id is empty): JSON of the turn, the run's usage so far
 * (so that the node going on with the run reports the whole run's in {@code done}), the model, the
 * system prompt, the token limit and the conversation (each message's role, text, tool calls, tool
 * results and provider state). A checkpoint kept without usage (by a node of an earlier version)
 * reads as none used so far. A relayed stream's request carries nothing else ({@link StartRequest}); a
 * checkpoint with more (the request's own tools, sampling, images) or longer than its bound is not
 * kept, and the stream then ends after its tasks as it did before checkpoints. It holds the
 * conversation and nothing of the relay's or the provider's credentials; it is read by the relay
 * nodes alone, never sent to a client.
 */
final class StoredCheckpoint {
    /** The key of a run's checkpoint among its stream's task handles. */
    static final String KEY = "";

    private StoredCheckpoint() {}

    /** {@return the checkpoint's JSON, or null when it holds what is not kept or is longer than maxChars} */
    static @Nullable String encode(TurnCheckpoint checkpoint, long maxChars) {
        ChatRequest r = checkpoint.request();
        if (!r.tools().isEmpty()
                || r.temperature() != null
                || !r.stopSequences().isEmpty()
                || r.thinkingBudget() != null
                || r.responseFormat() != null
                || r.toolChoice() != null
                || r.effort() != null
                || r.promptCache() != null) return null;
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("turn", (long) checkpoint.turn());
        Usage u = checkpoint.usage();
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("input", u.inputTokens());
        usage.put("output", u.outputTokens());
        usage.put("cacheRead", u.cacheReadTokens());
        usage.put("cacheWrite", u.cacheWriteTokens());
        o.put("usage", usage);
        o.put("model", r.model());
        o.put("system", r.system());
        if (r.maxTokens() != null) o.put("maxTokens", (long) r.maxTokens());
        List<Object> messages = new ArrayList<>();
        for (ChatMessage m : r.messages()) {
            if (!m.images().isEmpty() || !m.documents().isEmpty() || !m.files().isEmpty() || m.cacheMark()) return null;
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("role", m.role() == ChatMessage.Role.USER ? "user" : "assistant");
            message.put("text", m.text());
            List<Object> calls = new ArrayList<>();
            for (ToolCall c : m.toolCalls()) {
                calls.add(
                        Map.of("index", (long) c.index(), "id", c.id(), "name", c.name(), "arguments", c.arguments()));
            }
            if (!calls.isEmpty()) message.put("calls", calls);
            List<Object> results = new ArrayList<>();
            for (ToolResult t : m.toolResults()) {
                if (!t.images().isEmpty()) return null;
                results.add(Map.of("id", t.toolCallId(), "content", t.content(), "error", t.isError()));
            }
            if (!results.isEmpty()) message.put("results", results);
            ProviderState state = m.providerState();
            if (state != null) {
                message.put(
                        "state",
                        Map.of(
                                "provider",
                                state.provider(),
                                "data",
                                state.data(),
                                "route",
                                List.copyOf(state.route())));
            }
            messages.add(message);
        }
        o.put("messages", messages);
        String json = Json.write(o);
        return json.length() <= maxChars ? json : null;
    }

    /** {@return the checkpoint a stored text holds, or null when it is not one this node reads} */
    static @Nullable TurnCheckpoint decode(@Nullable String json) {
        if (json == null) return null;
        Map<?, ?> o = Json.object(json);
        if (o == null) return null;
        try {
            List<ChatMessage> messages = new ArrayList<>();
            for (Map<?, ?> m : objects(o.get("messages"))) {
                List<ToolCall> calls = new ArrayList<>();
                for (Map<?, ?> c : objects(m.get("calls"))) {
                    calls.add(ToolCall.of(
                            Math.toIntExact(number(c, "index")), text(c, "id"), text(c, "name"), text(c, "arguments")));
                }
                List<ToolResult> results = new ArrayList<>();
                for (Map<?, ?> t : objects(m.get("results"))) {
                    if (!(t.get("error") instanceof Boolean error)) throw new IllegalArgumentException("error");
                    results.add(new ToolResult(text(t, "id"), text(t, "content"), error));
                }
                ProviderState state = null;
                if (m.get("state") instanceof Map<?, ?> s) {
                    List<String> route = new ArrayList<>();
                    if (!(s.get("route") instanceof List<?> names)) throw new IllegalArgumentException("route");
                    for (Object name : names) route.add(String.valueOf(name));
                    state = new ProviderState(text(s, "provider"), text(s, "data"), route);
                }
                messages.add(new ChatMessage(
                        text(m, "role").equals("user") ? ChatMessage.Role.USER : ChatMessage.Role.ASSISTANT,
                        text(m, "text"),
                        calls,
                        results,
                        state));
            }
            Integer maxTokens = o.get("maxTokens") == null ? null : Math.toIntExact(number(o, "maxTokens"));
            Usage usage = Usage.of(0, 0);
            if (o.get("usage") != null) {
                if (!(o.get("usage") instanceof Map<?, ?> u)) throw new IllegalArgumentException("usage");
                usage = new Usage(
                        number(u, "input"), number(u, "output"), number(u, "cacheRead"), number(u, "cacheWrite"));
            }
            return new TurnCheckpoint(
                    new ChatRequest(
                            text(o, "model"),
                            text(o, "system"),
                            messages,
                            List.of(),
                            maxTokens,
                            null,
                            List.of(),
                            null,
                            null,
                            null,
                            null),
                    Math.toIntExact(number(o, "turn")),
                    usage);
        } catch (RuntimeException e) { // a member missing or of another type: a newer node's, or damaged
            return null;
        }
    }

    private static String text(Map<?, ?> object, String name) {
        if (object.get(name) instanceof String s) return s;
        throw new IllegalArgumentException(name);
    }

    private static long number(Map<?, ?> object, String name) {
        if (object.get(name) instanceof Long n) return n;
        throw new IllegalArgumentException(name);
    }

    private static List<Map<?, ?>> objects(@Nullable Object value) {
        List<Map<?, ?>> out = new ArrayList<>();
        if (value == null) return out;
        if (!(value instanceof List<?> list)) throw new IllegalArgumentException("not a list");
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> m)) throw new IllegalArgumentException("not an object");
            out.add(m);
        }
        return out;
    }
}
