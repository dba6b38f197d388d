package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.agent.AgentEvent;
import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ToolRunner;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.aws.AwsAccess;
import dev.sluice.bedrock.BedrockClient;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.client.RetryPolicy;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeBedrock;
import dev.sluice.testkit.clouds.FakeVertex;
import dev.sluice.vertex.VertexAccess;
import java.time.Duration;
import java.time.Instant;
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
 * the tool runner over fallback chains drawn from Anthropic (two targets of it), Claude on Bedrock,
 * Gemini, Gemini 3 on Vertex AI, Bedrock's Converse, the Responses API and DeepSeek (Chat
 * Completions), each target on a strict fake server of its own (the request checked as the real API
 * checks it, opaque state included), thinking on, a tool loop then a second question, with thinking
 * on too. Each server's faults are drawn per request (overloaded before content, a slow first token
 * that a hedge races, a cut after the first events). The opaque values each target issued are read
 * from the state its client produced (below the chain); every opaque field a server receives
 * ({@code signature}, {@code thoughtSignature}, {@code redactedContent}, a redacted block's
 * {@code data}, {@code encrypted_content}, {@code reasoning_content}) must be one its own target
 * issued, and no server refuses an opaque value ({@link FakeLlmServer#opaqueRejections()}).
 */
class StateRuleRandomizedTest {
    private static final int RUNS = 100;
    private static final String BEDROCK_MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final Set<String> OPAQUE_KEYS = Set.of(
            "signature",
            "thoughtSignature",
            "thought_signature",
            "redactedContent",
            "encrypted_content",
            "reasoning_content");
    /** Gemini's documented stand-in for a missing thought signature, DeepSeek's for missing reasoning, and the empty text. */
    private static final Set<String> STAND_INS =
            Set.of("skip_thought_signature_validator", "context_engineering_is_the_way_to_go", " ", "");

    private static final String ASK = "What is the weather in ";
    private static final String USE = "? Use the get_weather tool.";
    private static final List<String> NAMES = List.of(
            "anthropic-1", "anthropic-2", "bedrock-anthropic", "gemini", "vertex", "bedrock", "responses", "deepseek");

    /** One target: its fake server, its client, the opaque values its client was issued. */
    private record Target(String name, FakeLlmServer server, ChatProvider client, String model, Set<String> issued) {}

    private static final List<Target> TARGETS = new ArrayList<>();
    private static final List<AutoCloseable> CLOSE = new ArrayList<>();
    private static final Map<FakeLlmServer, Boolean> MAY_FAIL = new ConcurrentHashMap<>();
    private static final List<Map.Entry<String, Integer>> ATTEMPTS = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static volatile Random faults = new Random(71);

    @BeforeAll
    static void start() {
        for (String name : NAMES) {
            FakeLlmServer server = FakeLlmServer.builder().tokensPerSecond(0).start();
            CLOSE.add(server);
            server.setDispatcher(r -> answer(name, server, r));
            String base = server.baseUrl().toString();
            ChatProvider client;
            String model;
            switch (name) {
                case "gemini" -> {
                    GeminiClient c = GeminiClient.builder()
                            .apiKey("k")
                            .baseUrl(base)
                            .retryPolicy(RetryPolicy.none())
                            .build();
                    CLOSE.add(c);
                    client = c;
                    model = "gemini-2.5-flash";
                }
                case "vertex" -> {
                    VertexAccess vertex = VertexAccess.builder()
                            .project(FakeVertex.PROJECT)
                            .location("global")
                            .endpoint(base)
                            .tokenProvider(() -> new AccessTokenProvider.Token(
                                    FakeVertex.ACCESS_TOKEN, Instant.now().plusSeconds(3600)))
                            .build();
                    GeminiClient c = GeminiClient.builder()
                            .vertex(vertex)
                            .retryPolicy(RetryPolicy.none())
                            .build();
                    CLOSE.add(c);
                    client = c;
                    model = "gemini-3-pro-preview";
                }
                case "responses", "deepseek" -> {
                    OpenAiClient c = OpenAiClient.builder()
                            .apiKey("k")
                            .baseUrl(base)
                            .retryPolicy(RetryPolicy.none())
                            .build();
                    CLOSE.add(c);
                    client = name.equals("deepseek") ? c : c.responses();
                    model = name.equals("deepseek") ? "deepseek-v4-flash" : "gpt-5";
                }
                case "bedrock-anthropic" -> {
                    AwsAccess aws = AwsAccess.builder()
                            .region("us-east-1")
                            .endpoint(server.baseUrl())
                            .credentials(FakeBedrock.ACCESS_KEY_ID, FakeBedrock.SECRET_ACCESS_KEY)
                            .build();
                    AnthropicClient c = AnthropicClient.builder()
                            .bedrock(aws)
                            .retryPolicy(RetryPolicy.none())
                            .build();
                    CLOSE.add(c);
                    client = c;
                    model = BEDROCK_MODEL;
                }
                case "bedrock" -> {
                    AwsAccess aws = AwsAccess.builder()
                            .region("us-east-1")
                            .endpoint(server.baseUrl())
                            .credentials(FakeBedrock.ACCESS_KEY_ID, FakeBedrock.SECRET_ACCESS_KEY)
                            .build();
                    BedrockClient c = BedrockClient.builder()
                            .access(aws)
                            .retryPolicy(RetryPolicy.none())
                            .build();
                    CLOSE.add(c);
                    client = c;
                    model = BEDROCK_MODEL;
                }
                default -> {
                    AnthropicClient c = AnthropicClient.builder()
                            .apiKey("k")
                            .baseUrl(base)
                            .retryPolicy(RetryPolicy.none())
                            .build();
                    CLOSE.add(c);
                    client = c;
                    model = "claude-sonnet-4-5";
                }
            }
            Set<String> issued = ConcurrentHashMap.newKeySet();
            // below the chain: what the target's own client produced, before any stamp
            ChatProvider recording = ChatProvider.peeking(client, c -> {
                if (c.providerState() != null)
                    leaves(PartialJson.parse(c.providerState().data()).value(), issued);
            });
            ChatProvider counting = new ChatProvider() { // what each target was sent: how long a history
                        @Override
                        public EventStream<MessageChunk> stream(
                                ChatRequest request, dev.sluice.stream.StreamController controller) {
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

    /**
     * The fake's answer: the server's own (its strict checks applied: a tool call, then the answer,
     * thinking when asked), or, when the server may fail, a drawn fault.
     */
    private static FakeResponse answer(String target, FakeLlmServer server, RecordedRequest r) {
        boolean mayFail = MAY_FAIL.getOrDefault(server, false);
        double roll;
        synchronized (StateRuleRandomizedTest.class) {
            roll = faults.nextDouble();
        }
        if (mayFail && roll < 0.25) return FakeResponse.overloaded();
        FakeResponse answer = FakeResponse.answerPrompt();
        if (mayFail && roll < 0.40) return answer.paced(Duration.ofMillis(300), Duration.ZERO); // a hedge may race it
        if (mayFail && roll < 0.48) return answer.cutAfter(2);
        return answer;
    }

    /** Adds every string of a JSON value. */
    private static void leaves(Object value, Set<String> out) {
        switch (value) {
            case String s -> out.add(s);
            case Map<?, ?> m -> m.values().forEach(v -> leaves(v, out));
            case List<?> l -> l.forEach(v -> leaves(v, out));
            case null, default -> {}
        }
    }

    /** Adds the opaque fields of a request's JSON value. */
    private static void opaque(Object value, List<String> out) {
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                boolean redacted = "data".equals(e.getKey()) && "redacted_thinking".equals(m.get("type"));
                if ((OPAQUE_KEYS.contains(String.valueOf(e.getKey())) || redacted) && e.getValue() instanceof String s)
                    out.add(s);
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

    /** {@return each server's count of refused or foreign opaque values so far} */
    private static Map<String, Long> rejections() {
        Map<String, Long> at = new java.util.HashMap<>();
        for (Target t : TARGETS) at.put(t.name(), t.server().opaqueRejections());
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
                    if (STAND_INS.contains(f)) continue; // what the APIs document for a turn without state: nobody's
                    if (t.issued().contains(f)) own++;
                    else foreign++;
                }
            }
        }
        return new long[] {own, foreign};
    }

    private static List<ChatMessage> run(ChatProvider chain, List<ChatMessage> history, Integer thinking) {
        AtomicInteger results = new AtomicInteger();
        AgentTool weather = AgentTool.of(
                "get_weather",
                "Weather in a city",
                Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))),
                (arguments, context) -> "result " + results.incrementAndGet());
        ToolRunner runner = ToolRunner.builder(chain).tool(weather).maxTurns(5).build();
        ChatRequest.Builder b =
                ChatRequest.builder().model("unused").messages(history).maxTokens(4096);
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
        Map<String, Long> rejected = rejections();
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
            if (random.nextBoolean())
                b.hedging(Hedging.after(Duration.ofMillis(30)).withCap(1.0, 100));
            FallbackChain chain = b.build();
            ATTEMPTS.clear();

            List<ChatMessage> first = run(chain, List.of(ChatMessage.user(ASK + "Paris" + USE)), 1024);
            List<ChatMessage> second = new ArrayList<>(first);
            second.add(ChatMessage.user(ASK + "Oslo" + USE));
            List<ChatMessage> end = run(chain, second, 1024);

            assertTrue(end.size() >= second.size() + 3, "run " + run + ": a tool call, its result, the answer");
            assertTrue(
                    end.getLast().toolCalls().isEmpty() && !end.getLast().text().isBlank(),
                    "run " + run + ": " + end.getLast());
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
            hedges += chain.hedgeCounts().values().stream()
                    .mapToLong(FallbackChain.HedgeCounts::started)
                    .sum();
        }
        long[] counted = count(from);
        System.out.printf(
                "state rule: %d runs, %d failovers, %d hedges, %d requests to a target whose history held another"
                        + " target's state, %d own opaque fields sent back, %d foreign%n",
                RUNS, failovers, hedges, foreignInHistory, counted[0], counted[1]);
        assertEquals(0, counted[1], "foreign opaque fields sent");
        assertEquals(rejected, rejections(), "opaque values the strict fakes refused or counted as foreign");
        assertTrue(counted[0] > 100, "own opaque fields sent back: " + counted[0]);
        assertTrue(
                failovers > 50 && hedges > 10 && foreignInHistory > 50,
                failovers + " failovers, " + hedges + " hedges, " + foreignInHistory);
    }

    @Test
    void count_historySentToAnotherTargetDirectly_foreignFieldsCounted() {
        Map<String, Integer> from = mark();
        MAY_FAIL.clear();
        Target one = TARGETS.get(0);
        Target two = TARGETS.get(1);
        long before = two.server().opaqueRejections();
        List<ChatMessage> history =
                new ArrayList<>(run(one.client(), List.of(ChatMessage.user(ASK + "Paris" + USE)), 1024));
        history.add(ChatMessage.user(ASK + "Oslo" + USE));

        run(two.client(), history, null); // a plain client: nothing strips the other target's state

        assertTrue(count(from)[1] > 0, "the counter sees a foreign signature");
        assertTrue(two.server().opaqueRejections() > before, "and so does the strict fake");
    }
}
