package dev.sluice.gemini;

import dev.sluice.RetryPolicy;
import dev.sluice.stream.StreamController;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A client of Google's Gemini API: {@code POST {baseUrl}/v1beta/models/{model}:streamGenerateContent?alt=sse}.
 */
public final class GeminiClient implements AutoCloseable {
    /** The {@link dev.sluice.ApiException#errorType()} of a blocked prompt. */
    public static final String PROMPT_BLOCKED = "prompt_blocked";
    /** The default base URL, without the version path. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://generativelanguage.googleapis.com");
    /** The environment variable holding the API key. */
    public static final String API_KEY_ENV = "GEMINI_API_KEY";
    /** The environment variable holding the base URL. */
    public static final String BASE_URL_ENV = "GEMINI_BASE_URL";

    private final String apiKey;
    private final URI baseUrl;

    private GeminiClient(Builder b) {
        this.apiKey = b.apiKey;
        this.baseUrl = b.baseUrl;
    }

    /** {@return the URI of a model's streaming endpoint} */
    static URI streamUri(URI baseUrl, String model) {
        String m = model.startsWith("models/") ? model.substring("models/".length()) : model;
        if (m.isBlank()) throw new IllegalArgumentException("model must not be blank");
        String path = URLEncoder.encode(m, StandardCharsets.UTF_8).replace("+", "%20");
        String base = baseUrl.toString();
        if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        return URI.create(base + "/v1beta/models/" + path + ":streamGenerateContent?alt=sse");
    }

    @Override
    public void close() {
    }

    /** {@return a builder with the defaults; the API key is required} */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link GeminiClient}. */
    public static final class Builder {
        private String apiKey;
        private URI baseUrl = DEFAULT_BASE_URL;

        private Builder() {}
    }
}
