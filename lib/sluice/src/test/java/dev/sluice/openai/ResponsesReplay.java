package dev.sluice.openai;

import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Responses API for tests, played by the testkit's server with captured streams:
 * {@code POST /v1/responses} streams a capture (its first {@code cutAfter} events only, then the
 * body ends cleanly, when a cut is set); {@code GET /v1/responses/{id}?stream=true&starting_after=N}
 * streams the events numbered after N ({@code repeat} of the earlier ones first, to test that a
 * client drops repeats). Request ids are {@code req_1}, {@code req_2}, ...
 */
final class ResponsesReplay implements AutoCloseable {
    private static final Pattern SEQ = Pattern.compile("\"sequence_number\": ?(\\d+)");

    private final FakeLlmServer server = FakeLlmServer.start();
    volatile List<String> events = List.of();
    /** When set, each POST serves the next of these streams (the last one again when they run out). */
    volatile List<List<String>> posts = List.of();

    private final java.util.concurrent.atomic.AtomicInteger postCount = new java.util.concurrent.atomic.AtomicInteger();
    volatile int cutAfter = Integer.MAX_VALUE;
    volatile int repeat;
    /** When set, each response sends its last event only once this opens (the rest of the body flushed before). */
    volatile java.util.concurrent.CountDownLatch holdLast;

    ResponsesReplay() {
        server.setDispatcher(this::answer);
    }

    String baseUrl() {
        return server.baseUrl().toString();
    }

    /** {@return the requests received, in order} */
    List<RecordedRequest> requests() {
        return server.requests();
    }

    /** Serves this captured stream (split into its SSE events). */
    void serve(String fixture) {
        events = blocks(fixture);
    }

    /** Serves these captured streams to the successive POSTs. */
    void serveInTurn(String... fixtures) {
        List<List<String>> all = new ArrayList<>();
        for (String f : fixtures) all.add(blocks(f));
        posts = List.copyOf(all);
    }

    static List<String> blocks(String fixture) {
        String text =
                new String(OpenAiFixtures.resource("openai-responses/" + fixture + ".sse"), StandardCharsets.UTF_8);
        List<String> blocks = new ArrayList<>();
        for (String b : text.split("\n\n")) if (!b.isBlank()) blocks.add(b + "\n\n");
        return List.copyOf(blocks);
    }

    static long sequenceNumber(String block) {
        Matcher m = SEQ.matcher(block);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private FakeResponse answer(RecordedRequest request) {
        List<String> send = new ArrayList<>();
        if (request.method().equals("POST")) {
            List<String> stream = events;
            if (!posts.isEmpty()) stream = posts.get(Math.min(postCount.getAndIncrement(), posts.size() - 1));
            send.addAll(stream.subList(0, Math.min(cutAfter, stream.size())));
        } else {
            Matcher m = Pattern.compile("starting_after=(\\d+)").matcher(request.target());
            long after = m.find() ? Long.parseLong(m.group(1)) : -1;
            for (String e : events) if (sequenceNumber(e) > after - repeat) send.add(e);
        }
        FakeResponse response = FakeResponse.sse(String.join("", send))
                .header("x-request-id", "req_" + server.requests().size());
        java.util.concurrent.CountDownLatch hold = holdLast;
        return hold == null ? response : response.pauseAfter(send.size() - 1, hold);
    }

    @Override
    public void close() {
        server.close();
    }
}
