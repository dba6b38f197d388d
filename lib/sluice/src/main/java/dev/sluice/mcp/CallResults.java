package dev.sluice.mcp;

import dev.sluice.internal.low.json.Json;
import dev.sluice.internal.low.json.JsonOut;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The text a model reads for a {@code tools/call} result (2026-07-28 and 2025-11-25
 * server/tools, "Tool Result"): text content as it is; an image or audio as a note of its type and
 * size; an embedded resource as its text, or a note for a binary one; a resource link as a note;
 * {@code structuredContent} as its JSON text, unless a text block already holds the same JSON.
 * Blocks are joined with a line feed.
 */
final class CallResults {
    private CallResults() {}

    static String text(Map<String, Object> result) {
        List<String> parts = new ArrayList<>();
        List<Object> texts = new ArrayList<>();
        if (result.get("content") instanceof List<?> content) {
            for (Object item : content) {
                if (!(item instanceof Map<?, ?> block)) continue;
                String part = block(block);
                if ("text".equals(block.get("type"))) texts.add(parsed(part));
                parts.add(part);
            }
        }
        if (result.containsKey("structuredContent")) {
            Object structured = result.get("structuredContent");
            if (!texts.contains(structured)) parts.add(JsonOut.write(structured));
        }
        return String.join("\n", parts);
    }

    private static String block(Map<?, ?> block) {
        String type = String.valueOf(block.get("type"));
        return switch (type) {
            case "text" -> Objects.toString(block.get("text"), "");
            case "image", "audio" ->
                "[" + type + ": " + block.get("mimeType") + ", " + decodedSize(block.get("data")) + " bytes]";
            case "resource" ->
                block.get("resource") instanceof Map<?, ?> r
                        ? r.get("text") instanceof String t
                                ? t
                                : "[resource: " + r.get("uri") + ", " + r.get("mimeType") + ", "
                                        + decodedSize(r.get("blob")) + " bytes]"
                        : "[resource]";
            case "resource_link" ->
                "[resource link: " + block.get("uri") + (block.get("name") instanceof String n ? " (" + n + ")" : "")
                        + "]";
            default -> "[" + type + " content]";
        };
    }

    /** {@return the size of what a base64 text decodes to, without decoding it} */
    static long decodedSize(@Nullable Object base64) {
        if (!(base64 instanceof String s)) return 0;
        int n = s.length();
        while (n > 0 && Character.isWhitespace(s.charAt(n - 1))) n--;
        int padding = 0;
        while (padding < 2 && n - padding > 0 && s.charAt(n - padding - 1) == '=') padding++;
        return (long) n * 3 / 4 - padding;
    }

    private static @Nullable Object parsed(String text) {
        try {
            return Json.readValue(text);
        } catch (IOException | RuntimeException e) {
            return text;
        }
    }
}
