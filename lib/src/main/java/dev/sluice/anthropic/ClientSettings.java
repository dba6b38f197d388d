package dev.sluice.anthropic;

import dev.sluice.RetryPolicy;
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of an {@link AnthropicClient} and their checks, for {@link AnthropicClient.Builder}
 * (kept apart to keep the public class short). Not thread-safe, like the builder.
 */
final class ClientSettings {
    private static final Set<String> RESERVED = Set.of("x-api-key", "anthropic-version", "anthropic-beta",
            "content-type", "accept");

    String apiKey;
    URI baseUrl = URI.create(AnthropicClient.DEFAULT_BASE_URL);
    String anthropicVersion = AnthropicClient.DEFAULT_ANTHROPIC_VERSION;
    final List<String> betas = new ArrayList<>();
    final Map<String, String> headers = new LinkedHashMap<>();
    HttpClient httpClient;
    Duration connectTimeout;
    RetryPolicy retryPolicy = RetryPolicy.defaults();
    StreamController streamDefaults = StreamController.defaults();
    int queueCapacity = EventStream.Builder.DEFAULT_CAPACITY;
    SseLimits sseLimits = SseLimits.defaults();
    Duration requestTimeout = AnthropicClient.DEFAULT_REQUEST_TIMEOUT;

    void setApiKey(String key) {
        Objects.requireNonNull(key, "apiKey");
        if (key.isBlank()) throw new IllegalArgumentException("apiKey must not be blank");
        if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("apiKey contains a control character (a line break?)");
        }
        this.apiKey = key.strip();
    }

    void setBaseUrl(String url, String name) {
        Objects.requireNonNull(url, name);
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " is not a valid URI: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException(name + " must be an absolute http or https URL with a host, such as "
                    + AnthropicClient.DEFAULT_BASE_URL + ": " + url);
        }
        if (uri.getRawUserInfo() != null) throw new IllegalArgumentException(name + " must not contain user info");
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(name + " must not have a query or fragment: " + url);
        }
        this.baseUrl = uri;
    }

    void setAnthropicVersion(String version) {
        this.anthropicVersion = token(version, "anthropicVersion");
    }

    void addBetas(String... names) {
        Objects.requireNonNull(names, "betas");
        for (String b : names) {
            String t = token(b, "beta");
            if (t.contains(",")) throw new IllegalArgumentException("a beta name must not contain a comma: " + t);
            if (!betas.contains(t)) betas.add(t);
        }
    }

    void addHeader(String name, String value) {
        Objects.requireNonNull(name, "header name");
        Objects.requireNonNull(value, "the value of header " + name);
        if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
            throw new IllegalArgumentException("invalid header name: " + name);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (RESERVED.contains(lower)) {
            throw new IllegalArgumentException("header " + name + " is set by the client; use apiKey(..), "
                    + "anthropicVersion(..) or beta(..) for the Anthropic headers");
        }
        if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            throw new IllegalArgumentException("the value of header " + name + " contains a line break or NUL");
        }
        headers.keySet().removeIf(k -> k.equalsIgnoreCase(name));
        headers.put(lower, value);
    }

    void setHttpClient(HttpClient client) {
        Objects.requireNonNull(client, "httpClient");
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("httpClient follows redirects (" + client.followRedirects()
                    + "); build it with followRedirects(HttpClient.Redirect.NEVER) so the API key never travels"
                    + " to another host");
        }
        this.httpClient = client;
    }

    void setConnectTimeout(Duration timeout) { this.connectTimeout = positive(timeout, "connectTimeout"); }

    void setRetryPolicy(RetryPolicy policy) { this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy"); }

    void setStreamDefaults(StreamController template) {
        this.streamDefaults = Objects.requireNonNull(template, "streamDefaults");
    }

    void setQueueCapacity(int events) {
        if (events <= 0) throw new IllegalArgumentException("queueCapacity must be positive: " + events);
        this.queueCapacity = events;
    }

    void setSseLimits(SseLimits limits) { this.sseLimits = Objects.requireNonNull(limits, "sseLimits"); }

    void setRequestTimeout(Duration timeout) { this.requestTimeout = positive(timeout, "requestTimeout"); }

    void readEnv(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        String key = env.get("ANTHROPIC_API_KEY");
        if (key != null && !key.isBlank()) setApiKey(key);
        String url = env.get("ANTHROPIC_BASE_URL");
        if (url != null && !url.isBlank()) setBaseUrl(url, "ANTHROPIC_BASE_URL");
    }

    ClientSettings validated() {
        if (apiKey == null) throw new IllegalStateException("apiKey is required: call apiKey(..) or set ANTHROPIC_API_KEY");
        if (httpClient != null && connectTimeout != null) {
            throw new IllegalStateException("connectTimeout applies only to the HttpClient the client creates; "
                    + "set it on the HttpClient passed to httpClient(..) instead");
        }
        return this;
    }

    /** {@return {@code <baseUrl>/v1/messages}, keeping a path prefix of the base URL} */
    URI endpoint() {
        String s = baseUrl.toString();
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        return URI.create(s + "/v1/messages");
    }

    String describe() {
        return "baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "(not set)" : "(hidden)")
                + ", anthropicVersion=" + anthropicVersion + (betas.isEmpty() ? "" : ", betas=" + betas);
    }

    private static String token(String value, String name) {
        Objects.requireNonNull(value, name);
        String v = value.strip();
        if (v.isEmpty()) throw new IllegalArgumentException(name + " must not be blank");
        if (v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(name + " contains a control character: " + v);
        }
        return v;
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
        return d;
    }
}
