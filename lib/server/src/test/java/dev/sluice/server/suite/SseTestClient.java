package dev.sluice.server.suite;

import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.sse.SseListener;
import dev.sluice.sse.SseParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A stock client of the relay's HTTP API: java.net.http, and Sluice's SSE parser on the bytes read. */
public final class SseTestClient implements AutoCloseable {
    public static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final Pattern TEXT = Pattern.compile("\"text\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    public final HttpResponse<InputStream> response;
    public final List<SseEvent> events = new ArrayList<>();
    public final List<String> comments = new ArrayList<>();
    /** The body's bytes parsed so far. */
    public long bytesRead;

    private final SseParser parser;
    private final byte[] chunk = new byte[8192]; // read from the body, parsed up to next, unparsed from next to end
    private int next;
    private int end;

    private SseTestClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.parser = new SseParser(
                SseLimits.defaults(),
                new SseListener() {
                    @Override
                    public void onEvent(SseEvent event) {
                        events.add(event);
                    }

                    @Override
                    public void onComment(String comment) {
                        comments.add(comment);
                    }
                },
                true);
    }

    public static HttpResponse<String> post(URI base, String contentType, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(base.resolve("/api/streams"))
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a start request; {@return the new stream's id} */
    public static String create(URI base, String json) throws Exception {
        HttpResponse<String> r = post(base, "application/json", json);
        if (r.statusCode() != 201) throw new AssertionError(r.statusCode() + " " + r.body());
        Matcher m = ID.matcher(r.body());
        if (!m.find()) throw new AssertionError(r.body());
        return m.group(1);
    }

    public static HttpResponse<String> delete(URI base, String id) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(base.resolve("/api/streams/" + id))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public static SseTestClient open(URI base, String id, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/api/streams/" + id + "/events"))
                .header("Accept", "text/event-stream");
        if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
        return new SseTestClient(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    /**
     * POSTs a chat of the Vercel AI SDK's transport ({@code POST /api/chat}) with one user message,
     * sending {@code cookie} (a {@code Cookie} header's value; null for none); {@link #cookie()} is
     * then the one the server set.
     */
    public static SseTestClient chat(URI base, String chatId, String prompt, String cookie) throws Exception {
        String body = "{\"id\":\"" + chatId
                + "\",\"trigger\":\"submit-message\",\"messages\":[{\"id\":\"u1\",\"role\":\"user\","
                + "\"parts\":[{\"type\":\"text\",\"text\":\"" + prompt + "\"}]}]}";
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/api/chat"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) b.header("Cookie", cookie);
        return new SseTestClient(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    /** The SDK's resume of a chat ({@code GET /api/chat/ID/stream}), sending {@code cookie} (null for none). */
    public static SseTestClient resumeChat(URI base, String chatId, String cookie) throws Exception {
        return resumeChat(HTTP, base, chatId, cookie);
    }

    /** The SDK's resume of a chat, through this client (bound to another local address, say). */
    public static SseTestClient resumeChat(HttpClient client, URI base, String chatId, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/api/chat/" + chatId + "/stream"));
        if (cookie != null) b.header("Cookie", cookie);
        return new SseTestClient(client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    /** {@return the cookie the response set, as a {@code Cookie} header sends it back ({@code NAME=VALUE}), or null} */
    public String cookie() {
        return response.headers()
                .firstValue("Set-Cookie")
                .map(c -> c.substring(0, c.indexOf(';')))
                .orElse(null);
    }

    /** {@return the rest of the body read to its end, as text: a refusal's JSON} */
    public String body() throws IOException {
        String unparsed = new String(chunk, next, end - next, StandardCharsets.UTF_8);
        next = end;
        return unparsed + new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** {@return the text of a UI message stream's {@code text-delta} chunks} */
    public static String uiText(List<SseEvent> events) {
        StringBuilder sb = new StringBuilder();
        for (SseEvent e : events) {
            if (!e.data().startsWith("{")) continue; // [DONE]
            Map<?, ?> chunk =
                    (Map<?, ?>) dev.sluice.chat.PartialJson.parse(e.data()).value();
            if ("text-delta".equals(chunk.get("type"))) sb.append(chunk.get("delta"));
        }
        return sb.toString();
    }

    /**
     * Reads until the predicate holds for the events so far, the body ends, or {@code maxBytes} were
     * parsed. The predicate is asked after each line, so it sees every count of events on the way:
     * {@code e -> e.size() == 4} stops at the fourth event also when one read brings several (a
     * replica on a busy machine writes a batch at once); what was read past it is parsed by the next
     * call. {@return whether the body ended}
     */
    public boolean readUntil(Predicate<List<SseEvent>> done, long maxBytes) throws IOException {
        while (!done.test(events) && bytesRead < maxBytes) {
            if (next == end) {
                int n = response.body().read(chunk, 0, (int) Math.min(chunk.length, maxBytes - bytesRead));
                if (n < 0) {
                    parser.finish();
                    return true;
                }
                next = 0;
                end = n;
            }
            int line = next; // up to the next line break: an event ends with one
            while (line < end && chunk[line] != '\n') line++;
            int upTo = (int) Math.min(Math.min(end, line + 1), next + (maxBytes - bytesRead));
            parser.feed(chunk, next, upTo - next);
            bytesRead += upTo - next;
            next = upTo;
        }
        return false;
    }

    /** Reads to the end of the body. */
    public void readAll() throws IOException {
        readUntil(e -> false, Long.MAX_VALUE);
    }

    public List<String> types() {
        return events.stream().map(SseEvent::type).toList();
    }

    public List<Long> ids() {
        return events.stream().map(e -> Long.parseLong(e.lastEventId())).toList();
    }

    public static String text(List<SseEvent> events) {
        StringBuilder sb = new StringBuilder();
        for (SseEvent e : events) {
            if (!e.type().equals("delta")) continue;
            Matcher m = TEXT.matcher(e.data());
            if (!m.find()) throw new AssertionError(e.data());
            sb.append((String)
                    dev.sluice.chat.PartialJson.parse("\"" + m.group(1) + "\"").value());
        }
        return sb.toString();
    }

    /** Cuts the connection. */
    @Override
    public void close() throws IOException {
        response.body().close();
    }

    public static Map<String, List<String>> headers(HttpResponse<?> r) {
        return r.headers().map();
    }

    public static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
