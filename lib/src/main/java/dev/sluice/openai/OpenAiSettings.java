package dev.sluice.openai;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The argument checks of {@link OpenAiClient.Builder}, kept apart to keep the public class short. Stateless. */
final class OpenAiSettings {
    private OpenAiSettings() {}

    static String apiKey(String key) {
        Objects.requireNonNull(key, "apiKey");
        if (key.isBlank()) throw new IllegalArgumentException("apiKey must not be blank");
        if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("apiKey contains a control character (a line break?)");
        }
        return key.strip();
    }

    static URI baseUrl(String url, String name) {
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
                    + OpenAiClient.DEFAULT_BASE_URL + ": " + url);
        }
        if (uri.getRawUserInfo() != null) throw new IllegalArgumentException(name + " must not contain user info");
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(name + " must not have a query or fragment: " + url);
        }
        return uri;
    }

    static String token(String value, String name) {
        Objects.requireNonNull(value, name);
        String v = value.strip();
        if (v.isEmpty()) throw new IllegalArgumentException(name + " must not be blank");
        if (v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) throw new IllegalArgumentException(name + " contains a control character");
        return v;
    }

    static void header(Map<String, String> headers, Set<String> reserved, String name, String value) {
        Objects.requireNonNull(name, "header name");
        Objects.requireNonNull(value, "the value of header " + name);
        if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
            throw new IllegalArgumentException("invalid header name: " + name);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (reserved.contains(lower)) {
            throw new IllegalArgumentException("header " + name + " is set by the client; use apiKey(..), organization(..) "
                    + "or project(..) for the OpenAI headers");
        }
        if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            throw new IllegalArgumentException("the value of header " + name + " contains a line break or NUL");
        }
        headers.put(lower, value);
    }

    static HttpClient httpClient(HttpClient client) {
        Objects.requireNonNull(client, "httpClient");
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("httpClient follows redirects (" + client.followRedirects()
                    + "); build it with followRedirects(HttpClient.Redirect.NEVER) so the API key never travels"
                    + " to another host");
        }
        return client;
    }

    static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
        return d;
    }
}
