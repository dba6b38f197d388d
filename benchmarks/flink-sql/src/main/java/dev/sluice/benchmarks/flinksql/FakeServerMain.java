package dev.sluice.benchmarks.flinksql;

import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Flink SQL benchmark's model server, in its own process: the test kit's fake server with a
 * fixed latency per call (the whole answer after {@code LATENCY_MS}, streamed or not), requests not
 * recorded, each ticket ({@link Tickets}) answered as a triage model would: its category and a
 * one-sentence summary, 28–38 words, streamed a word a delta (as Chat Completions chunks when the
 * client streams, one {@code chat.completion} when it does not); and optionally every {@code EVERY}-th request answered HTTP 429 with
 * {@code retry-after-ms: RETRY_AFTER_MS} at once. Prints {@code port N} on stdout, serves until
 * killed, and prints {@code requests N} (model requests answered or refused) when it is. After each
 * busy period (requests in flight, then none for a second) it prints
 * {@code busy period: S s, R requests, at most N in flight}: how many calls a client really had open at once.
 *
 * <pre>java -cp ... dev.sluice.benchmarks.flinksql.FakeServerMain LATENCY_MS [EVERY RETRY_AFTER_MS]</pre>
 */
public final class FakeServerMain {
    private FakeServerMain() {}

    /**
     * Starts the server.
     *
     * @param args the latency in milliseconds, then optionally the 429 period and retry-after in milliseconds
     * @throws InterruptedException never in practice: the main thread waits until the process is killed
     * @throws IllegalArgumentException for other arguments
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1 && args.length != 3) {
            throw new IllegalArgumentException("usage: FakeServerMain LATENCY_MS [EVERY RETRY_AFTER_MS]");
        }
        FakeLlmServer.Builder builder = FakeLlmServer.builder()
                .recordRequests(false)
                .tokensPerSecond(0)
                .firstTokenDelay(Duration.ofMillis(Long.parseLong(args[0])));
        if (args.length == 3)
            builder.rateLimitEvery(Integer.parseInt(args[1]), Duration.ofMillis(Long.parseLong(args[2])));
        FakeLlmServer server = builder.start();
        server.setDispatcher(request -> FakeResponse.answer().text(words(triage(lastUserText(request)))));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("requests " + server.requestCount())));
        System.out.println("port " + server.port());
        System.out.flush();
        watchBusyPeriods(server);
    }

    /** {@return the text of the request's last message (Chat Completions' {@code messages}), empty if none} */
    static String lastUserText(RecordedRequest request) {
        Object messages = request.json("/messages");
        if (!(messages instanceof List<?> list) || list.isEmpty() || !(list.getLast() instanceof Map<?, ?> last))
            return "";
        Object content = last.get("content");
        return content instanceof String text ? text : String.valueOf(content);
    }

    /** {@return a triage model's answer to a ticket: its category and a one-sentence summary} */
    static String triage(String prompt) {
        String ticket = prompt.contains("\n\n") ? prompt.substring(prompt.indexOf("\n\n") + 2) : prompt;
        String lower = ticket.toLowerCase(Locale.ROOT);
        String category = lower.contains("charged") || lower.contains("refund") || lower.contains("discount")
                ? "billing"
                : lower.contains("arrived") || lower.contains("delivered")
                        ? "shipping"
                        : lower.contains("owner") || lower.contains("two-factor")
                                ? "account"
                                : lower.contains("screen") || lower.contains("export") ? "technical" : "other";
        int colon = ticket.indexOf(": ");
        String who = colon > 0 ? ticket.substring(0, colon).replaceFirst("^Ticket [0-9]+ from ", "") : "The customer";
        String body = colon > 0 ? ticket.substring(colon + 2) : ticket;
        int stop = body.indexOf(". ");
        String first = (stop > 0 ? body.substring(0, stop) : body)
                .replace("I was", "they were")
                .replaceAll("\\bI\\b", "they")
                .replaceAll("\\b[Mm]y\\b", "their")
                .replace("Since this morning ", "");
        return "Category: " + category + "\nSummary: " + who + " reports that "
                + first.substring(0, 1).toLowerCase(Locale.ROOT) + first.substring(1) + "; a " + category
                + " agent should reply within one business day.";
    }

    /** {@return the text in deltas of a word each, with the space before it, as a model streams tokens} */
    static String[] words(String text) {
        List<String> deltas = new ArrayList<>();
        int from = 0;
        for (int i = 1; i < text.length(); i++) {
            if (text.charAt(i) == ' ' || text.charAt(i) == '\n') {
                deltas.add(text.substring(from, i));
                from = i;
            }
        }
        deltas.add(text.substring(from));
        return deltas.toArray(String[]::new);
    }

    /** Samples the requests in flight every 5 ms; prints each busy period's length, requests and peak. Never returns. */
    private static void watchBusyPeriods(FakeLlmServer server) throws InterruptedException {
        int peak = 0;
        long busySince = 0;
        long idleSince = 0;
        int requestsBefore = server.requestCount();
        while (true) {
            Thread.sleep(5); // a sampling period
            int active = server.activeRequests();
            long now = System.nanoTime();
            if (active > 0) {
                if (busySince == 0) busySince = now;
                idleSince = 0;
                peak = Math.max(peak, active);
            } else if (busySince != 0) {
                if (idleSince == 0) idleSince = now;
                if (now - idleSince > 1_000_000_000L) {
                    int requests = server.requestCount();
                    System.out.printf(
                            Locale.ROOT,
                            "busy period: %.1f s, %d requests, at most %d in flight%n",
                            (idleSince - busySince) / 1e9,
                            requests - requestsBefore,
                            peak);
                    System.out.flush();
                    requestsBefore = requests;
                    busySince = 0;
                    peak = 0;
                }
            }
        }
    }
}
