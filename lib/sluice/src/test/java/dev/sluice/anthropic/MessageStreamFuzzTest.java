package dev.sluice.anthropic;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.internal.call.stream.ProviderStreamFuzzing;
import dev.sluice.internal.call.stream.ProviderStreamFuzzing.Streamed;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuzzes the reading of an Anthropic Messages stream from its bytes: the SSE parser, the event
 * decoder (its compact raw-bytes path and its Jackson path) and the {@link MessageAccumulator}, as
 * {@link MessageStream#replay} runs them. The checks are {@link ProviderStreamFuzzing}'s; the
 * streamed values are the tool-use blocks' inputs, which grow from delta to delta. The committed
 * inputs in {@code MessageStreamFuzzTestInputs/replay} (the recorded streams of
 * {@code src/test/resources/anthropic} among them) replay in every build.
 */
class MessageStreamFuzzTest {
    private static final ProviderStreamFuzzing<StreamEvent, StreamEvent, Message, MessageAccumulator> CHECKS =
            new ProviderStreamFuzzing<>(
                    AnthropicStreamDecoding.SSE,
                    AnthropicStreamDecoding.RULES,
                    e -> e,
                    MessageAccumulator::new,
                    MessageAccumulator::partial,
                    MessageStream::replay,
                    MessageStreamFuzzTest::toolInputs,
                    MessageStreamFuzzTest::restarts);

    @FuzzTest
    void replay(byte[] body) {
        CHECKS.check(body);
    }

    /** The inputs of the tool-use blocks, by their place in the content. */
    private static Map<Object, Streamed> toolInputs(Message m) {
        Map<Object, Streamed> inputs = new LinkedHashMap<>();
        List<ContentBlock> content = m.content();
        for (int i = 0; i < content.size(); i++) {
            if (content.get(i) instanceof ToolUse t) inputs.put(i, new Streamed(t.input(), t.inputJson()));
        }
        return inputs;
    }

    /** Only deltas extend a block: a block's start or stop, or the message's, begins anew. */
    private static Set<Object> restarts(StreamEvent e) {
        return e instanceof ContentBlockDelta ? Set.of() : Set.of(ProviderStreamFuzzing.ALL);
    }
}
