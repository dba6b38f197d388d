package dev.sluice.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A {@link GenerateContentRequest}'s checks fire on each way to make one: the canonical constructor,
 * the secondary one kept for source compatibility (no extra fields), and the builder, whose setter
 * refuses the part that breaks a rule as it is added.
 */
class GenerateContentRequestChecksTest {
    private static final List<Content> HI = List.of(Content.user(Part.text("hi")));
    private static final GenerationConfig CONFIG = GenerationConfig.builder().build();
    private static final FunctionDeclaration F = new FunctionDeclaration("f", "d", Map.of("type", "object"));
    private static final SafetySetting S = SafetySetting.of("HARM_CATEGORY_HARASSMENT", "BLOCK_NONE");

    private static GenerateContentRequest canonical(
            List<FunctionDeclaration> functions,
            List<SafetySetting> settings,
            @Nullable String cachedContent,
            List<BuiltInTool> tools) {
        return new GenerateContentRequest(HI, "", functions, CONFIG, null, settings, cachedContent, tools, Map.of());
    }

    private static GenerateContentRequest secondary(
            List<FunctionDeclaration> functions,
            List<SafetySetting> settings,
            @Nullable String cachedContent,
            List<BuiltInTool> tools) {
        return new GenerateContentRequest(HI, "", functions, CONFIG, null, settings, cachedContent, tools);
    }

    private static void refused(String message, Executable make) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, make).getMessage());
    }

    private static void builderRefuses(String message, Consumer<GenerateContentRequest.Builder> setters) {
        GenerateContentRequest.Builder b = GenerateContentRequest.builder().addContent(HI.get(0));
        refused(message, () -> setters.accept(b));
    }

    @Test
    void functionOfANameTwice_refusedByEachWay() {
        refused("function names must be unique: [f, f]", () -> canonical(List.of(F, F), List.of(), null, List.of()));
        refused("function names must be unique: [f, f]", () -> secondary(List.of(F, F), List.of(), null, List.of()));
        builderRefuses(
                "a function named f was already added", b -> b.addFunction(F).addFunction(F));
    }

    @Test
    void safetySettingOfACategoryTwice_refusedByEachWay() {
        String both = "safetySettings must have at most one setting a category: "
                + "[HARM_CATEGORY_HARASSMENT, HARM_CATEGORY_HARASSMENT]";
        refused(both, () -> canonical(List.of(), List.of(S, S), null, List.of()));
        refused(both, () -> secondary(List.of(), List.of(S, S), null, List.of()));
        builderRefuses(
                "a safety setting of HARM_CATEGORY_HARASSMENT was already added",
                b -> b.addSafetySetting(S).addSafetySetting(S));
    }

    @Test
    void builtInToolTwice_refusedByEachWay() {
        List<BuiltInTool> twice = List.of(BuiltInTool.GOOGLE_SEARCH, BuiltInTool.GOOGLE_SEARCH);
        String both = "each built-in tool may be added once: " + twice;
        refused(both, () -> canonical(List.of(), List.of(), null, twice));
        refused(both, () -> secondary(List.of(), List.of(), null, twice));
        builderRefuses(
                BuiltInTool.GOOGLE_SEARCH + " was already added",
                b -> b.addBuiltInTool(BuiltInTool.GOOGLE_SEARCH).addBuiltInTool(BuiltInTool.GOOGLE_SEARCH));
    }

    @Test
    void blankCachedContent_refusedByEachWay() {
        refused("cachedContent must not be blank", () -> canonical(List.of(), List.of(), " ", List.of()));
        refused("cachedContent must not be blank", () -> secondary(List.of(), List.of(), " ", List.of()));
        builderRefuses("cachedContent must not be blank", b -> b.cachedContent(" "));
    }

    @Test
    void distinctParts_accepted() {
        FunctionDeclaration g = new FunctionDeclaration("g", "d", Map.of("type", "object"));
        SafetySetting t = SafetySetting.of("HARM_CATEGORY_HATE_SPEECH", "BLOCK_NONE");
        List<BuiltInTool> tools = List.of(BuiltInTool.GOOGLE_SEARCH, BuiltInTool.URL_CONTEXT);
        assertEquals(
                canonical(List.of(F, g), List.of(S, t), null, tools),
                GenerateContentRequest.builder()
                        .addContent(HI.get(0))
                        .addFunction(F)
                        .addFunction(g)
                        .addSafetySetting(S)
                        .addSafetySetting(t)
                        .addBuiltInTool(BuiltInTool.GOOGLE_SEARCH)
                        .addBuiltInTool(BuiltInTool.URL_CONTEXT)
                        .build());
        assertEquals(
                secondary(List.of(F, g), List.of(S, t), null, tools),
                canonical(List.of(F, g), List.of(S, t), null, tools));
    }
}
