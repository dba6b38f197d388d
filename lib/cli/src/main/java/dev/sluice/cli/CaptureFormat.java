package dev.sluice.cli;

import dev.sluice.chat.WireApi;
import dev.sluice.providers.ProviderCatalog;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
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
 * @param apis the providers whose API's marks the head carries, of those {@code replay} reads
 *     ({@link ReplayCommand#PROVIDERS}: a provider's own API, each of another wire format)
 * @param start the head's first line, for messages
 */
record CaptureFormat(boolean sse, Set<ProviderCatalog> apis, String start) {
    /** How many bytes of a body are looked at. */
    static final int HEAD_BYTES = 64 * 1024;

    private static final Pattern FIELD = Pattern.compile("(?m)^(?:data|event|id|retry)(?::|\\r?$)|^:");
    private static final Pattern ANTHROPIC = Pattern.compile(
            "\"type\"\\s*:\\s*\"(?:message_start|content_block_(?:start|delta|stop)|message_(?:delta|stop))\"");
    private static final Pattern OPENAI =
            Pattern.compile("\"object\"\\s*:\\s*\"chat\\.completion\\.chunk\"|(?m)^data: ?\\[DONE\\]");
    private static final Pattern RESPONSES = Pattern.compile("\"type\"\\s*:\\s*\"response\\.[a-z_.]+\"");
    private static final Pattern GEMINI = Pattern.compile("\"(?:candidates|usageMetadata|promptFeedback)\"\\s*:");
    private static final Map<WireApi, Pattern> MARKS = Map.of(
            WireApi.MESSAGES, ANTHROPIC,
            WireApi.CHAT_COMPLETIONS, OPENAI,
            WireApi.RESPONSES, RESPONSES,
            WireApi.GENERATE_CONTENT, GEMINI);

    static CaptureFormat of(byte[] head, int length) {
        String text = new String(head, 0, length, StandardCharsets.UTF_8);
        Set<ProviderCatalog> apis = new LinkedHashSet<>();
        for (ProviderCatalog p : ReplayCommand.PROVIDERS) {
            Pattern mark = MARKS.get(p.api());
            if (mark != null && mark.matcher(text).find()) apis.add(p);
        }
        String first = text.strip().lines().findFirst().orElse("");
        return new CaptureFormat(FIELD.matcher(text).find(), Set.copyOf(apis), first);
    }

    /** {@return the one other API this capture is plainly of, when it carries no mark of {@code api}} */
    Optional<ProviderCatalog> plainlyOtherThan(ProviderCatalog api) {
        if (apis.size() != 1 || apis.contains(api)) return Optional.empty();
        return Optional.of(apis.iterator().next());
    }

    /** {@return an API's name as a person knows it} */
    static String title(ProviderCatalog provider) {
        return switch (provider.api()) {
            case MESSAGES -> "an Anthropic Messages stream";
            case CHAT_COMPLETIONS -> "an OpenAI Chat Completions stream";
            case RESPONSES -> "an OpenAI Responses API stream";
            case GENERATE_CONTENT -> "a Gemini stream";
            case CONVERSE -> "an Amazon Bedrock Converse stream";
        };
    }

    /** {@return the start of the body, cut short, for a message} */
    String startShown() {
        return start.length() <= 40 ? start : start.substring(0, 37) + "...";
    }
}
