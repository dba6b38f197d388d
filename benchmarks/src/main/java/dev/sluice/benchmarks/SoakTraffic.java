package dev.sluice.benchmarks;

import static dev.sluice.benchmarks.SoakScript.MODELS;
import static dev.sluice.benchmarks.SoakScript.PROMPTS;
import static dev.sluice.benchmarks.SoakScript.PROVIDERS;

import dev.sluice.chat.PartialJson;
import dev.sluice.sse.SseLimits;
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
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@link SoakRun}'s relay clients: clients of two {@code sluice serve} nodes that come and go and
 * resume, on the fake server's four APIs with faults mixed in. Each stream's text is checked
 * against the fake's answer to its prompt ({@code expected}, taken once at the start), and each
 * relayed stream's events with a {@link Transcript}.
 *
 * <p>A client starts a stream on a random node ({@code POST /api/streams}) and then reads it in
 * one of five ways: whole; a few events, then the rest resumed on the other node with
 * {@code Last-Event-ID}; the same with a second resume back on the first node; a few events and
 * gone for good (the node cancels the upstream after its resume window); a few events, then a
 * {@code DELETE} on the other node and the rest read there (it must end {@code cancelled}, unless
 * it ended first). The default provider, {@code anthropic}, runs on a fallback chain on both
 * nodes (node A's continues on Anthropic, node B's restarts on OpenAI), so its faults must end in
 * {@code done} with the whole answer; the other providers' faults end in {@code error}, with what
 * arrived a beginning of the answer. One stream in seven is a chat of the Vercel AI SDK's protocol
 * instead ({@link #chatStream}).
 *
 * <p>While Redis is away ({@link #outageStarted}), and for {@link #OUTAGE_GRACE} after, a refusal
 * with {@code 503}, a resume that finds the stream gone, or an {@code error} of type
 * {@code replay_unavailable}, {@code node_lost} or {@code unavailable} is what the store promises
 * (docs/serve.md, "When Redis goes away"), and is counted, not failed; a client then goes back to
 * the node that runs its stream. Outside that window each is a failure.
 *
 * <p>Threading: each loop runs on a virtual thread of its own; the counts are {@link Tally}'s; the
 * watchdog closes a connection that has had no byte for {@link #IDLE_LIMIT} (the nodes send a
 * heartbeat every 5 s), which fails its stream as hung.
 *
 * <p>Why this file is long: the five ways a relay client reads a stream, and the check of each, which
 * share the expected answers and the transcript.
 */
final class SoakTraffic implements AutoCloseable {
    /** A relay node: its name for the report and its base URL. */
    record Node(String name, URI base) {}

    /** How long a connection may go without a byte before it counts as hung: 6 of the nodes' 5 s heartbeats. */
    static final Duration IDLE_LIMIT = Duration.ofSeconds(30);
    /** How long one stream may take, stalls and failovers included. */
    private static final Duration STREAM_LIMIT = Duration.ofMinutes(4);
    /** After Redis is back, how long its after-effects count as the outage's. */
    static final Duration OUTAGE_GRACE = Duration.ofSeconds(20);

    private static final Set<String> OUTAGE_ERRORS = Set.of("replay_unavailable", "node_lost", "unavailable");
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    private final List<Node> nodes;
    private final Map<String, String> expected;
    private final Tally tally;
    private final double faultShare;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Set<Reading> readings = ConcurrentHashMap.newKeySet();
    private volatile long outageFrom = Long.MAX_VALUE;
    private volatile long outageUntil = Long.MAX_VALUE;

    /** A body being read, for the watchdog. */
    private static final class Reading {
        final InputStream in;
        volatile long last = System.nanoTime();
        volatile boolean timedOut;

        Reading(InputStream in) {
            this.in = in;
        }
    }

    /**
     * @param nodes node A and node B
     * @param expected each prompt's answer
     * @param faultShare the share of streams asked of a faulty model, 0 to 1
     */
    SoakTraffic(List<Node> nodes, Map<String, String> expected, Tally tally, double faultShare) {
        this.nodes = List.copyOf(nodes);
        this.expected = Map.copyOf(expected);
        this.tally = tally;
        this.faultShare = faultShare;
    }

    /** Redis is away from now on. */
    void outageStarted() {
        outageUntil = Long.MAX_VALUE;
        outageFrom = System.nanoTime();
    }

    /** Redis answers again. */
    void outageEnded() {
        outageUntil = System.nanoTime();
    }

    /** {@return whether [from, to] meets the outage or its grace after} */
    private boolean meetsOutage(long from, long to) {
        long until = outageUntil;
        return to >= outageFrom && (until == Long.MAX_VALUE || from <= until + OUTAGE_GRACE.toNanos());
    }

    /** Closes connections that had no byte for {@link #IDLE_LIMIT}, until {@code running} turns false. */
    void watchdog(BooleanSupplier running) throws InterruptedException {
        while (running.getAsBoolean() || !readings.isEmpty()) {
            long now = System.nanoTime();
            for (Reading r : readings) {
                if (now - r.last > IDLE_LIMIT.toNanos()) {
                    r.timedOut = true;
                    try {
                        r.in.close();
                    } catch (IOException e) {
                        // closing to unblock the reader: nothing to do
                    }
                }
            }
            Thread.sleep(1_000);
        }
    }

    // ---- relay clients ----

    private enum Way {
        WHOLE,
        RESUME,
        RESUME_TWICE,
        ABANDON,
        CANCEL
    }

    /** One relayed stream as a client sees it. */
    private static final class Relayed {
        final String prompt;
        final String provider;
        final @Nullable String fault;
        final Way way;
        final Node home;
        final long started = System.nanoTime();
        final long deadline;
        final Transcript events = new Transcript();

        @Nullable
        String id;
        /** The stream was gone (404, 410) on every node while Redis was away or just after. */
        boolean goneInOutage;

        Relayed(String prompt, String provider, @Nullable String fault, Way way, Node home, Duration limit) {
            this.deadline = started + limit.toNanos();
            this.prompt = prompt;
            this.provider = provider;
            this.fault = fault;
            this.way = way;
            this.home = home;
        }

        @Override
        public String toString() {
            return "relay " + provider + " " + (fault != null ? fault : MODELS.get(provider)) + " " + way + " from "
                    + home.name() + (id != null ? " stream " + id : "") + " after event " + events.lastId();
        }
    }

    /** Runs relay streams one after the other until {@code running} turns false. */
    void relayLoop(BooleanSupplier running, long seed) {
        Random random = new Random(seed);
        while (running.getAsBoolean()) {
            try {
                if (random.nextDouble() < 0.15) chatStream(random);
                else relayStream(random);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                tally.fail("relay client", List.of("threw " + e));
            }
        }
    }

    private void relayStream(Random random) throws InterruptedException {
        int home = random.nextInt(2);
        Relayed r = new Relayed(
                PROMPTS.get(random.nextInt(PROMPTS.size())),
                PROVIDERS.get(random.nextInt(PROVIDERS.size())),
                SoakScript.fault(random, faultShare),
                SoakScript.pick(random, List.of(Way.values()), 0.4, 0.3, 0.1, 0.1, 0.1),
                nodes.get(home),
                STREAM_LIMIT);
        Node other = nodes.get(1 - home);
        tally.add("relay.streams");
        if (r.fault != null) tally.add("faults.relay." + r.fault);
        r.id = create(r);
        if (r.id == null) {
            tally.fail(r.toString(), r.events.problems());
            return;
        }
        int some = 1 + random.nextInt(12);
        switch (r.way) {
            case WHOLE -> attach(r, r.home, Integer.MAX_VALUE);
            case RESUME -> {
                attach(r, r.home, some);
                attach(r, other, Integer.MAX_VALUE);
            }
            case RESUME_TWICE -> {
                attach(r, r.home, some);
                attach(r, other, 1 + random.nextInt(12));
                attach(r, r.home, Integer.MAX_VALUE);
            }
            case ABANDON -> attach(r, r.home, some);
            case CANCEL -> {
                attach(r, r.home, some);
                cancel(r, other);
                attach(r, other, Integer.MAX_VALUE);
            }
        }
        judge(r);
    }

    /**
     * Starts a stream on {@code node}, refusals while Redis is away retried, and reads it whole.
     * {@return the seconds from {@code since} until the node took it, then until it was relayed
     * whole; the second -1 when it was not relayed whole within {@code limit}, the first too when
     * it was not taken}
     */
    double[] probe(Node node, long since, Duration limit) throws InterruptedException {
        Relayed r = new Relayed("Hello there", "anthropic", null, Way.WHOLE, node, limit);
        r.id = create(r);
        if (r.id == null) return new double[] {-1, -1};
        double taken = (System.nanoTime() - since) / 1e9;
        attach(r, node, Integer.MAX_VALUE);
        boolean whole = "done".equals(r.events.terminal())
                && r.events.problems().isEmpty()
                && r.events.text().equals(expected.get(r.prompt));
        return new double[] {taken, whole ? (System.nanoTime() - since) / 1e9 : -1};
    }

    /** {@return the new stream's id, or null (its problem recorded) when no node took it before the deadline} */
    private @Nullable String create(Relayed r) throws InterruptedException {
        String body = "{\"prompt\":\"" + r.prompt + "\",\"provider\":\"" + r.provider + "\",\"model\":\""
                + (r.fault != null ? r.fault : MODELS.get(r.provider)) + "\"}";
        long backoff = 250;
        while (true) {
            HttpResponse<String> answer;
            try {
                answer = http.send(
                        HttpRequest.newBuilder(r.home.base().resolve("/api/streams"))
                                .timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                r.events.problem("POST /api/streams on " + r.home.name() + " failed: " + e);
                return null;
            }
            if (answer.statusCode() == 201) {
                Matcher m = ID.matcher(answer.body());
                if (m.find()) return m.group(1);
                r.events.problem("POST /api/streams answered 201 without an id: " + answer.body());
                return null;
            }
            boolean outage = meetsOutage(r.started, System.nanoTime());
            if (answer.statusCode() == 503 && outage) {
                tally.add("relay.refused_in_outage");
            } else if (answer.statusCode() == 429) {
                tally.add("relay.refused_429"); // the cluster's --max-streams while stalls and abandoned streams hold
                // places
            } else {
                r.events.problem("POST /api/streams on " + r.home.name() + " answered " + answer.statusCode() + ": "
                        + answer.body());
                return null;
            }
            if (System.nanoTime() > r.deadline) {
                r.events.problem("no node took the stream in time: last " + answer.statusCode());
                return null;
            }
            Thread.sleep(backoff);
            backoff = Math.min(2_000, backoff * 2);
        }
    }

    /**
     * Reads the stream on {@code node} (resuming after the last event received, if any) until
     * {@code max} more events, its terminal event, or its end. A refusal while Redis is away sends
     * the client to the stream's home node, as a client whose proxy marks a node down.
     */
    @SuppressWarnings("ReferenceEquality") // identity: the same node process, not an equal description
    private void attach(Relayed r, Node node, int max) throws InterruptedException {
        Transcript t = r.events;
        if (t.terminal() != null || r.goneInOutage || !t.problems().isEmpty()) return;
        if (t.lastId() > 0) tally.add("relay.resumes");
        Node at = node;
        long backoff = 250;
        while (true) {
            if (System.nanoTime() > r.deadline) {
                t.problem("did not end in time");
                return;
            }
            int status = read(r, at, max);
            if (status == 200) return;
            boolean outage = meetsOutage(r.started, System.nanoTime());
            if ((status == 503 && outage) || ((status == 404 || status == 410) && outage && at != r.home)) {
                tally.add("relay.refused_in_outage");
                if (at != r.home) {
                    at = r.home;
                    continue;
                }
            } else if ((status == 404 || status == 410) && outage) {
                r.goneInOutage = true; // even its home node has let it go: counted by judge
                return;
            } else {
                return; // read() recorded the problem
            }
            Thread.sleep(backoff);
            backoff = Math.min(2_000, backoff * 2);
        }
    }

    /** {@return the status of {@code GET /api/streams/ID/events}; 200 once read as {@link #attach} says} */
    private int read(Relayed r, Node node, int max) {
        Transcript t = r.events;
        HttpRequest.Builder get = HttpRequest.newBuilder(node.base().resolve("/api/streams/" + r.id + "/events"))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "text/event-stream");
        if (t.lastId() > 0) get.header("Last-Event-ID", Long.toString(t.lastId()));
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(get.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | InterruptedException e) {
            t.problem("GET events on " + node.name() + " failed: " + e);
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return -1;
        }
        if (answer.statusCode() != 200) {
            String body;
            try (InputStream in = answer.body()) {
                body = new String(in.readNBytes(500), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "(unread: " + e + ")";
            }
            boolean expectedInOutage = meetsOutage(r.started, System.nanoTime())
                    && (answer.statusCode() == 503 || answer.statusCode() == 404 || answer.statusCode() == 410);
            if (!expectedInOutage)
                t.problem("GET events on " + node.name() + " answered " + answer.statusCode() + ": " + body);
            return answer.statusCode();
        }
        t.connect();
        int[] got = {0};
        SseParser parser = new SseParser(SseLimits.defaults(), event -> {
            t.accept(event.lastEventId(), event.type(), event.data());
            got[0]++;
        });
        Pumped p = pump(answer.body(), parser, () -> t.terminal() != null || got[0] >= max, () -> t.terminal() != null);
        switch (p.how()) {
            case ENDED -> t.disconnected(true);
            case TIMED_OUT ->
                t.problem("hung: no byte for " + IDLE_LIMIT.toSeconds() + " s on " + node.name() + " after event "
                        + t.lastId());
            case BROKEN ->
                t.problem("the connection to " + node.name() + " broke after event " + t.lastId() + ": " + p.error());
            case STOPPED -> {}
        }
        return 200;
    }

    /** How reading a body ended, and the read's failure when it broke. */
    private record Pumped(How how, @Nullable IOException error) {
        enum How {
            STOPPED,
            ENDED,
            TIMED_OUT,
            BROKEN
        }
    }

    /**
     * Feeds a body to the parser until {@code stop} holds, or the body ends; after {@code stop}, on
     * to the body's end when {@code toTheEnd} holds (a response ends after its terminal event, with
     * nothing more in it). Closes the body; the watchdog closes it first when it has been silent
     * for {@link #IDLE_LIMIT}.
     */
    private Pumped pump(InputStream body, SseParser parser, BooleanSupplier stop, BooleanSupplier toTheEnd) {
        Reading reading = new Reading(body);
        readings.add(reading);
        byte[] buf = new byte[8192];
        try (body) {
            while (!stop.getAsBoolean()) {
                int n = body.read(buf);
                if (n < 0) {
                    parser.finish();
                    return new Pumped(Pumped.How.ENDED, null);
                }
                reading.last = System.nanoTime();
                parser.feed(buf, 0, n);
            }
            if (!toTheEnd.getAsBoolean()) return new Pumped(Pumped.How.STOPPED, null);
            for (int n; (n = body.read(buf)) >= 0; ) {
                reading.last = System.nanoTime();
                parser.feed(buf, 0, n);
            }
            parser.finish();
            return new Pumped(Pumped.How.ENDED, null);
        } catch (IOException e) {
            return new Pumped(reading.timedOut ? Pumped.How.TIMED_OUT : Pumped.How.BROKEN, e);
        } finally {
            readings.remove(reading);
        }
    }

    /** Cancels the stream on {@code node} (204, or 404 when it has just ended). */
    private void cancel(Relayed r, Node node) throws InterruptedException {
        if (r.events.terminal() != null
                || r.goneInOutage
                || !r.events.problems().isEmpty()) return;
        for (Node at : List.of(node, r.home)) {
            HttpResponse<String> answer;
            try {
                answer = http.send(
                        HttpRequest.newBuilder(at.base().resolve("/api/streams/" + r.id))
                                .timeout(Duration.ofSeconds(30))
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                r.events.problem("DELETE on " + at.name() + " failed: " + e);
                return;
            }
            tally.add("relay.cancels." + answer.statusCode());
            if (answer.statusCode() == 204 || answer.statusCode() == 404) return;
            if (!(answer.statusCode() == 503 && meetsOutage(r.started, System.nanoTime()))) {
                r.events.problem("DELETE on " + at.name() + " answered " + answer.statusCode() + ": " + answer.body());
                return;
            }
        }
    }

    private void judge(Relayed r) {
        Transcript t = r.events;
        tally.add("failovers.relay", t.switches());
        if (r.started < outageFrom && System.nanoTime() > outageFrom) tally.add("relay.in_flight_at_redis_kill");
        if (t.problems().isEmpty()) classify(r);
        if (!t.problems().isEmpty()) tally.fail(r.toString(), t.problems());
    }

    /** Counts how the stream ended, and checks its text and its end against its fault and the outage. */
    private void classify(Relayed r) {
        Transcript t = r.events;
        String answer = Objects.requireNonNull(expected.get(r.prompt), "the script's answer");
        String end = t.terminal();
        if (r.way == Way.ABANDON && end == null) {
            t.expect(answer, false);
            tally.add("relay.abandoned");
        } else if (end == null) {
            if (r.goneInOutage) tally.add("relay.ended_by_outage.gone");
            else t.problem("no terminal event");
            t.expect(answer, false);
        } else if (end.equals("done")) {
            t.expect(answer, true);
            tally.add("relay.done." + r.provider);
        } else if (end.equals("cancelled")) {
            if (r.way != Way.CANCEL) t.problem("cancelled, but nobody cancelled it");
            t.expect(answer, false);
            tally.add("relay.cancelled");
        } else { // error
            t.expect(answer, false);
            if (r.fault != null && !r.provider.equals("anthropic")) tally.add("relay.error.fault." + r.fault);
            else if (meetsOutage(r.started, System.nanoTime()) && OUTAGE_ERRORS.contains(t.errorType())) {
                tally.add("relay.ended_by_outage." + t.errorType());
            } else {
                t.problem("ended with error " + t.errorType()
                        + (r.fault == null ? " without a fault" : " although anthropic fails over"));
            }
        }
    }

    // ---- the Vercel AI SDK's chat, resumed with GET /api/chat/ID/stream ----

    /** What one response of the chat protocol gave: its status, the end chunk's type (null: none), the text. */
    private record ChatRead(
            int status,
            @Nullable String end,
            String text,
            String body,
            @Nullable String cookie) {}

    /**
     * One chat turn of the UI message stream protocol ({@code POST /api/chat}) on one node; half
     * the clients leave after a few chunks and resume with {@code GET /api/chat/ID/stream}, which
     * sends the stream again from its first chunk, or 204 when it ended meanwhile (counted). The
     * {@code text-delta}s' text (a {@code reset-step} drops the step's) must be the answer at
     * {@code finish}, a beginning of it otherwise. The resume goes to either node (with the
     * store a chat resumes anywhere) and carries the {@code sluice-chat} cookie the first answer
     * set, as a browser would; one resume in four is first tried without it, as a stranger's, which
     * must find nothing ({@code 204}).
     */
    @SuppressWarnings("ReferenceEquality") // identity: the same node process, not an equal description
    private void chatStream(Random random) throws InterruptedException {
        String prompt = PROMPTS.get(random.nextInt(PROMPTS.size()));
        String provider = PROVIDERS.get(random.nextInt(PROVIDERS.size()));
        String fault = SoakScript.fault(random, faultShare);
        String model = fault != null ? fault : MODELS.get(provider);
        Node node = nodes.get(random.nextInt(2));
        String chat = String.format("soak-%016x", random.nextLong());
        int leaveAfter = random.nextBoolean() ? 2 + random.nextInt(12) : Integer.MAX_VALUE;
        long started = System.nanoTime();
        tally.add("chat.streams");
        if (fault != null) tally.add("faults.chat." + fault);
        String body = "{\"id\":\"" + chat
                + "\",\"messages\":[{\"id\":\"u1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"" + prompt
                + "\"}]}],\"provider\":\"" + provider + "\",\"model\":\"" + model + "\"}";
        List<String> problems = new ArrayList<>();
        ChatRead read = chatRead(
                HttpRequest.newBuilder(node.base().resolve("/api/chat"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)),
                leaveAfter,
                problems);
        boolean outage = meetsOutage(started, System.nanoTime());
        if ((read.status() == 503 && outage) || read.status() == 429) {
            tally.add(read.status() == 429 ? "chat.refused_429" : "chat.refused_in_outage");
            return;
        }
        if (read.status() != 200) problems.add("POST /api/chat answered " + read.status() + ": " + read.body());
        if (problems.isEmpty() && read.end() == null) {
            tally.add("chat.resumes");
            Node resumeOn = nodes.get(random.nextInt(2));
            URI resume = resumeOn.base().resolve("/api/chat/" + chat + "/stream");
            if (random.nextInt(4) == 0) {
                ChatRead stranger = chatRead(HttpRequest.newBuilder(resume), Integer.MAX_VALUE, problems);
                tally.add("chat.stranger_resumes");
                if (stranger.status() != 204
                        && !(stranger.status() == 503 && meetsOutage(started, System.nanoTime()))) {
                    problems.add("a stranger's resume answered " + stranger.status() + ": " + stranger.body());
                }
            }
            if (read.cookie() == null) problems.add("POST /api/chat set no sluice-chat cookie");
            HttpRequest.Builder owner = HttpRequest.newBuilder(resume);
            if (read.cookie() != null) owner.header("Cookie", read.cookie());
            ChatRead again = chatRead(owner, Integer.MAX_VALUE, problems);
            if (resumeOn != node) tally.add("chat.resumes_on_the_other_node");
            if (again.status() == 204) tally.add("chat.resumed_after_its_end");
            else if (again.status() == 200) read = again;
            else if (again.status() == 503 && meetsOutage(started, System.nanoTime()))
                tally.add("chat.resume_refused_in_outage");
            else problems.add("GET /api/chat/ID/stream answered " + again.status() + ": " + again.body());
        }
        String answer = Objects.requireNonNull(expected.get(prompt), "the script's answer");
        if (started < outageFrom && System.nanoTime() > outageFrom) tally.add("chat.in_flight_at_redis_kill");
        if (problems.isEmpty()) {
            if ("finish".equals(read.end())) {
                tally.add("chat.done." + provider);
                if (!read.text().equals(answer))
                    problems.add("text differs: got " + Transcript.quote(read.text()) + ", expected "
                            + Transcript.quote(answer));
            } else if (!answer.startsWith(read.text())) {
                problems.add("text is not a beginning of the answer: " + Transcript.quote(read.text()));
            } else if ("error".equals(read.end())) {
                if (fault != null && !provider.equals("anthropic")) tally.add("chat.error.fault." + fault);
                else if (outage) tally.add("chat.ended_by_outage");
                else
                    problems.add("ended with an error"
                            + (fault == null ? " without a fault" : " although anthropic fails over"));
            } else if (read.end() != null) {
                problems.add("ended with " + read.end());
            }
        }
        if (!problems.isEmpty())
            tally.fail("chat " + provider + " " + model + " on " + node.name() + " chat " + chat, problems);
    }

    /** Sends a request of the chat protocol and reads its chunks until {@code [DONE]}, or {@code leaveAfter} chunks. */
    private ChatRead chatRead(HttpRequest.Builder request, int leaveAfter, List<String> problems) {
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(
                    request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            problems.add(request.build().method() + " " + request.build().uri().getPath() + " failed: " + e);
            return new ChatRead(-1, null, "", "", null);
        }
        if (answer.statusCode() != 200) {
            try (InputStream in = answer.body()) {
                return new ChatRead(
                        answer.statusCode(), null, "", new String(in.readNBytes(500), StandardCharsets.UTF_8), null);
            } catch (IOException e) {
                return new ChatRead(answer.statusCode(), null, "", "(unread: " + e + ")", null);
            }
        }
        StringBuilder text = new StringBuilder();
        String[] end = new String[1];
        boolean[] done = new boolean[1];
        int[] chunks = {0};
        SseParser parser = new SseParser(SseLimits.defaults(), event -> {
            chunks[0]++;
            if (event.data().equals("[DONE]")) {
                done[0] = true;
                return;
            }
            if (!(PartialJson.parse(event.data()).value() instanceof Map<?, ?> chunk)) {
                problems.add("a chunk that is not a JSON object: " + Transcript.quote(event.data()));
                return;
            }
            switch (String.valueOf(chunk.get("type"))) {
                case "text-delta" -> text.append(chunk.get("delta"));
                case "reset-step" -> text.setLength(0);
                case "finish", "error", "abort" -> end[0] = String.valueOf(chunk.get("type"));
                default -> {}
            }
        });
        Pumped p = pump(answer.body(), parser, () -> done[0] || chunks[0] >= leaveAfter, () -> done[0]);
        switch (p.how()) {
            case ENDED -> {
                if (!done[0]) problems.add("the chat's response ended without [DONE]");
            }
            case TIMED_OUT ->
                problems.add("hung: no byte for " + IDLE_LIMIT.toSeconds() + " s after " + chunks[0] + " chunks");
            case BROKEN -> problems.add("the connection broke after " + chunks[0] + " chunks: " + p.error());
            case STOPPED -> {}
        }
        String cookie = answer.headers()
                .firstValue("Set-Cookie")
                .map(c -> c.split(";", 2)[0])
                .orElse(null);
        return new ChatRead(200, done[0] ? end[0] : null, text.toString(), "", cookie);
    }

    /** Closes the clients' HTTP client. */
    @Override
    public void close() {
        http.close();
    }
}
