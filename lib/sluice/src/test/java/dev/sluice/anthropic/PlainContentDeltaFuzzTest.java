package dev.sluice.anthropic;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link PlainContentDelta}, the check of an Anthropic Messages event's text that spares a
 * verbatim stream the decode of its plain content deltas. For any text (the bytes as UTF-8): the
 * check throws nothing, and what it calls a plain content delta both of {@link AnthropicEventDecoder}'s
 * paths read with no error into the same text, thinking or input-JSON delta with text, which the
 * rules call content and substance, neither an end, an error nor usage
 * ({@link PlainContentDeltaTest#assertDecodesAsPlainContent}). The committed inputs in
 * {@code PlainContentDeltaFuzzTestInputs/scan} (deltas as Anthropic's API and Python servers write
 * them) replay in every build.
 */
class PlainContentDeltaFuzzTest {

    @FuzzTest
    void scan(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        if (PlainContentDelta.isPlainContentDelta(text)) PlainContentDeltaTest.assertDecodesAsPlainContent(text);
    }
}
