package dev.sluice.openai;

import dev.sluice.chat.ProviderState;
import dev.sluice.internal.low.json.Json;
import dev.sluice.internal.low.json.JsonOut;
import dev.sluice.internal.low.value.StringParts;
import dev.sluice.internal.low.value.TextView;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The reasoning of one Chat Completions message as OpenAI-compatible servers stream it, joined:
 * {@code reasoning_content} and {@code reasoning} pieces appended (each kept under its own name),
 * {@code reasoning_details} entries merged as OpenRouter streams them: an entry with the same
 * {@code type} and {@code index} as the last one continues it ({@code text}, {@code summary} and
 * {@code data} appended, any other field such as {@code signature}, {@code id} or {@code format}
 * taken when it arrives); any other entry, of a type unknown here too, is kept whole and in order.
 * Opaque strings ({@code signature}, {@code data}) are never changed.
 *
 * <p>Also the {@link ProviderState} of such a message: a JSON object with the fields that arrived
 * ({@code reasoning_content}, {@code reasoning}, {@code reasoning_details}), which the request
 * mapper writes back on the assistant message under the same names.
 *
 * <p>Threading: not thread-safe; its owner guards it.
 */
final class CompatibleReasoning {
    private static final List<String> APPENDED = List.of("text", "summary", "data");

    private @Nullable StringParts reasoningContent;
    private @Nullable StringParts reasoning;
    private final List<Entry> details = new ArrayList<>();

    /** {@return the visible reasoning text of one delta: its {@code reasoning_content}, else its {@code reasoning}, else the text and summaries of its details} */
    static String thinking(ChatCompletionChunk.Delta d) {
        if (d.reasoningContent() != null && !d.reasoningContent().isEmpty()) return d.reasoningContent();
        if (d.reasoning() != null && !d.reasoning().isEmpty())
            return d.reasoning(); // a server that sends both sends the same text
        if (d.reasoningDetails().isEmpty()) return "";
        StringBuilder sb = new StringBuilder();
        for (Object o : d.reasoningDetails()) {
            if (!(o instanceof Map<?, ?> m)) continue;
            Object type = m.get("type");
            if ("reasoning.text".equals(type) && m.get("text") instanceof String s) sb.append(s);
            else if ("reasoning.summary".equals(type) && m.get("summary") instanceof String s) sb.append(s);
        }
        return sb.toString();
    }

    /** Adds what a delta carries. */
    void apply(ChatCompletionChunk.Delta d) {
        if (d.reasoningContent() != null)
            (reasoningContent == null ? reasoningContent = new StringParts() : reasoningContent)
                    .append(d.reasoningContent());
        if (d.reasoning() != null)
            (reasoning == null ? reasoning = new StringParts() : reasoning).append(d.reasoning());
        for (Object o : d.reasoningDetails()) {
            if (o instanceof Map<?, ?> m) merge(m);
        }
    }

    private void merge(Map<?, ?> entry) {
        Entry last = details.isEmpty() ? null : details.getLast();
        if (last == null
                || entry.get("type") == null
                || !entry.get("type").equals(last.fields.get("type"))
                || entry.get("index") == null
                || !entry.get("index").equals(last.fields.get("index"))) {
            details.add(last = new Entry());
        }
        for (Map.Entry<?, ?> f : entry.entrySet()) {
            String name = String.valueOf(f.getKey());
            Object value = f.getValue();
            StringParts before = last.appended.get(name);
            if (before != null && value instanceof String s) {
                before.append(s);
            } else if (value instanceof String s && APPENDED.contains(name)) {
                last.fields.put(name, null); // keeps the field's place
                last.appended.put(name, new StringParts(s));
            } else if (value != null || !last.fields.containsKey(name)) {
                last.fields.put(name, value);
            }
        }
    }

    /** One merged entry: its fields in order, the appended ones' text apart (so appending stays linear). */
    private static final class Entry {
        final Map<String, Object> fields = new LinkedHashMap<>();
        final Map<String, StringParts> appended = new LinkedHashMap<>();

        Map<String, Object> value() {
            Map<String, Object> m = new LinkedHashMap<>(fields);
            for (Map.Entry<String, StringParts> a : appended.entrySet())
                m.put(a.getKey(), a.getValue().toString());
            return Collections.unmodifiableMap(m);
        }
    }

    /** {@return whether no reasoning arrived} */
    boolean isEmpty() {
        return reasoningContent == null && reasoning == null && details.isEmpty();
    }

    /** {@return a view of the joined {@code reasoning_content} as it is now, or null when none arrived} */
    @Nullable
    TextView reasoningContentView() {
        return reasoningContent == null ? null : reasoningContent.view();
    }

    /** {@return a view of the joined {@code reasoning} as it is now, or null when none arrived} */
    @Nullable
    TextView reasoningView() {
        return reasoning == null ? null : reasoning.view();
    }

    /** {@return the joined {@code reasoning_content}, or null when none arrived} */
    @Nullable
    String reasoningContent() {
        return reasoningContent == null ? null : reasoningContent.toString();
    }

    /** {@return the joined {@code reasoning}, or null when none arrived} */
    @Nullable
    String reasoning() {
        return reasoning == null ? null : reasoning.toString();
    }

    /** {@return the merged {@code reasoning_details}, an immutable copy} */
    List<Object> details() {
        List<Object> copy = new ArrayList<>(details.size());
        for (Entry e : details) copy.add(e.value());
        return Collections.unmodifiableList(copy);
    }

    /** {@return the provider state of the message: the fields that arrived, as a JSON object} */
    ProviderState state(String provider) {
        JsonOut out = new JsonOut();
        out.writeStartObject();
        if (reasoningContent != null) out.writeStringField("reasoning_content", reasoningContent.toString());
        if (reasoning != null) out.writeStringField("reasoning", reasoning.toString());
        if (!details.isEmpty()) {
            out.writeFieldName("reasoning_details");
            out.writeValue(details());
        }
        out.writeEndObject();
        return new ProviderState(provider, out.toString());
    }

    /**
     * {@return the fields of a state this mapper wrote, to write back on the assistant message}
     * Empty when the data is not such an object (a state of another release, say): nothing is
     * guessed.
     */
    static Map<String, Object> echo(ProviderState state) {
        Object value;
        try {
            value = Json.readValue(state.data());
        } catch (IOException e) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> m)) return Map.of();
        Map<String, Object> fields = new LinkedHashMap<>();
        if (m.get("reasoning_content") instanceof String s) fields.put("reasoning_content", s);
        if (m.get("reasoning") instanceof String s) fields.put("reasoning", s);
        if (m.get("reasoning_details") instanceof List<?> l) fields.put("reasoning_details", l);
        return Collections.unmodifiableMap(fields);
    }
}
