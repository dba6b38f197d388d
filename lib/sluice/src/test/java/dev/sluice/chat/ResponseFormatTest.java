package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ResponseFormat}, {@link ToolChoice} and how {@link ChatRequest} checks them together. */
class ResponseFormatTest {
    static final Map<String, Object> SCHEMA = Map.of(
            "type", "object", "properties", Map.of("title", Map.of("type", "string")), "required", List.of("title"));
    private static final Tool WEATHER = new Tool("get_weather", "", Map.of("type", "object"));

    private static ChatRequest.Builder request() {
        return ChatRequest.builder().model("m").addMessage(ChatMessage.user("hi"));
    }

    @Test
    void new_nameOutsideTheApisAlphabet_refusedNamingIt() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new ResponseFormat("a recipe", SCHEMA, true));
        assertTrue(e.getMessage().contains("'a recipe'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ResponseFormat("x".repeat(65), SCHEMA, true));
        assertEquals("A-z_0-9", new ResponseFormat("A-z_0-9", SCHEMA, false).name());
    }

    @Test
    void new_schemaNotAnObjectSchema_refused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new ResponseFormat("n", Map.of("type", "array"), true));
        assertTrue(e.getMessage().contains("object schema"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ResponseFormat("n", Map.of(), true));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ResponseFormat("n", Map.of("type", "object", "x", new Object()), true));
    }

    @Test
    void new_schemaChangedAfterwards_copyUnchanged() {
        Map<String, Object> schema = new HashMap<>(SCHEMA);
        ResponseFormat f = new ResponseFormat("n", schema, true);
        schema.put("type", "string");
        assertEquals("object", f.schema().get("type"));
        assertThrows(UnsupportedOperationException.class, () -> f.schema().put("a", "b"));
    }

    @Test
    void asTool_isTheFormatsNameAndSchema() {
        Tool t = new ResponseFormat("recipe", SCHEMA, true).asTool();
        assertEquals("recipe", t.name());
        assertEquals(SCHEMA, t.inputSchema());
    }

    @Test
    void toolChoice_factories_areTheRecords() {
        assertEquals(new ToolChoice.Auto(), ToolChoice.auto());
        assertEquals(new ToolChoice.None(), ToolChoice.none());
        assertEquals(new ToolChoice.Required(), ToolChoice.required());
        assertEquals(new ToolChoice.Named("x"), ToolChoice.named("x"));
        assertThrows(IllegalArgumentException.class, () -> ToolChoice.named(" "));
    }

    @Test
    void build_namedChoiceOfAToolOrTheFormat_accepted() {
        assertEquals(
                ToolChoice.named("get_weather"),
                request()
                        .addTool(WEATHER)
                        .toolChoice(ToolChoice.named("get_weather"))
                        .build()
                        .toolChoice());
        ChatRequest r = request()
                .responseFormat(new ResponseFormat("recipe", SCHEMA, true))
                .toolChoice(ToolChoice.named("recipe"))
                .build();
        assertEquals("recipe", r.responseFormat().name());
    }

    @Test
    void build_namedChoiceOfNothingThere_refusedNamingIt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> request()
                        .addTool(WEATHER)
                        .toolChoice(ToolChoice.named("get_time"))
                        .build());
        assertTrue(e.getMessage().contains("get_time") && e.getMessage().contains("get_weather"), e.getMessage());
    }

    @Test
    void build_requiredWithoutToolOrFormat_refused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> request().toolChoice(ToolChoice.required()).build());
        request()
                .toolChoice(ToolChoice.required())
                .responseFormat(new ResponseFormat("r", SCHEMA, true))
                .build();
        request().toolChoice(ToolChoice.none()).build(); // auto and none need no tool: they are not sent without one
    }

    @Test
    void build_formatNamedAsATool_refused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> request()
                        .addTool(WEATHER)
                        .responseFormat(new ResponseFormat("get_weather", SCHEMA, true))
                        .build());
        assertTrue(e.getMessage().contains("rename"), e.getMessage());
    }

    @Test
    void withMessagesAndOldConstructors_keepOrLeaveOutFormatAndChoice() {
        ResponseFormat f = new ResponseFormat("r", SCHEMA, true);
        ChatRequest r = request()
                .responseFormat(f)
                .toolChoice(ToolChoice.auto())
                .build()
                .withMessages(List.of(ChatMessage.user("again")));
        assertSame(f, r.responseFormat());
        assertEquals(ToolChoice.auto(), r.toolChoice());
        ChatRequest old =
                new ChatRequest("m", "", List.of(ChatMessage.user("x")), List.of(), null, null, List.of(), null);
        assertNull(old.responseFormat());
        assertNull(old.toolChoice());
    }
}
