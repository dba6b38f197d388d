package dev.sluice.examples.flink;

import dev.sluice.flink.ClientSpec;
import dev.sluice.flink.Completion;
import dev.sluice.flink.Prompt;
import dev.sluice.flink.SluiceAsyncFunction;
import dev.sluice.providers.ProviderCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A job that streams every line of a file as one prompt and prints the replies, failures routed
 * apart: the recipe for a real cluster (see the README). Arguments:
 * {@code PROMPTS_FILE [provider] [model] [timeout-seconds] [max-concurrent-streams-per-task-manager]},
 * defaults {@code anthropic claude-sonnet-4-5 120 64}; the API key comes from the task managers'
 * environment ({@code ANTHROPIC_API_KEY}, ...), the base URL from {@code SLUICE_BASE_URL} if set.
 */
public final class PromptFanOutJob {
    private PromptFanOutJob() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println(
                    "usage: PromptFanOutJob PROMPTS_FILE [provider] [model] [timeout-seconds] [max-concurrent-streams]");
            System.exit(2);
        }
        List<Prompt> prompts = read(Path.of(args[0]));
        ClientSpec.Builder spec = ClientSpec.builder()
                .provider(args.length > 1 ? args[1] : ProviderCatalog.ANTHROPIC.id())
                .maxConcurrentStreams(args.length > 4 ? Integer.parseInt(args[4]) : 64);
        String base = System.getenv("SLUICE_BASE_URL");
        if (base != null && !base.isBlank()) spec.baseUrl(base);
        String model = args.length > 2 ? args[2] : "claude-sonnet-4-5";
        Duration timeout = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 120);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<Completion> completions = completions(env.fromData(prompts), spec.build(), model, timeout);
        completions
                .filter(Completion::ok)
                .map(c -> c.promptId() + "\t" + c.outputTokens() + " tokens\t" + c.text())
                .print("ok");
        completions
                .filter(c -> !c.ok())
                .map(c -> c.promptId() + "\t" + c.status() + "\t" + c.errorType() + ": " + c.errorMessage())
                .print("failed");
        env.execute("sluice prompt fan-out");
    }

    /**
     * The fan-out: one completion per prompt, in no particular order, at most 100 prompts in flight
     * per subtask (the task manager's stream limit applies on top).
     *
     * @param prompts the prompts
     * @param spec the shared client's spec
     * @param model the model
     * @param timeout Flink's timeout per prompt; a prompt that takes longer is cancelled and emitted TIMED_OUT
     * @return the completions, failures included
     */
    public static DataStream<Completion> completions(
            DataStream<Prompt> prompts, ClientSpec spec, String model, Duration timeout) {
        return AsyncDataStream.unorderedWait(
                prompts, new SluiceAsyncFunction(spec, model, 1024), timeout.toMillis(), TimeUnit.MILLISECONDS, 100);
    }

    /** {@return one prompt per non-blank line, its id the line number} */
    static List<Prompt> read(Path file) throws IOException {
        List<Prompt> prompts = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank())
                prompts.add(new Prompt("line-" + (i + 1), lines.get(i).strip()));
        }
        return prompts;
    }
}
