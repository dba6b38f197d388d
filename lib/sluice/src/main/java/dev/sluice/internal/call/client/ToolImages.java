package dev.sluice.internal.call.client;

import dev.sluice.chat.ToolResult;

/**
 * The words that go with a tool's images where a provider's API cannot carry them inside the tool's
 * result (Chat Completions' {@code tool} messages, Gemini before 3's {@code functionResponse}), and
 * they follow the results as the user's images, which the model reads as such otherwise.
 */
public final class ToolImages {
    /** The result's text when the tool returned only images, which follow elsewhere. */
    public static final String FOLLOW = "(the tool returned images: they follow the results)";

    private ToolImages() {}

    /** {@return the text after a tool's images that says which call returned them} */
    public static String note(ToolResult r, String call) {
        boolean one = r.images().size() == 1;
        return "The image" + (one ? "" : "s") + " above " + (one ? "is" : "are") + " what the tool call " + call
                + " returned.";
    }
}
