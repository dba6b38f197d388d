package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.objects.ObjectSchema;
import dev.sluice.objects.ObjectStream;
import dev.sluice.objects.Partial;
import java.util.Map;

/** docs/objects.md's whole program for a schema given as JSON: the partial values, then the validated one; run by {@code WholeProgramsTest}. */
public class LeadFromSchema {
    public static void main(String[] args) {
        String schemaJson = """
                {"type": "object",
                 "properties": {"name": {"type": "string"}, "company": {"type": "string"},
                                "seats": {"type": "integer"}},
                 "required": ["name", "company", "seats"],
                 "additionalProperties": false}
                """;
        ChatRequest request = ChatRequest.builder()
                .model("claude-sonnet-5-5")
                .maxTokens(1024)
                .addMessage(ChatMessage.user("The lead in: Ada Lovelace of Analytical Engines wants 12 seats."))
                .build();

        ObjectSchema<Map<String, Object>> lead = ObjectSchema.parse("lead", schemaJson);
        try (AnthropicClient provider = AnthropicClient.fromEnv(); // or any ChatProvider
                ObjectStream<Map<String, Object>> s = ObjectStream.of(provider, request, lead)) {
            for (Partial<Map<String, Object>> p : s) System.out.println(p.value()); // grows as it streams
            Map<String, Object> result = s.result(); // validated against the schema
            System.out.println("lead: " + result);
        }
    }
}
