package dev.sluice.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice serve --token T}, as the command line runs it (the embedded fake model answering):
 * the token mints keys at {@code /v1/keys}, in memory; a key answers on the Messages door as
 * Claude Code sends it ({@code x-api-key}) until its budget is spent, then a 429 in Anthropic's
 * shape; the access log on stderr names the key's id, never the key.
 */
class ServeKeysTest {
    private static final String TOKEN = "serve-keys-token-0123456789";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void serve_token_mintsKeys_keyAnswersThenRefusedAs429_logNamesItsId() throws Exception {
        try (RunningServe serve = RunningServe.start(Map.of(), "--token", TOKEN)) {
            URI base = serve.uri();
            String models = send(base, "GET", "/v1/models", null, "Authorization", "Bearer " + TOKEN)
                    .body();
            Matcher first = Pattern.compile("\"id\":\"([^\"]+/[^\"]+)\"").matcher(models);
            assertTrue(first.find(), models);
            String model = first.group(1);

            HttpResponse<String> minted = send(
                    base,
                    "POST",
                    "/v1/keys",
                    "{\"name\":\"claude code\",\"models\":[\"" + model + "\"],\"max_tokens_total\":1}",
                    "Authorization",
                    "Bearer " + TOKEN);
            assertEquals(201, minted.statusCode(), minted.body());
            String id = group("\"id\":\"(key_[A-Za-z0-9]+)\"", minted.body());
            String secret = group("\"key\":\"(sk-sluice-[A-Za-z0-9]+)\"", minted.body());

            String body = "{\"model\":\"" + model + "\",\"max_tokens\":64,\"stream\":true,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
            HttpResponse<String> answered =
                    send(base, "POST", "/v1/messages", body, "x-api-key", secret, "anthropic-version", "2023-06-01");
            assertEquals(200, answered.statusCode(), answered.body());
            await().atMost(Duration.ofSeconds(10)).until(() -> serve.err().contains("key=" + id));
            HttpResponse<String> spent =
                    send(base, "POST", "/v1/messages", body, "x-api-key", secret, "anthropic-version", "2023-06-01");
            assertEquals(429, spent.statusCode(), spent.body());
            assertTrue(
                    spent.body().startsWith("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\""),
                    spent.body());
            assertFalse(serve.err().contains(secret), "the key is never logged");
        }
    }

    @Test
    void serve_noToken_noKeys404() throws Exception {
        try (RunningServe serve = RunningServe.start(Map.of())) {
            HttpResponse<String> r = send(serve.uri(), "POST", "/v1/keys", "{\"name\":\"x\"}");
            assertEquals(404, r.statusCode(), r.body());
        }
    }

    private static String group(String pattern, String text) {
        Matcher m = Pattern.compile(pattern).matcher(text);
        assertTrue(m.find(), text);
        return m.group(1);
    }

    private static HttpResponse<String> send(URI base, String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
