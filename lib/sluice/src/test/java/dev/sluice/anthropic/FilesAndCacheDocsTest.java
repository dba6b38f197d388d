package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Document;
import dev.sluice.chat.PromptCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/streaming.md's "Files and cache marks" examples, as written there, and what Anthropic is sent for them. */
class FilesAndCacheDocsTest {
    @TempDir
    Path dir;

    @Test
    void documentExample_aPdfGoesAsADocumentBlockBeforeTheText() throws IOException {
        Path report = dir.resolve("report.pdf");
        Files.write(report, "%PDF-1.7 a report".getBytes(StandardCharsets.UTF_8));
        String pdf = Base64.getEncoder().encodeToString(Files.readAllBytes(report)); // report: the PDF's Path
        ChatRequest request = ChatRequest.builder()
                .model("claude-sonnet-5-5")
                .addMessage(ChatMessage.user(
                        "How do rivers shape the land?", List.of(), List.of(Document.pdf(pdf, "report.pdf"))))
                .build();
        String json = RequestJson.write(AnthropicRequests.toMessageRequest(request), true);
        assertTrue(
                json.contains(
                        "{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\""),
                json);
        assertTrue(json.indexOf("\"type\":\"document\"") < json.indexOf("How do rivers shape the land?"), json);
    }

    @Test
    void cacheExample_theSystemPromptAndTheMarkedMessageCarryCacheControl() {
        String longInstructions = "You answer from the cookbook. ".repeat(100);
        String wholeCookbook = "Bread rises because yeast makes gas. ".repeat(100);
        ChatRequest cached = ChatRequest.builder()
                .model("claude-sonnet-5-5")
                .system(longInstructions)
                .promptCache(PromptCache.systemPrompt())
                .addMessage(ChatMessage.user(wholeCookbook).withCacheMark(true))
                .addMessage(ChatMessage.assistant("Read."))
                .addMessage(ChatMessage.user("What makes bread rise?"))
                .build();
        String json = RequestJson.write(AnthropicRequests.toMessageRequest(cached), true);
        assertEquals(2, json.split("\"cache_control\":\\{\"type\":\"ephemeral\"}", -1).length - 1, json);
    }
}
