package dev.sluice.testkit;

import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.json.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request as a {@link FakeLlmServer} received it: method, target, headers and body, the body
 * also parsed as JSON. Immutable and thread-safe.
 *
 * <pre>{@code
 * RecordedRequest request = server.takeRequest();
 * assertEquals("/v1/messages", request.path());
 * assertEquals("test-key", request.header("x-api-key"));
 * assertEquals("claude-sonnet-5-5", request.json("/model"));
 * assertEquals("user", request.json("/messages/0/role"));
 * }</pre>
 */
public final class RecordedRequest {
    private final String method;
    private final String target;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private volatile @Nullable JsonNode tree; // parsed on first use, once per thread at worst: the same value each time

    RecordedRequest(String method, String target, Map<String, List<String>> headers, byte[] body) {
        this.method = Objects.requireNonNull(method, "method");
        this.target = Objects.requireNonNull(target, "target");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        this.headers = Collections.unmodifiableMap(copy);
        this.body = body.clone();
    }

    /** {@return the method, such as {@code POST}} */
    public String method() {
        return method;
    }

    /** {@return the request target as sent: the path and, if any, the query} */
    public String target() {
        return target;
    }

    /** {@return the path, without the query, such as {@code /v1/messages}} */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** {@return every header, by lower-case name in the order received, each with its values in order} */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** {@return the first value of a header (the name is case-insensitive), or null when absent} */
    public @Nullable String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null ? null : values.getFirst();
    }

    /** {@return the body as UTF-8 text, empty when there was none} */
    public String body() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * {@return the body parsed as JSON, as plain Java values} Objects are {@code Map<String, Object>}
     * in their order, arrays {@code List<Object>}, strings {@code String}, booleans {@code Boolean},
     * JSON null {@code null}, and numbers {@code Integer}, {@code Long} or {@code BigInteger} (the
     * smallest that holds an integer) or {@code Double}; the collections are unmodifiable.
     *
     * @throws IllegalStateException if the body is not JSON
     */
    public @Nullable Object json() {
        return Json.toJava(tree());
    }

    /**
     * {@return the value at a JSON Pointer (RFC 6901) in the body, as {@link #json()} gives values;
     * null when there is none} For example {@code json("/messages/0/content")}; {@code ""} is the
     * whole body, {@code ~1} stands for {@code /} and {@code ~0} for {@code ~} in a name.
     *
     * @throws IllegalArgumentException if the pointer does not start with {@code /} (and is not empty)
     * @throws IllegalStateException if the body is not JSON
     */
    public @Nullable Object json(String pointer) {
        Objects.requireNonNull(pointer, "pointer");
        if (!pointer.isEmpty() && !pointer.startsWith("/")) {
            throw new IllegalArgumentException("a JSON Pointer is empty or starts with '/': " + pointer);
        }
        JsonNode at = tree();
        if (pointer.isEmpty()) return Json.toJava(at);
        for (String token : pointer.substring(1).split("/", -1)) {
            String name = token.replace("~1", "/").replace("~0", "~");
            if (at.isArray()) {
                at = name.matches("0|[1-9][0-9]{0,8}") ? at.path(Integer.parseInt(name)) : Json.missing();
            } else {
                at = at.path(name);
            }
            if (at.isMissingNode()) return null;
        }
        return Json.toJava(at);
    }

    /** {@return the parsed body, for the server} @throws IllegalStateException if it is not JSON */
    JsonNode tree() {
        JsonNode t = tree;
        if (t == null) {
            try {
                t = Json.parse(body);
            } catch (Json.Malformed e) {
                throw new IllegalStateException("the body of " + this + " is not JSON: " + e.getMessage(), e);
            }
            tree = t;
        }
        return t;
    }

    /** {@return the method, the target and the body's length, such as {@code POST /v1/messages (212 bytes)}} */
    @Override
    public String toString() {
        return method + " " + target + " (" + body.length + " bytes)";
    }
}
