package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --file PATH}: the file reaches the test kit's strict fake of each provider in that
 * provider's own shape, its type read from its first bytes; a kind the model's catalog row says it
 * cannot read, an unknown type or a missing file is a usage error (exit 2) and nothing is sent.
 */
class StreamFileTest {
    private static final byte[] PDF = "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WAV = "RIFF\u0024\0\0\0WAVEfmt ".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0};

    @TempDir
    Path dir;

    /** One fake a class, reset between tests as if new. */
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    private StreamCommandTest.Result run(String... args) {
        return StreamEffortTest.runDirect(FAKE.server(), args);
    }

    private String file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes).toString();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "anthropic, claude-sonnet-5-5, report.pdf, /messages/0/content/0/type, document",
        "anthropic, claude-sonnet-5-5, report.pdf, /messages/0/content/0/source/media_type, application/pdf",
        "anthropic, claude-sonnet-5-5, chart.png, /messages/0/content/0/type, image",
        "openai, gpt-6.1-sol, report.pdf, /messages/0/content/0/type, file",
        "openai, gpt-6.1-sol, report.pdf, /messages/0/content/0/file/filename, report.pdf",
        "openai, gpt-6.1-sol, chart.png, /messages/0/content/0/type, image_url",
        "openai, gpt-audio, talk.wav, /messages/0/content/0/type, input_audio",
        "openai, gpt-audio, talk.wav, /messages/0/content/0/input_audio/format, wav",
        "openai-responses, gpt-6.1-sol, report.pdf, /input/0/content/0/type, input_file",
        "openai-responses, gpt-6.1-sol, chart.png, /input/0/content/0/type, input_image",
        "gemini, gemini-3.8-flash, report.pdf, /contents/0/parts/0/inlineData/mimeType, application/pdf",
        "gemini, gemini-3.8-flash, talk.wav, /contents/0/parts/0/inlineData/mimeType, audio/wav",
        "gemini, gemini-3.8-flash, chart.png, /contents/0/parts/0/inlineData/mimeType, image/png"
    })
    void stream_file_sentInTheProvidersOwnShapeBeforeThePrompt(
            String provider, String model, String name, String pointer, String expected) throws IOException {
        byte[] bytes = name.endsWith(".pdf") ? PDF : name.endsWith(".wav") ? WAV : PNG;
        StreamCommandTest.Result r =
                run("--provider", provider, "--model", model, "--file", file(name, bytes), "What is in it?");

        assertEquals(0, r.code(), r.err());
        RecordedRequest q = FAKE.server().requests().getLast();
        assertEquals(expected, String.valueOf(q.json(pointer)), q.body());
        assertTrue(q.body().contains(Base64.getEncoder().encodeToString(bytes)), q.body());
        assertTrue(q.body().contains("What is in it?"), q.body());
    }

    @Test
    void stream_typeFromTheContentNotTheName_aPdfNamedTxtSentAsAPdf() throws IOException {
        StreamCommandTest.Result r = run("--file", file("notes.txt", PDF), "Summarize");

        assertEquals(0, r.code(), r.err());
        assertEquals(
                "application/pdf",
                FAKE.server().requests().getLast().json("/messages/0/content/0/source/media_type"),
                FAKE.server().requests().getLast().body());
    }

    @Test
    void stream_severalFiles_eachAttachedInOrder() throws IOException {
        StreamCommandTest.Result r = run(
                "--provider",
                "gemini",
                "--model",
                "gemini-3.8-flash",
                "--file",
                file("a.pdf", PDF),
                "--file",
                file("b.wav", WAV),
                "Compare");

        assertEquals(0, r.code(), r.err());
        RecordedRequest q = FAKE.server().requests().getLast();
        assertEquals("application/pdf", q.json("/contents/0/parts/0/inlineData/mimeType"), q.body());
        assertEquals("audio/wav", q.json("/contents/0/parts/1/inlineData/mimeType"), q.body());
        assertEquals("Compare", q.json("/contents/0/parts/2/text"), q.body());
    }

    @Test
    void stream_audioToAModelThatHearsNone_usageErrorNamingTheModelNothingSent() throws IOException {
        String wav = file("talk.wav", WAV);
        StreamCommandTest.Result r = run("--model", "claude-sonnet-5-5", "--file", wav, "What is said?");

        assertEquals(2, r.code(), r.err());
        assertTrue(
                r.err()
                        .startsWith("error: model claude-sonnet-5-5 does not read audio (--file " + wav + "): it reads"
                                + " text, images, PDFs; leave it out, or ask a model that reads audio\n"),
                r.err());
        assertEquals(0, FAKE.server().requests().size(), "nothing sent");
    }

    @Test
    void stream_pdfToAModelThatReadsNone_orToAFallbackThatReadsNone_usageError() throws IOException {
        String pdf = file("a.pdf", PDF);
        StreamCommandTest.Result direct = run("--provider", "openai", "--model", "gpt-4", "--file", pdf, "Summarize");
        assertEquals(2, direct.code(), direct.err());
        assertTrue(direct.err().startsWith("error: model gpt-4 does not read PDFs"), direct.err());

        StreamCommandTest.Result chained = run(
                "--provider", "openai", "--model", "gpt-6.1-sol", "--fallback", "openai:o3-mini", "--file", pdf, "Sum");
        assertEquals(2, chained.code(), chained.err());
        assertTrue(chained.err().startsWith("error: model o3-mini does not read PDFs"), chained.err());
        assertEquals(0, FAKE.server().requests().size(), "nothing sent");
    }

    @Test
    void stream_fileOfAnotherKindOrMissing_usageError() throws IOException {
        StreamCommandTest.Result text =
                run("--file", file("notes.txt", "plain words".getBytes(StandardCharsets.UTF_8)), "Q");
        assertEquals(2, text.code(), text.err());
        assertTrue(
                text.err()
                        .contains("not a file sluice attaches (a PDF, a PNG, JPEG, WebP or GIF image, a WAV or"
                                + " MP3 clip)"),
                text.err());

        StreamCommandTest.Result missing = run("--file", dir.resolve("gone.pdf").toString(), "Q");
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("gone.pdf: no such file"), missing.err());
        assertTrue(missing.err().contains("run 'sluice stream --help'"), missing.err());
        assertEquals(0, FAKE.server().requests().size(), "nothing sent");
    }

    @Test
    void agent_file_theFirstRequestCarriesIt() throws IOException {
        AgentCommandTest.Result r = AgentCommandTest.run(
                StreamEffortTest.directProviders(FAKE.server().baseUrl().toString()),
                "--file",
                file("report.pdf", PDF),
                "Summarize the report");

        assertEquals(0, r.code(), r.err());
        RecordedRequest first = FAKE.server().requests().getFirst();
        assertEquals("document", first.json("/messages/0/content/0/type"), first.body());
    }
}
