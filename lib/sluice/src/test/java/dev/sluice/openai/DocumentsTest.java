package dev.sluice.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Document;
import dev.sluice.chat.Image;
import dev.sluice.chat.PartialJson;
import dev.sluice.chat.PromptCache;
import dev.sluice.chat.ProviderFile;
import dev.sluice.client.StructuredOutputMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A user's documents on both OpenAI APIs (Chat Completions' {@code file} parts, the Responses API's
 * {@code input_file}), and the prompt cache's key.
 */
class DocumentsTest {
    private static final String PDF_URL = "data:application/pdf;base64,JVBERi0=";

    private static ChatRequest request(String model, Document document) {
        return ChatRequest.builder()
                .model(model)
                .addMessage(ChatMessage.user(
                        "Summarize", List.of(Image.base64("image/png", "iVBORw0KGgo=")), List.of(document)))
                .build();
    }

    private static Object content(String json, String member) {
        List<?> messages = (List<?>) ((Map<?, ?>) PartialJson.parse(json).value()).get(member);
        return ((Map<?, ?>) messages.getLast()).get("content");
    }

    @Test
    void chatCompletions_userDocument_filePartBeforeTheImageAndText() {
        String json = RequestJson.streaming(OpenAiRequests.fromChat(
                request("gpt-4o-mini", Document.pdf("JVBERi0=", "report.pdf")), StructuredOutputMode.AUTO, "openai"));
        assertEquals(
                List.of(
                        Map.of("type", "file", "file", Map.of("filename", "report.pdf", "file_data", PDF_URL)),
                        Map.of("type", "image_url", "image_url", Map.of("url", "data:image/png;base64,iVBORw0KGgo=")),
                        Map.of("type", "text", "text", "Summarize")),
                content(json, "messages"));
    }

    @Test
    void responses_userDocument_inputFileBeforeTheImageAndText() {
        String json = ResponsesChat.request(
                        request("gpt-5.5", Document.pdf("JVBERi0=", null)), StructuredOutputMode.AUTO, "openai")
                .streamingJson();
        assertEquals(
                List.of(
                        Map.of("type", "input_file", "filename", "document.pdf", "file_data", PDF_URL),
                        Map.of(
                                "type",
                                "input_image",
                                "image_url",
                                "data:image/png;base64,iVBORw0KGgo=",
                                "detail",
                                "auto"),
                        Map.of("type", "input_text", "text", "Summarize")),
                content(json, "input"));
    }

    @Test
    void bothApis_documentOtherThanPdf_refusedNamingTheType() {
        Document csv = new Document("text/csv", "YQ==", "a.csv");
        IllegalArgumentException chat = assertThrows(
                IllegalArgumentException.class,
                () -> OpenAiRequests.fromChat(request("gpt-4o-mini", csv), StructuredOutputMode.AUTO, "openai"));
        assertEquals(
                "OpenAI Chat Completions reads files of the type application/pdf, not text/csv", chat.getMessage());
        IllegalArgumentException responses = assertThrows(
                IllegalArgumentException.class,
                () -> ResponsesChat.request(request("gpt-5.5", csv), StructuredOutputMode.AUTO, "openai"));
        assertEquals(
                "the OpenAI Responses API reads files of the type application/pdf, not text/csv",
                responses.getMessage());
    }

    @Test
    void bothApis_userAudio_inputAudioPartWithItsFormat() {
        ChatRequest r = ChatRequest.builder()
                .model("gpt-audio")
                .addMessage(ChatMessage.user(
                        "What is said?",
                        List.of(),
                        List.of(Document.audio("audio/x-wav", "UklGRg==", "talk.wav"), Document.pdf("JVBERi0=", null))))
                .build();
        Map<String, Object> audio =
                Map.of("type", "input_audio", "input_audio", Map.of("data", "UklGRg==", "format", "wav"));
        assertEquals(
                List.of(
                        Map.of("type", "file", "file", Map.of("filename", "document.pdf", "file_data", PDF_URL)),
                        audio,
                        Map.of("type", "text", "text", "What is said?")),
                content(
                        RequestJson.streaming(OpenAiRequests.fromChat(r, StructuredOutputMode.AUTO, "openai")),
                        "messages"));
        assertEquals(
                List.of(
                        audio,
                        Map.of("type", "input_file", "filename", "document.pdf", "file_data", PDF_URL),
                        Map.of("type", "input_text", "text", "What is said?")),
                content(
                        ResponsesChat.request(r, StructuredOutputMode.AUTO, "openai")
                                .streamingJson(),
                        "input"));
    }

    @Test
    void bothApis_audioOtherThanWavOrMp3_refusedNamingTheType() {
        Document flac = Document.audio("audio/flac", "ZkxhQw==", null);
        IllegalArgumentException chat = assertThrows(
                IllegalArgumentException.class,
                () -> OpenAiRequests.fromChat(request("gpt-audio", flac), StructuredOutputMode.AUTO, "openai"));
        assertEquals(
                "OpenAI reads audio of the types audio/wav and audio/mpeg (mp3), not audio/flac", chat.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> ResponsesChat.request(request("gpt-audio", flac), StructuredOutputMode.AUTO, "openai"));
    }

    @Test
    void bothApis_providerFiles_sentByFileIdAnImageOnlyToTheResponsesApi() {
        ProviderFile pdf = new ProviderFile("openai", "file-abc", "application/pdf");
        ChatRequest r = ChatRequest.builder()
                .model("gpt-6.1-sol")
                .addMessage(ChatMessage.user("Summarize").withFiles(List.of(pdf)))
                .build();
        assertEquals(
                List.of(
                        Map.of("type", "file", "file", Map.of("file_id", "file-abc")),
                        Map.of("type", "text", "text", "Summarize")),
                content(
                        RequestJson.streaming(OpenAiRequests.fromChat(r, StructuredOutputMode.AUTO, "openai")),
                        "messages"));
        ChatRequest withImage = ChatRequest.builder()
                .model("gpt-6.1-sol")
                .addMessage(ChatMessage.user("Compare")
                        .withFiles(List.of(pdf, new ProviderFile("openai", "file-img", "image/png"))))
                .build();
        assertEquals(
                List.of(
                        Map.of("type", "input_file", "file_id", "file-abc"),
                        Map.of("type", "input_image", "file_id", "file-img", "detail", "auto"),
                        Map.of("type", "input_text", "text", "Compare")),
                content(
                        ResponsesChat.request(withImage, StructuredOutputMode.AUTO, "openai")
                                .streamingJson(),
                        "input"));
        assertThrows(
                IllegalArgumentException.class,
                () -> OpenAiRequests.fromChat(withImage, StructuredOutputMode.AUTO, "openai"));
        assertThrows(
                IllegalArgumentException.class,
                () -> OpenAiRequests.fromChat(r, StructuredOutputMode.AUTO, "azure-openai"));
    }

    @Test
    void bothApis_promptCacheKey_sentAsPromptCacheKeyAndMarksLeftOut() {
        ChatRequest cached = ChatRequest.builder()
                .model("gpt-5.5")
                .system("You are terse.")
                .promptCache(new PromptCache(true, "repo-42"))
                .addMessage(ChatMessage.user("The question").withCacheMark(true))
                .build();
        String chat = RequestJson.streaming(OpenAiRequests.fromChat(cached, StructuredOutputMode.AUTO, "openai"));
        assertEquals("repo-42", ((Map<?, ?>) PartialJson.parse(chat).value()).get("prompt_cache_key"), chat);
        String responses = ResponsesChat.request(cached, StructuredOutputMode.AUTO, "openai")
                .streamingJson();
        assertEquals("repo-42", ((Map<?, ?>) PartialJson.parse(responses).value()).get("prompt_cache_key"), responses);
        assertEquals(-1, (chat + responses).indexOf("cache_control"), chat + responses);
    }
}
