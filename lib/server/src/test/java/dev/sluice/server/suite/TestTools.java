package dev.sluice.server.suite;

import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ApprovalPolicy;
import dev.sluice.agent.ToolRunner;
import dev.sluice.chat.ChatProvider;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelaySource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The tools the relay's tests run: the weather of a city, a count that reports its progress, and a
 * deploy (to ask approval of) with what lets it end.
 */
public final class TestTools {
    private TestTools() {}

    /** {@return each stream run through a tool runner with both tools, at most five turns} */
    public static Relay.SourceFactory runner(ChatProvider provider, Duration countStep) {
        return runner(provider, countStep, ApprovalPolicy.none());
    }

    /** {@return each stream run through a tool runner with both tools, at most five turns, asking approval by the policy} */
    public static Relay.SourceFactory runner(ChatProvider provider, Duration countStep, ApprovalPolicy approval) {
        return RelaySource.toolRunner(ToolRunner.builder(provider)
                .tool(weather())
                .tool(countSlowly(countStep))
                .approval(approval)
                .maxTurns(5)
                .build());
    }

    /** {@return get_weather(city): {@link #weatherIn}} */
    public static AgentTool weather() {
        return AgentTool.of(
                "get_weather",
                "The weather in a city",
                Map.of(
                        "type",
                        "object",
                        "properties",
                        Map.of("city", Map.of("type", "string")),
                        "required",
                        List.of("city")),
                (arguments, context) -> weatherIn(String.valueOf(arguments.get("city"))));
    }

    /** {@return the weather of a city as the tool answers it: the same for every city} */
    public static String weatherIn(String city) {
        return "{\"city\":\"" + city + "\",\"condition\":\"mild\",\"celsius\":18,\"wind_kmh\":12}";
    }

    /**
     * {@return deploy(env): adds the env to {@code deployed}, reports four steps of progress, and
     * answers {@code deployed to ENV}; for an env that names {@code reload}, runs on after its
     * progress until {@code released} (at most a minute)}
     */
    public static AgentTool deploy(Queue<String> deployed, CountDownLatch released) {
        return AgentTool.of(
                "deploy",
                "Deploys to an environment",
                Map.of(
                        "type",
                        "object",
                        "properties",
                        Map.of("env", Map.of("type", "string")),
                        "required",
                        List.of("env")),
                (arguments, context) -> {
                    String env = String.valueOf(arguments.get("env"));
                    deployed.add(env);
                    for (int step = 1; step <= 4; step++) context.progress("step " + step, step, 4.0);
                    if (env.contains("reload")) released.await(60, TimeUnit.SECONDS);
                    return "deployed to " + env;
                });
    }

    /** {@return release(): lets {@link #deploy} calls that run on end} */
    public static AgentTool release(CountDownLatch released) {
        return AgentTool.of("release", "Lets a held deploy end", Map.of("type", "object"), (arguments, context) -> {
            released.countDown();
            return "released";
        });
    }

    /** {@return count_slowly(n): a step each {@code step}, its progress reported after each} */
    public static AgentTool countSlowly(Duration step) {
        return AgentTool.of(
                "count_slowly",
                "Counts to n",
                Map.of(
                        "type",
                        "object",
                        "properties",
                        Map.of("n", Map.of("type", "integer")),
                        "required",
                        List.of("n")),
                (arguments, context) -> {
                    long n = (Long) arguments.get("n");
                    for (long i = 1; i <= n; i++) {
                        Thread.sleep(step);
                        context.progress("counted " + i + " of " + n, 100.0 * i / n);
                    }
                    return "{\"counted\":" + n + "}";
                });
    }
}
