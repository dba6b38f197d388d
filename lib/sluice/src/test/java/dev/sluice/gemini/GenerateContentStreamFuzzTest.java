package dev.sluice.gemini;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.internal.call.stream.ProviderStreamFuzzing;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;

/**
 * Fuzzes the reading of a Gemini {@code streamGenerateContent} stream from its bytes: the SSE
 * parser, the {@link GeminiDecoder} and the {@link GenerateContentAccumulator}, as
 * {@link GenerateContentStream#replay} runs them. The checks are {@link ProviderStreamFuzzing}'s
 * (Gemini streams no partial values: a function call comes whole). The committed inputs in
 * {@code GenerateContentStreamFuzzTestInputs/replay} (the recorded streams of
 * {@code src/test/resources/gemini} among them) replay in every build.
 */
class GenerateContentStreamFuzzTest {
    private static final ProviderStreamFuzzing<
                    GeminiEvent, GenerateContentResponse, GenerateContentResponse, GenerateContentAccumulator>
            CHECKS = new ProviderStreamFuzzing<>(
                    new GeminiStreamDecoding.Sse(InstantSource.fixed(Instant.EPOCH), () -> 0),
                    GeminiStreamDecoding.RULES,
                    e -> e.chunk().orElse(null),
                    GenerateContentAccumulator::new,
                    GenerateContentAccumulator::snapshot,
                    GenerateContentStream::replay,
                    r -> Map.of(),
                    e -> Set.of());

    @FuzzTest
    void replay(byte[] body) {
        CHECKS.check(body);
    }
}
