package dev.sluice.cli;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a captured response body looks like from its first bytes, for {@code sluice replay}: not
 * Server-Sent Events at all, or the events of which providers' APIs, told by the marks each API's
 * events always carry. Only strong marks count, so that a stream of one API is never taken for
 * another's; a stream with no mark (an error event alone) is left to the decoder.
 *
 * @param sse whether any line of the head is an SSE field ({@code data:}, {@code event:}, {@code id:},
 *     {@code retry:}) or comment
 * @param apis the APIs whose marks the head carries: {@code anthropic}, {@code openai},
 *     {@code openai-responses}, {@code gemini}
 * @param start the head's first line, for messages
 */
record CaptureFormat(boolean sse, Set<String> apis, String start) {
    /** How many bytes of a body are looked at. */
    static final int HEAD_BYTES = 64 * 1024;

    private static final Pattern FIELD = Pattern.compile("(?m)^(?:data|event|id|retry)(?::|\\r?$)|^:");
    private static final Pattern ANTHROPIC = Pattern.compile(
            "\"type\"\\s*:\\s*\"(?:message_start|content_block_(?:start|delta|stop)|message_(?:delta|stop))\"");
    private static final Pattern OPENAI =
            Pattern.compile("\"object\"\\s*:\\s*\"chat\\.completion\\.chunk\"|(?m)^data: ?\\[DONE\\]");
    private static final Pattern RESPONSES = Pattern.compile("\"type\"\\s*:\\s*\"response\\.[a-z_.]+\"");
    private static final Pattern GEMINI = Pattern.compile("\"(?:candidates|usageMetadata|promptFeedback)\"\\s*:");

    static CaptureFormat of(byte[] head, int length) {
        String text = new String(head, 0, length, StandardCharsets.UTF_8);
        Set<String> apis = new LinkedHashSet<>();
        if (ANTHROPIC.matcher(text).find()) apis.add("anthropic");
        if (OPENAI.matcher(text).find()) apis.add("openai");
        if (RESPONSES.matcher(text).find()) apis.add("openai-responses");
        if (GEMINI.matcher(text).find()) apis.add("gemini");
        String first = text.strip().lines().findFirst().orElse("");
        return new CaptureFormat(FIELD.matcher(text).find(), Set.copyOf(apis), first);
    }

    /** {@return the one other API this capture is plainly of, when it carries no mark of {@code api}} */
    Optional<String> plainlyOtherThan(String api) {
        if (apis.size() != 1 || apis.contains(api)) return Optional.empty();
        return Optional.of(apis.iterator().next());
    }

    /** {@return an API's name as a person knows it} */
    static String title(String api) {
        return switch (api) {
            case "anthropic" -> "an Anthropic Messages stream";
            case "openai" -> "an OpenAI Chat Completions stream";
            case "openai-responses" -> "an OpenAI Responses API stream";
            case "gemini" -> "a Gemini stream";
            default -> "a " + api + " stream";
        };
    }

    /** {@return the start of the body, cut short, for a message} */
    String startShown() {
        return start.length() <= 40 ? start : start.substring(0, 37) + "...";
    }
}
