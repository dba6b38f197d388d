package dev.sluice.benchmarks;

import static dev.sluice.benchmarks.SoakScript.MODELS;
import static dev.sluice.benchmarks.SoakScript.PROMPTS;

import dev.sluice.SluiceException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.ResumePolicy;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.FallbackChain;
import dev.sluice.chat.MessageChunk;
import dev.sluice.client.ClientOptions;
import dev.sluice.client.Failover;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * {@link SoakRun}'s direct clients: library streams straight from the fake server, with faults.
 * Anthropic resumes a dropped stream with a prefill (its drops must end whole); OpenAI Chat
 * Completions, the Responses API and Gemini end their faults in a typed exception, what arrived a
 * beginning of the answer; fallback chains from a faulty Anthropic model to Anthropic (continue)
 * or OpenAI (restart) must end whole. One consumer in twenty closes its stream early. A stall times
 * out after 5 s here.
 *
 * <p>Threading: each loop on a thread of its own; the clients and chains are shared.
 */
final class SoakDirect implements AutoCloseable {
    private static final List<String> KINDS =
            List.of("anthropic", "openai", "openai-responses", "gemini", "chain-continue", "chain-restart");

    private final Map<String, String> expected;
    private final Tally tally;
    private final double faultShare;
    private final Map<String, ChatProvider> direct = new LinkedHashMap<>();
    private final List<AutoCloseable> clients = new ArrayList<>();
    private final ChatProvider chainAnthropic;
    private final ChatProvider chainOpenai;
    private final Map<String, FallbackChain> chains = new ConcurrentHashMap<>();

    /**
     * @param fake the fake server's base URL
     * @param expected each prompt's answer
     * @param faultShare the share of streams asked of a faulty model, 0 to 1
     */
    SoakDirect(URI fake, Map<String, String> expected, Tally tally, double faultShare) {
        this.expected = Map.copyOf(expected);
        this.tally = tally;
        this.faultShare = faultShare;
        ClientOptions options = ClientOptions.builder()
                .apiKey("soak")
                .baseUrl(fake.toString())
                .streamOptions(StreamOptions.builder()
                        .idleTimeout(Duration.ofSeconds(5))
                        .build())
                .build();
        AnthropicClient anthropic = AnthropicClient.builder()
                .options(options)
                .resume(ResumePolicy.upTo(2))
                .build();
        OpenAiClient openai = OpenAiClient.builder().options(options).build();
        GeminiClient gemini = GeminiClient.builder().options(options).build();
        AnthropicClient noResume =
                AnthropicClient.builder().options(options).build(); // a chain's first target resumes nothing itself
        clients.addAll(List.of(anthropic, openai, gemini, noResume));
        direct.put("anthropic", anthropic);
        direct.put("openai", openai);
        direct.put("openai-responses", openai.responses());
        direct.put("gemini", gemini);
        this.chainAnthropic = noResume;
        this.chainOpenai = openai;
    }

    /** Runs direct streams one after the other until {@code running} turns false. */
    void directLoop(BooleanSupplier running, long seed) {
        Random random = new Random(seed);
        while (running.getAsBoolean()) {
            try {
                directStream(random);
            } catch (RuntimeException e) {
                tally.fail("direct client", List.of("threw " + e));
            }
        }
    }

    private void directStream(Random random) {
        String prompt = PROMPTS.get(random.nextInt(PROMPTS.size()));
        String kind = SoakScript.pick(random, KINDS, 0.2, 0.2, 0.2, 0.2, 0.1, 0.1);
        boolean chain = kind.startsWith("chain-");
        String fault = chain ? SoakScript.fault(random) : SoakScript.fault(random, faultShare);
        ChatProvider provider = chain
                ? chain(kind, Objects.requireNonNull(fault, "a chain always has its fault"))
                : Objects.requireNonNull(direct.get(kind), kind);
        String model = fault != null ? fault : Objects.requireNonNull(MODELS.get(kind), kind);
        int closeAfter = random.nextDouble() < 0.05 ? 1 + random.nextInt(10) : Integer.MAX_VALUE;
        String what = "direct " + kind + " " + model
                + (closeAfter < Integer.MAX_VALUE ? " closed after " + closeAfter + " chunks" : "");
        tally.add("direct.streams");
        if (fault != null) tally.add("faults.direct." + fault);
        StringBuilder text = new StringBuilder();
        List<String> problems = new ArrayList<>();
        int chunks = 0;
        SluiceException failed = null;
        try (EventStream<MessageChunk> stream = provider.stream(SoakScript.request(model, prompt))) {
            for (MessageChunk c : stream) {
                Failover f = c.failover();
                if (f != null) {
                    tally.add("failovers.direct");
                    if (f.reset()) text.setLength(0);
                    else if (!f.keptText().equals(text.toString())) {
                        problems.add("failover kept " + Transcript.quote(f.keptText()) + " but the text so far is "
                                + Transcript.quote(text.toString()));
                    }
                }
                text.append(c.text());
                if (++chunks >= closeAfter) break;
            }
        } catch (SluiceException e) {
            failed = e;
        }
        String answer = Objects.requireNonNull(expected.get(prompt), "the script's answer");
        String got = text.toString();
        if (failed != null) {
            boolean mayFail = fault != null && !chain && !(kind.equals("anthropic") && fault.equals("fake-drop"));
            if (!mayFail) problems.add("failed: " + failed);
            else tally.add("direct.failed.fault." + fault);
            if (!answer.startsWith(got))
                problems.add("text is not a beginning of the answer: " + Transcript.quote(got));
        } else if (chunks >= closeAfter) {
            tally.add("direct.closed_early");
            if (!answer.startsWith(got))
                problems.add("text is not a beginning of the answer: " + Transcript.quote(got));
        } else {
            tally.add("direct.done." + kind);
            if (!got.equals(answer))
                problems.add("completed with " + Transcript.quote(got) + ", expected " + Transcript.quote(answer));
        }
        if (!problems.isEmpty()) tally.fail(what, problems);
    }

    /** {@return a chain from the faulty Anthropic model to Anthropic's (continue) or OpenAI's (restart)} */
    private FallbackChain chain(String kind, String fault) {
        return chains.computeIfAbsent(
                kind + " " + fault,
                k -> FallbackChain.builder()
                        .target(chainAnthropic, fault)
                        .target(
                                kind.equals("chain-continue") ? chainAnthropic : chainOpenai,
                                Objects.requireNonNull(
                                        MODELS.get(kind.equals("chain-continue") ? "anthropic" : "openai")))
                        .build());
    }

    @Override
    public void close() {
        for (AutoCloseable c : clients) {
            try {
                c.close();
            } catch (Exception e) {
                // at the end of the run: nothing left to report to
            }
        }
    }
}
