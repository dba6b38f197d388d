package dev.sluice.internal.call.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ResponseFormat;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolChoice;
import dev.sluice.client.StructuredOutputMode;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** When a response format goes natively and when as a forced tool call, and that tool call's request. */
class StructuredOutputsTest {
    private static final ResponseFormat FORMAT = new ResponseFormat("recipe", Map.of("type", "object"), true);
    private static final Tool WEATHER = new Tool("get_weather", "", Map.of("type", "object"));
    private static final Predicate<String> NEW_MODELS = model -> model.equals("new");

    private static ChatRequest.Builder request(String model) {
        return ChatRequest.builder()
                .model(model)
                .addMessage(ChatMessage.user("hi"))
                .responseFormat(FORMAT);
    }

    @Test
    void plan_auto_nativeForAModelWithSupportAToolForOthers() {
        ChatRequest r = request("new").build();
        StructuredOutputs.Plan p = StructuredOutputs.plan(r, StructuredOutputMode.AUTO, NEW_MODELS);
        assertSame(r, p.request());
        assertNull(p.formatTool());
        StructuredOutputs.Plan old =
                StructuredOutputs.plan(request("old").build(), StructuredOutputMode.AUTO, NEW_MODELS);
        assertSame(FORMAT, old.formatTool());
        assertNull(old.request().responseFormat());
        assertEquals(List.of(FORMAT.asTool()), old.request().tools());
        assertEquals(ToolChoice.named("recipe"), old.request().toolChoice());
    }

    @Test
    void plan_modeSet_overridesTheModel() {
        assertSame(
                FORMAT,
                StructuredOutputs.plan(request("new").build(), StructuredOutputMode.TOOL, NEW_MODELS)
                        .formatTool());
        assertNull(StructuredOutputs.plan(request("old").build(), StructuredOutputMode.NATIVE, NEW_MODELS)
                .formatTool());
    }

    @Test
    void plan_toolChoiceNamingTheFormatOrRequiredWithoutTools_toolWhateverTheMode() {
        ChatRequest named =
                request("new").toolChoice(ToolChoice.named("recipe")).build();
        assertSame(
                FORMAT,
                StructuredOutputs.plan(named, StructuredOutputMode.NATIVE, NEW_MODELS)
                        .formatTool());
        ChatRequest required = request("new").toolChoice(ToolChoice.required()).build();
        StructuredOutputs.Plan p = StructuredOutputs.plan(required, StructuredOutputMode.NATIVE, NEW_MODELS);
        assertSame(FORMAT, p.formatTool());
        assertEquals(ToolChoice.required(), p.request().toolChoice());
        ChatRequest withTools = request("new")
                .addTool(WEATHER)
                .toolChoice(ToolChoice.required())
                .build();
        assertNull(StructuredOutputs.plan(withTools, StructuredOutputMode.NATIVE, NEW_MODELS)
                .formatTool());
    }

    @Test
    void plan_toolWithOtherTools_keepsThemFormatLastAndRequiresATool() {
        ChatRequest r = request("old").addTool(WEATHER).build();
        ChatRequest sent =
                StructuredOutputs.plan(r, StructuredOutputMode.AUTO, NEW_MODELS).request();
        assertEquals(List.of(WEATHER, FORMAT.asTool()), sent.tools());
        assertEquals(ToolChoice.required(), sent.toolChoice());
    }

    @Test
    void plan_toolWithTheRequestsOwnChoice_keepsIt() {
        ChatRequest r = request("old")
                .addTool(WEATHER)
                .toolChoice(ToolChoice.named("get_weather"))
                .build();
        assertEquals(
                ToolChoice.named("get_weather"),
                StructuredOutputs.plan(r, StructuredOutputMode.AUTO, NEW_MODELS)
                        .request()
                        .toolChoice());
        ChatRequest auto = request("old").toolChoice(ToolChoice.auto()).build();
        assertEquals(
                ToolChoice.auto(),
                StructuredOutputs.plan(auto, StructuredOutputMode.AUTO, NEW_MODELS)
                        .request()
                        .toolChoice());
    }

    @Test
    void plan_toolWithChoiceNone_refusedSayingWhatToDo() {
        ChatRequest r = request("old").toolChoice(ToolChoice.none()).build();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> StructuredOutputs.plan(r, StructuredOutputMode.AUTO, NEW_MODELS));
        assertTrue(e.getMessage().contains("'none'") && e.getMessage().contains("NATIVE"), e.getMessage());
        assertNull(
                StructuredOutputs.plan(
                                request("new").toolChoice(ToolChoice.none()).build(),
                                StructuredOutputMode.AUTO,
                                NEW_MODELS)
                        .formatTool(),
                "natively, none only concerns the tools");
    }

    @Test
    void plan_noFormat_requestAsItIs() {
        ChatRequest r = ChatRequest.builder()
                .model("old")
                .addMessage(ChatMessage.user("hi"))
                .build();
        assertSame(
                r,
                StructuredOutputs.plan(r, StructuredOutputMode.TOOL, NEW_MODELS).request());
    }

    @Test
    void modelName_prefixesLeftOutLowerCase() {
        assertEquals("gpt-4o", StructuredOutputs.modelName("openai/GPT-4o"));
        assertEquals("gemini-2.5-flash", StructuredOutputs.modelName("models/gemini-2.5-flash"));
        assertEquals("claude-sonnet-4-5", StructuredOutputs.modelName("claude-sonnet-4-5"));
    }
}
