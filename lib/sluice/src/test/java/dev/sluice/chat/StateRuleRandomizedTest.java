package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.agent.AgentEvent;
import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ToolRunner;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.aws.AwsAccess;
import dev.sluice.bedrock.BedrockClient;
import dev.sluice.client.RetryPolicy;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.bedrock.FakeBedrock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The state rule under randomized failover and hedging across providers: 100 conversations through
 * the tool runner over fallback chains of Anthropic (two targets of it), Gemini and Bedrock's
 * Converse, each target on a fake server of its own, thinking on, a tool loop of three model turns
 * then a second question. Each server's faults are drawn per request (overloaded before content,
 * a slow first token that a hedge races, a cut after the first events). The opaque values each
 * target issued are read from the state its client produced (below the chain); every opaque field a
 * server receives ({@code signature}, {@code thoughtSignature}, {@code redactedContent}, a redacted
 * block's {@code data}, {@code encrypted_content}) must be one its own target issued.
 *
 * <p>The second question goes without thinking: the current fakes check the thinking of every
 * past tool turn, where the APIs check the turn in progress only, and a past loop answered by
 * another target has none to give back (its state is stripped, as the rule says).
 */
class StateRuleRandomizedTest {
    private static final int RUNS = 100;
    private static final String BEDROCK_MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final Set<String> OPAQUE_KEYS = Set.of("signature", "thoughtSignature", "thought_signature",
            "redactedContent", "encrypted_content");

    /** One target: its fake server, its client, the opaque values its client was issued. */
    private record Target(String name, FakeLlmServer server, ChatProvider client, String model, Set<String> issued) {}

    private static final List<Target> TARGETS = new ArrayList<>();
    private static final List<AutoCloseable> CLOSE = new ArrayList<>();
    private static final Map<FakeLlmServer, Boolean> MAY_FAIL = new ConcurrentHashMap<>();
    private static final AtomicInteger ISSUED = new AtomicInteger();
    private static final List<Map.Entry<String, Integer>> ATTEMPTS = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static volatile Random faults = new Random(71);

    @BeforeAll
    static void start() {
        for (String name : List.of("anthropic-1", "anthropic-2", "gemini", "bedrock")) {
            FakeLlmServer server = FakeLlmServer.builder().tokensPerSecond(0).start();
            CLOSE.add(server);
            server.setDispatcher(r -> answer(name, server, r));
            String base = server.baseUrl().toString();
            ChatProvider client;
            String model;
            switch (name) {
                case "gemini" -> {
                    GeminiClient c = GeminiClient.builder().apiKey("k").baseUrl(base).retryPolicy(RetryPolicy.none()).build();
                    CLOSE.add(c);
                    client = c;
                    model = "gemini-2.5-flash";
                }
                case "bedrock" -> {
                    AwsAccess aws = AwsAccess.builder().region("us-east-1").endpoint(server.baseUrl())
                            .credentials(FakeBedrock.ACCESS_KEY_ID, FakeBedrock.SECRET_ACCESS_KEY).build();
                    BedrockClient c = BedrockClient.builder().access(aws).retryPolicy(RetryPolicy.none()).build();
                    CLOSE.add(c);
                    client = c;
                    model = BEDROCK_MODEL;
                }
                default -> {
                    AnthropicClient c = AnthropicClient.builder().apiKey("k").baseUrl(base).retryPolicy(RetryPolicy.none()).build();
                    CLOSE.add(c);
                    client = c;
                    model = "claude-sonnet-4-5";
                }
            }
            Set<String> issued = ConcurrentHashMap.newKeySet();
            // below the chain: what the target's own client produced, before any stamp
            ChatProvider recording = ChatProvider.peeking(client, c -> {
                if (c.providerState() != null) leaves(PartialJson.parse(c.providerState().data()).value(), issued);
            });
            ChatProvider counting = new ChatProvider() { // what each target was sent: how long a history
                @Override
                public EventStream<MessageChunk> stream(ChatRequest request, dev.sluice.stream.StreamController controller) {
                    ATTEMPTS.add(Map.entry(name, request.messages().size()));
                    return recording.stream(request, controller);
                }

                @Override
                public boolean continuesAssistantTurn() {
                    return recording.continuesAssistantTurn();
                }
            };
            TARGETS.add(new Target(name, server, counting, model, issued));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : CLOSE.reversed()) c.close();
    }

    /** The fake's answer: a tool call, another, then the answer; with thinking when asked; each opaque value unique. */
    private static FakeResponse answer(String target, FakeLlmServer server, RecordedRequest r) {
        boolean mayFail = MAY_FAIL.getOrDefault(server, false);
        double roll;
        synchronized (StateRuleRandomizedTest.class) {
            roll = faults.nextDouble();
        }
        if (mayFail && roll < 0.25) return FakeResponse.overloaded();
        boolean thinking = r.json("/thinking") != null || r.json("/generationConfig/thinkingConfig") != null
                || r.json("/additionalModelRequestFields/thinking") != null;
        int n = ISSUED.incrementAndGet();
        FakeResponse answer = FakeResponse.answer();
        if (thinking) answer = answer.thinking("Thinking on " + target + ", ", "answer " + n + ".");
        answer = resultsThisTurn(r) >= 2 ? answer.text("It is 18 degrees ", "on " + target + ".")
                : answer.toolCall("get_weather", "{\"city\":\"Paris-" + target + "-" + n + "\"}");
        if (mayFail && roll < 0.40) return answer.paced(Duration.ofMillis(300), Duration.ZERO); // a hedge may race it
        if (mayFail && roll < 0.48) return answer.cutAfter(2);
        return answer;
    }

    /** {@return how many tool results the request's turn in progress holds (after the last user text), in any of the three wires} */
    private static int resultsThisTurn(RecordedRequest r) {
        Object messages = r.json("/messages");
        if (messages == null) messages = r.json("/contents");
        List<?> entries = messages instanceof List<?> l ? l : List.of();
        int results = 0;
        for (int i = entries.size() - 1; i >= 0; i--) {
            String entry = String.valueOf(entries.get(i));
            if (entry.contains("tool_result") || entry.contains("toolResult") || entry.contains("functionResponse")) results++;
            else if (entries.get(i) instanceof Map<?, ?> m && "user".equals(m.get("role"))) break;
        }
        return results;
    }

    /** Adds every string of a JSON value. */
    private static void leaves(Object value, Set<String> out) {
        switch (value) {
            case String s -> out.add(s);
            case Map<?, ?> m -> m.values().forEach(v -> leaves(v, out));
            case List<?> l -> l.forEach(v -> leaves(v, out));
            case null, default -> { }
        }
    }

    /** Adds the opaque fields of a request's JSON value. */
    private static void opaque(Object value, List<String> out) {
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                boolean redacted = "data".equals(e.getKey()) && "redacted_thinking".equals(m.get("type"));
                if ((OPAQUE_KEYS.contains(String.valueOf(e.getKey())) || redacted) && e.getValue() instanceof String s) out.add(s);
                else opaque(e.getValue(), out);
            }
        } else if (value instanceof List<?> l) {
            l.forEach(v -> opaque(v, out));
        }
    }

    /** {@return how many requests each server has received so far} */
    private static Map<String, Integer> mark() {
        Map<String, Integer> at = new java.util.HashMap<>();
        for (Target t : TARGETS) at.put(t.name(), t.server().requests().size());
        return at;
    }

    /** Counts, over the requests each server received since {@code from}, their opaque fields: [own, foreign]. */
    private static long[] count(Map<String, Integer> from) {
        long own = 0;
        long foreign = 0;
        for (Target t : TARGETS) {
            List<RecordedRequest> all = t.server().requests();
            for (RecordedRequest r : all.subList(from.get(t.name()), all.size())) {
                List<String> fields = new ArrayList<>();
                opaque(r.json(), fields);
                for (String f : fields) {
                    if (t.issued().contains(f)) own++;
                    else foreign++;
                }
            }
        }
        return new long[] {own, foreign};
    }

    private static List<ChatMessage> run(ChatProvider chain, List<ChatMessage> history, Integer thinking) {
        AtomicInteger results = new AtomicInteger();
        AgentTool weather = AgentTool.of("get_weather", "Weather in a city",
                Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))),
                (arguments, context) -> "result " + results.incrementAndGet());
        ToolRunner runner = ToolRunner.builder(chain).tool(weather).maxTurns(5).build();
        ChatRequest.Builder b = ChatRequest.builder().model("unused").messages(history).maxTokens(4096);
        if (thinking != null) b.thinkingBudget(thinking);
        ChatRequest request = b.build();
        List<ChatMessage> conversation = null;
        try (EventStream<AgentEvent> events = runner.run(request)) {
            for (AgentEvent e : events) {
                if (e instanceof AgentEvent.RunFinished f) conversation = f.conversation();
            }
        }
        return conversation;
    }

    @Test
    void hundredRuns_failoverAndHedgingAcrossProviders_noServerGetsAForeignOpaqueField() {
        Random random = new Random(2026);
        faults = new Random(71);
        Map<String, Integer> from = mark();
        long failovers = 0;
        long hedges = 0;
        int foreignInHistory = 0; // requests whose chain input held a state of another target, stripped
        for (int run = 0; run < RUNS; run++) {
            List<Target> order = new ArrayList<>(TARGETS);
            Collections.shuffle(order, random);
            order = order.subList(0, 2 + random.nextInt(3));
            MAY_FAIL.clear();
            for (int i = 0; i < order.size(); i++) MAY_FAIL.put(order.get(i).server(), i < order.size() - 1);
            FallbackChain.Builder b = FallbackChain.builder();
            for (Target t : order) b.target(t.name(), t.client(), t.model());
            if (random.nextBoolean()) b.hedging(Hedging.after(Duration.ofMillis(30)).withCap(1.0, 100));
            FallbackChain chain = b.build();
            ATTEMPTS.clear();

            List<ChatMessage> first = run(chain, List.of(ChatMessage.user("Weather in Paris? Check it twice.")), 1024);
            List<ChatMessage> second = new ArrayList<>(first);
            second.add(ChatMessage.user("And tomorrow?"));
            List<ChatMessage> end = run(chain, second, null);

            assertTrue(end.getLast().text().contains("18 degrees"), "run " + run + ": " + end.getLast());
            for (Map.Entry<String, Integer> a : ATTEMPTS) { // a request to a target whose history held another's state
                for (int i = 0; i < a.getValue(); i++) {
                    ProviderState state = end.get(i).providerState();
                    if (state != null && !state.target().equals(a.getKey())) {
                        foreignInHistory++;
                        break;
                    }
                }
            }
            failovers += chain.failovers();
            hedges += chain.hedgeCounts().values().stream().mapToLong(FallbackChain.HedgeCounts::started).sum();
        }
        long[] counted = count(from);
        System.out.printf("state rule: %d runs, %d failovers, %d hedges, %d requests to a target whose history held another"
                + " target's state, %d own opaque fields sent back, %d foreign%n", RUNS, failovers, hedges, foreignInHistory,
                counted[0], counted[1]);
        assertEquals(0, counted[1], "foreign opaque fields sent");
        assertTrue(counted[0] > 100, "own opaque fields sent back: " + counted[0]);
        assertTrue(failovers > 50 && hedges > 10 && foreignInHistory > 50, failovers + " failovers, " + hedges + " hedges, "
                + foreignInHistory);
    }

    @Test
    void count_historySentToAnotherTargetDirectly_foreignFieldsCounted() {
        Map<String, Integer> from = mark();
        MAY_FAIL.clear();
        Target one = TARGETS.get(0);
        Target two = TARGETS.get(1);
        List<ChatMessage> history = new ArrayList<>(run(one.client(), List.of(ChatMessage.user("Weather in Paris?")), 1024));
        history.add(ChatMessage.user("And tomorrow?"));

        run(two.client(), history, null); // a plain client: nothing strips the other target's state

        assertTrue(count(from)[1] > 0, "the counter sees a foreign signature");
    }
}
