package dev.sluice.benchmarks;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChunkAggregator;
import dev.sluice.chat.FallbackChain;
import dev.sluice.chat.Hedging;
import dev.sluice.chat.MessageChunk;
import dev.sluice.client.Hedge;
import dev.sluice.client.RateLimits;
import dev.sluice.client.RetryPolicy;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.ForwardingEventStream;
import dev.sluice.stream.StreamController;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The hedging benchmark's client (issue #59), in a fresh JVM against a {@link HedgeServer}: a
 * chain from {@code anthropic:fake-heavy-tail} (the first token after a heavy-tailed delay) to
 * {@code openai:fake-first-token-150} (steady), N streams without hedging, N with
 * {@code Hedging.after(threshold)}, and N on the second target alone (its own time to first
 * content). Per run: p50/p99/p99.9 time to first content, the share hedged and won, the extra
 * requests and tokens, and for each loser the time from the commit to the server seeing its
 * connection closed. The commit is taken as the moment the winner's first content was read (on
 * the race's reading thread, just before the chain commits): an upper bound of the delay.
 *
 * <pre>java -cp ... dev.sluice.benchmarks.HedgeRun BASE_URL CLOSE_LOG [streams] [concurrency] [thresholdMs]</pre>
 */
public final class HedgeRun {
    private HedgeRun() {}

    private record Result(
            String tag, long ttfcNanos, @Nullable Hedge hedge, long inputTokens) {}

    /** {@return the provider, noting when each stream's first content is read, by the stream's tag (the prompt's last word)} */
    private static ChatProvider timed(ChatProvider p, Map<String, Long> firstContent) {
        return new ChatProvider() {
            @Override
            public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
                String prompt = request.messages().getFirst().text();
                String tag = prompt.substring(prompt.lastIndexOf(' ') + 1);
                return ForwardingEventStream.peeking(p.stream(request, controller), c -> {
                    if (!c.text().isEmpty()) firstContent.putIfAbsent(tag, micros(Instant.now()));
                });
            }

            @Override
            public boolean refusesNewStreams() {
                return p.refusesNewStreams();
            }

            @Override
            public Optional<RateLimits> rateLimits() {
                return p.rateLimits();
            }
        };
    }

    private static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000 + at.getNano() / 1000;
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        Path closeLog = Path.of(args[1]);
        int streams = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        Duration threshold = Duration.ofMillis(args.length > 4 ? Long.parseLong(args[4]) : 800);
        Map<String, Long> firstContent = new ConcurrentHashMap<>();
        try (AnthropicClient a = AnthropicClient.builder()
                        .apiKey("k")
                        .baseUrl(base)
                        .retryPolicy(RetryPolicy.none())
                        .build();
                OpenAiClient o = OpenAiClient.builder()
                        .apiKey("k")
                        .baseUrl(base)
                        .retryPolicy(RetryPolicy.none())
                        .build()) {
            ChatProvider anthropic = timed(a, firstContent);
            ChatProvider openai = timed(o, firstContent);
            FallbackChain plain = FallbackChain.builder()
                    .target("anthropic:fake-heavy-tail", anthropic, "fake-heavy-tail")
                    .target("openai:fake-first-token-150", openai, "fake-first-token-150")
                    .build();
            FallbackChain hedged = FallbackChain.builder()
                    .target("anthropic:fake-heavy-tail", anthropic, "fake-heavy-tail")
                    .target("openai:fake-first-token-150", openai, "fake-first-token-150")
                    .hedging(Hedging.after(threshold))
                    .build();
            FallbackChain second = FallbackChain.builder()
                    .target("openai:fake-first-token-150", openai, "fake-first-token-150")
                    .build();
            run("warm-up", plain, 40, concurrency); // class loading, connections; not reported
            List<Result> p = run("plain", plain, streams, concurrency);
            List<Result> h = run("hedged", hedged, streams, concurrency);
            List<Result> s = run("second", second, streams, concurrency);
            System.out.printf(
                    Locale.ROOT,
                    "streams: %d per run, %d at a time; threshold %d ms; cap: %s%n",
                    streams,
                    concurrency,
                    threshold.toMillis(),
                    hedged.hedging().orElseThrow());
            System.out.println("time to first content (ms)       p50      p99    p99.9      max");
            print("without hedging (first target)", p);
            print("with hedging", h);
            print("second target alone", s);
            long hedges = h.stream().filter(r -> r.hedge() != null).count();
            long won =
                    h.stream().filter(r -> r.hedge() != null && r.hedge().won()).count();
            long loserTokens = h.stream()
                    .filter(r -> r.hedge() != null)
                    .mapToLong(r -> r.hedge().loserTokens())
                    .sum();
            long billedBound = h.stream()
                    .filter(r -> r.hedge() != null)
                    .mapToLong(Result::inputTokens)
                    .sum();
            long inputAll = h.stream().mapToLong(Result::inputTokens).sum();
            System.out.printf(
                    Locale.ROOT,
                    "hedged: %d of %d streams (%.1f%%), the hedge answered in %d; extra requests %.1f%%%n",
                    hedges,
                    h.size(),
                    100.0 * hedges / h.size(),
                    won,
                    100.0 * hedges / h.size());
            System.out.printf(
                    Locale.ROOT,
                    "extra tokens: %d reported by the losers before their cancel; at most %d (%.1f%% of the"
                            + " run's %d input tokens) if each loser's prompt is billed in full%n",
                    loserTokens,
                    billedBound,
                    100.0 * billedBound / Math.max(1, inputAll),
                    inputAll);
            System.out.printf(Locale.ROOT, "counts per target: %s%n", hedged.hedgeCounts());
            double goal = 1.2 * threshold.toMillis() + pct(s, 0.99);
            System.out.printf(
                    Locale.ROOT,
                    "goal: p99 with hedging %.0f ms <= 1.2 x %d + second's p99 %.0f = %.0f ms: %s; extra"
                            + " requests %.1f%% <= 5%%: %s%n",
                    pct(h, 0.99),
                    threshold.toMillis(),
                    pct(s, 0.99),
                    goal,
                    pct(h, 0.99) <= goal ? "met" : "NOT met",
                    100.0 * hedges / h.size(),
                    hedges * 20 <= h.size() ? "met" : "NOT met");
            Map<String, Long> commits = new HashMap<>();
            for (Result r : h) if (r.hedge() != null) commits.put(r.tag(), firstContent.get(r.tag()));
            closes(closeLog, commits, (int) hedges);
        }
    }

    private static List<Result> run(String name, FallbackChain chain, int streams, int concurrency) throws Exception {
        List<Result> results = Collections.synchronizedList(new ArrayList<>());
        Semaphore slots = new Semaphore(concurrency);
        AtomicLong failures = new AtomicLong();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < streams; i++) {
                slots.acquire();
                String tag = name + "-" + i;
                Future<?> unused = pool.submit(() -> {
                    try {
                        results.add(one(chain, tag));
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                        System.err.println(tag + ": " + e);
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        if (failures.get() > 0) System.out.println(name + ": " + failures.get() + " streams failed (left out)");
        return results;
    }

    private static Result one(FallbackChain chain, String tag) {
        ChatRequest request = ChatRequest.builder()
                .model("unused")
                .maxTokens(64)
                .addMessage(ChatMessage.user("Tell me about the ocean " + tag))
                .build();
        ChunkAggregator aggregator = new ChunkAggregator();
        long start = System.nanoTime();
        long first = -1;
        try (EventStream<MessageChunk> chunks = chain.stream(request)) {
            for (MessageChunk c : chunks) {
                if (first < 0 && !c.text().isEmpty()) first = System.nanoTime();
                aggregator.accept(c);
            }
        }
        var response = aggregator.result();
        return new Result(
                tag,
                first - start,
                response.metadata().hedge(),
                response.usage() == null ? 0 : response.usage().inputTokens());
    }

    private static double pct(List<Result> rs, double q) {
        long[] v = rs.stream().mapToLong(Result::ttfcNanos).sorted().toArray();
        return v[Math.max(0, (int) Math.ceil(q * v.length) - 1)] / 1e6;
    }

    private static void print(String name, List<Result> rs) {
        long max = rs.stream().mapToLong(Result::ttfcNanos).max().orElse(0);
        System.out.printf(
                Locale.ROOT,
                "%-31s %8.0f %8.0f %8.0f %8.0f%n",
                name,
                pct(rs, 0.5),
                pct(rs, 0.99),
                pct(rs, 0.999),
                max / 1e6);
    }

    /** A line of the close log: the prompt (the tag its last word, in whatever JSON shape the wire format has), the time. */
    private static final Pattern CLOSED = Pattern.compile("closed .*(hedged-[0-9]+)\\W* ([0-9]+)");

    /** Joins the server's close log with the commits: how long after the commit each loser's connection closed. */
    private static void closes(Path log, Map<String, Long> commits, int hedges) throws Exception {
        Map<String, Long> closed = new HashMap<>();
        for (int wait = 0;
                wait < 50;
                wait++) { // the server writes its lines as it sees the closes: give the last ones 5 s
            closed.clear();
            for (String line : Files.readAllLines(log)) {
                Matcher m = CLOSED.matcher(line);
                if (m.matches()) closed.put(m.group(1), Long.parseLong(m.group(2)));
            }
            if (closed.keySet().containsAll(commits.keySet())) break;
            Thread.sleep(100); // a file another process writes: polled, in the benchmark only
        }
        long[] delays = commits.entrySet().stream()
                .filter(e -> closed.containsKey(e.getKey()))
                .mapToLong(e -> Objects.requireNonNull(closed.get(e.getKey()), "filtered above") - e.getValue())
                .sorted()
                .toArray();
        long missing =
                commits.keySet().stream().filter(k -> !closed.containsKey(k)).count();
        long within = Arrays.stream(delays).filter(d -> d <= 50_000).count();
        System.out.printf(
                Locale.ROOT,
                "losers' connections closed (server's view) after the commit: %d of %d hedges seen, %d within"
                        + " 50 ms; median %.1f ms, max %.1f ms%s%n",
                delays.length,
                hedges,
                within,
                delays.length == 0 ? 0 : delays[delays.length / 2] / 1000.0,
                delays.length == 0 ? 0 : delays[delays.length - 1] / 1000.0,
                missing > 0 ? "; " + missing + " never seen closing" : "");
    }
}
