package dev.sluice.openai;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.internal.call.stream.ProviderStreamFuzzing;
import dev.sluice.internal.call.stream.ProviderStreamFuzzing.Streamed;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuzzes the reading of an OpenAI Responses stream from its bytes: the SSE parser, the event
 * decoder ({@link ResponsesJson}) and the {@link ResponseAccumulator}, as
 * {@link ResponseStream#replay} runs them. The checks are {@link ProviderStreamFuzzing}'s; the
 * streamed values are the function calls' parsed arguments, which grow with their
 * {@code function_call_arguments.delta} events (a {@code .done} event, an output item's
 * {@code added} or {@code done}, and a lifecycle event may replace them). The committed inputs in
 * {@code ResponseStreamFuzzTestInputs/replay} (the recorded streams of
 * {@code src/test/resources/openai-responses} among them) replay in every build.
 */
class ResponseStreamFuzzTest {
    private static final ProviderStreamFuzzing<ResponseStreamEvent, ResponseStreamEvent, Response, ResponseAccumulator>
            CHECKS = new ProviderStreamFuzzing<>(
                    ResponsesStreamDecoding.SSE,
                    ResponsesStreamDecoding.TYPED,
                    e -> e,
                    ResponseAccumulator::new,
                    ResponseAccumulator::snapshot,
                    ResponseStream::replay,
                    ResponseStreamFuzzTest::arguments,
                    ResponseStreamFuzzTest::restarts);

    @FuzzTest
    void replay(byte[] body) {
        CHECKS.check(body);
    }

    /**
     * The parsed arguments of every function call, by its place in the output and the output's size
     * (an item that arrives at a lower output index moves the others).
     */
    private static Map<Object, Streamed> arguments(Response r) {
        Map<Object, Streamed> arguments = new LinkedHashMap<>();
        List<ResponseOutputItem> output = r.output();
        for (int i = 0; i < output.size(); i++) {
            if (output.get(i) instanceof ResponseOutputItem.FunctionCall f) {
                arguments.put(List.of(i, output.size()), new Streamed(f.parsedArguments(), f.arguments()));
            }
        }
        return arguments;
    }

    /** Only argument deltas extend a call's arguments; any other event may replace them. */
    private static Set<Object> restarts(ResponseStreamEvent e) {
        return e instanceof ResponseStreamEvent.FunctionCallArgumentsDelta
                ? Set.of()
                : Set.of(ProviderStreamFuzzing.ALL);
    }
}
