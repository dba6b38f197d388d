package dev.sluice.benchmarks;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The least program that does what {@code sluice stream} does, for {@code cold-start.sh}: one
 * Messages API request with {@code "stream": true} through the JDK's {@code HttpClient}, each text
 * delta printed as its line arrives (found by a plain string search, no JSON parser), nothing else.
 * The baseline of a cold start: the JVM, {@code java.net.http} and a socket.
 *
 * <p>Usage: {@code ColdStartHttpClient BASE_URL PROMPT}.
 */
public final class ColdStartHttpClient {
    private static final String TEXT = "\"text_delta\",\"text\":\"";

    private ColdStartHttpClient() {}

    public static void main(String[] args) throws Exception {
        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + args[1] + "\"}]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(args[0] + "/v1/messages"))
                .header("x-api-key", "fake")
                .header("anthropic-version", "2023-06-01")
                .header("content-type", "application/json")
                .version(HttpClient.Version.HTTP_1_1) // as Sluice does on cleartext: no h2c upgrade attempt
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<InputStream> response =
                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                int at = line.indexOf(TEXT);
                if (at < 0) continue;
                int end = line.lastIndexOf("\"}");
                System.out.print(line.substring(at + TEXT.length(), end));
                System.out.flush();
            }
        }
    }
}
