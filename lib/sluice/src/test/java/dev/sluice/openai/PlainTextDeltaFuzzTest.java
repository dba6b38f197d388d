package dev.sluice.openai;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link PlainTextDelta}, the check of a Responses API event's text that spares a verbatim
 * stream the decode of its plain text deltas. For any text (the bytes as UTF-8): the check throws
 * nothing, and what it calls a plain text delta {@link ResponsesJson} reads with no error into a
 * text delta with text, which the rules call content and substance, neither an end, an error nor
 * usage ({@link PlainTextDeltaTest#assertDecodesAsPlainText}). The committed inputs in
 * {@code PlainTextDeltaFuzzTestInputs/scan} (text deltas as OpenAI and Python servers write them)
 * replay in every build.
 */
class PlainTextDeltaFuzzTest {

    @FuzzTest
    void scan(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        if (PlainTextDelta.isPlainTextDelta(text)) PlainTextDeltaTest.assertDecodesAsPlainText(text);
    }
}
