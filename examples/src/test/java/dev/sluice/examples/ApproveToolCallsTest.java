package dev.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.agent.AgentTool;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.testkit.FakeLlmExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docs/tool-runner.md's approval example, against the fake model, which calls the tool its prompt names. */
class ApproveToolCallsTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    private static final Map<String, Object> PATH = Map.of(
            "type", "object", "properties", Map.of("path", Map.of("type", "string")), "required", List.of("path"));

    @Test
    void run_deleteFileNeedsApproval_approvedThenRunOnce_listFilesNeedsNone() {
        List<Object> deleted = new CopyOnWriteArrayList<>();
        List<Object> listed = new CopyOnWriteArrayList<>();
        AgentTool deleteFile = AgentTool.of("delete_file", "Deletes a file", PATH, (arguments, context) -> {
            deleted.add(arguments.get("path"));
            return "deleted";
        });
        AgentTool listFiles = AgentTool.of("list_files", "Lists the files of a folder", PATH, (arguments, context) -> {
            listed.add(arguments.get("path"));
            return "notes.txt";
        });
        ChatRequest request = ChatRequest.builder()
                .model("claude-sonnet-5-5")
                .maxTokens(1024)
                .addMessage(ChatMessage.user(
                        "call list_files with {\"path\": \".\"} and call delete_file with {\"path\": \"notes.txt\"}"))
                .build();
        try (AnthropicClient client = AnthropicClient.builder()
                .apiKey("k")
                .baseUrl(FAKE.server().baseUrl().toString())
                .build()) {
            assertEquals(List.of("delete_file"), ApproveToolCalls.run(client, request, deleteFile, listFiles));
        }
        assertEquals(List.of("notes.txt"), deleted);
        assertEquals(List.of("."), listed);
    }
}
