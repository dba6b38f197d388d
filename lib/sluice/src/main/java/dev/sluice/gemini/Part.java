package dev.sluice.gemini;

/**
 * One part of a Gemini {@link Content}. The family reads as a table of contents of what Sluice
 * understands; anything else (inline data, files, code execution, future kinds) arrives as an
 * {@link UnknownPart} holding its JSON, never as an error. Switch with a {@code default}.
 */
public sealed interface Part
        permits TextPart, ThoughtPart, FunctionCallPart, PartialFunctionCallPart, FunctionResponsePart, UnknownPart {

    /**
     * {@return a text part without a thought signature}
     *
     * @param text the text
     */
    static TextPart text(String text) {
        return new TextPart(text, null);
    }
}
