package dev.sluice.testkit.internal.http;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * HTTP headers by name, case-insensitive (kept in lower case), each with its values in order: a
 * request's or a response's. The methods are those of the JDK's {@code com.sun.net.httpserver.Headers},
 * which the handler was first written against. Not thread-safe; each belongs to one exchange.
 */
public final class Headers extends AbstractMap<String, List<String>> {
    private final Map<String, List<String>> byName = new LinkedHashMap<>();

    /** {@return the first value of the header, or null} */
    @Nullable
    public String getFirst(String name) {
        List<String> values = byName.get(key(name));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** Sets the header to this one value, replacing any. */
    public void set(String name, String value) {
        byName.put(key(name), new ArrayList<>(List.of(Objects.requireNonNull(value, "value"))));
    }

    /** Adds a value to the header. */
    void add(String name, String value) {
        byName.computeIfAbsent(key(name), k -> new ArrayList<>()).add(Objects.requireNonNull(value, "value"));
    }

    @Override
    public @Nullable List<String> get(Object name) {
        return name instanceof String s ? byName.get(key(s)) : null;
    }

    @Override
    public boolean containsKey(Object name) {
        return name instanceof String s && byName.containsKey(key(s));
    }

    /** {@return the headers, read-only} */
    @Override
    public Set<Map.Entry<String, List<String>>> entrySet() {
        return Collections.unmodifiableMap(byName).entrySet();
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
