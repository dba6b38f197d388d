package dev.sluice.openai;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link PlainContentChunk}, the check of a Chat Completions chunk's text that spares a
 * verbatim stream the decode of its plain content chunks. For any text (the bytes as UTF-8): the
 * check throws nothing, and what it calls plain content {@link OpenAiEventDecoder} reads with no
 * error into a chunk the rules call content and substance, neither an end, an error nor usage
 * ({@link PlainContentChunkTest#assertDecodesAsPlainContent}). The committed inputs in
 * {@code PlainContentChunkFuzzTestInputs/scan} (chunks as OpenAI, vLLM, Ollama, LiteLLM and
 * OpenRouter write them) replay in every build.
 */
class PlainContentChunkFuzzTest {

    @FuzzTest
    void scan(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        if (PlainContentChunk.isPlainContent(text)) PlainContentChunkTest.assertDecodesAsPlainContent(text);
    }
}
