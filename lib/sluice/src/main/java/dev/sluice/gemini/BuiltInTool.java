package dev.sluice.gemini;

/**
 * A tool Gemini runs itself, offered beside (or instead of) your functions: each is sent as its own
 * entry of the request's {@code tools} ({@code {"googleSearch": {}}}), as the official SDK's
 * {@code com.google.genai.types.Tool} writes its {@code googleSearch()}, {@code codeExecution()} and
 * {@code urlContext()} (google-genai 2.0), on the Gemini API and Vertex AI alike. What the model did
 * with it comes back in the answer (grounding metadata, executable code and its result parts).
 */
public enum BuiltInTool {
    /** Grounding with Google Search ({@code googleSearch}): the model searches the web and cites it. */
    GOOGLE_SEARCH("googleSearch"),
    /** Code execution ({@code codeExecution}): the model writes Python and runs it in Google's sandbox. */
    CODE_EXECUTION("codeExecution"),
    /** URL context ({@code urlContext}): the model reads the pages at the URLs in the prompt. */
    URL_CONTEXT("urlContext");

    private final String wireName;

    BuiltInTool(String wireName) {
        this.wireName = wireName;
    }

    /** {@return the tool's field in a {@code tools} entry, such as {@code googleSearch}} */
    public String wireName() {
        return wireName;
    }
}
