package dev.sluice.openai;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.internal.call.stream.ProviderStreamFuzzing;
import dev.sluice.internal.call.stream.ProviderStreamFuzzing.Streamed;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuzzes the reading of an OpenAI Chat Completions stream from its bytes: the SSE parser, the
 * chunk decoder and the {@link ChatCompletionAccumulator}, as {@link ChatCompletionStream#replay}
 * runs them. The checks are {@link ProviderStreamFuzzing}'s; the streamed values are the tool calls'
 * parsed arguments, which grow with every chunk. The committed inputs in
 * {@code ChatCompletionStreamFuzzTestInputs/replay} (the recorded streams of
 * {@code src/test/resources/openai} among them) replay in every build.
 */
class ChatCompletionStreamFuzzTest {
    private static final ProviderStreamFuzzing<
                    ChatCompletionEvent, ChatCompletionEvent, ChatCompletion, ChatCompletionAccumulator>
            CHECKS = new ProviderStreamFuzzing<>(
                    OpenAiStreamDecoding.SSE,
                    OpenAiStreamDecoding.RULES,
                    e -> e,
                    ChatCompletionAccumulator::new,
                    ChatCompletionAccumulator::snapshot,
                    ChatCompletionStream::replay,
                    ChatCompletionStreamFuzzTest::arguments,
                    e -> Set.of());

    @FuzzTest
    void replay(byte[] body) {
        CHECKS.check(body);
    }

    /**
     * The parsed arguments of every tool call, by choice, call and type (a custom tool's input is
     * not parsed: a call whose type turns out to be custom has no parsed value from then on).
     */
    private static Map<Object, Streamed> arguments(ChatCompletion c) {
        Map<Object, Streamed> arguments = new LinkedHashMap<>();
        for (ChatCompletion.Choice choice : c.choices()) {
            if (choice.message() == null) continue;
            for (ChatCompletion.FunctionToolCall call : choice.message().toolCalls()) {
                arguments.put(
                        List.of(choice.index(), call.index(), call.type()),
                        new Streamed(call.parsedArguments(), call.arguments()));
            }
        }
        return arguments;
    }
}
