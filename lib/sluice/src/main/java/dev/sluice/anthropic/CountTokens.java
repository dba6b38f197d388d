package dev.sluice.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.ProtocolException;
import dev.sluice.internal.low.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The body and the answer of {@code POST /v1/messages/count_tokens}.
 * Stateless.
 */
final class CountTokens {
    /** The fields of a message request that count_tokens refuses. */
    private static final List<String> NOT_COUNTED =
            List.of("max_tokens", "stream", "temperature", "top_p", "top_k", "stop_sequences", "metadata");

    private CountTokens() {}

    /** {@return the request's JSON without the fields count_tokens refuses} */
    @SuppressWarnings("unchecked")
    static String body(MessageRequest request) {
        Map<String, Object> body;
        try {
            body = new LinkedHashMap<>((Map<String, Object>) Json.readValue(RequestJson.write(request, false)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the request's own JSON could not be read back", e); // a bug
        }
        NOT_COUNTED.forEach(body::remove);
        return Json.write(body);
    }

    /**
     * {@return the {@code input_tokens} of the answer}
     *
     * @throws ProtocolException if the answer is not JSON or has no such count
     */
    static long inputTokens(String answer, @Nullable String requestId) {
        Object parsed;
        try {
            parsed = Json.readValue(answer);
        } catch (JsonProcessingException e) {
            throw (ProtocolException) new ProtocolException(
                            "count_tokens answered with something that is not JSON: " + Json.truncate(answer, 200), e)
                    .initContext(requestId, null);
        }
        if (parsed instanceof Map<?, ?> m && m.get("input_tokens") instanceof Number n && n.longValue() >= 0) {
            return n.longValue();
        }
        throw (ProtocolException) new ProtocolException(
                        "count_tokens answered without an input_tokens count: " + Json.truncate(answer, 200), null)
                .initContext(requestId, null);
    }
}
