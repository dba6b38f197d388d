package dev.sluice.internal.low.value;

/**
 * The one cut of a tool's result that is too long for the model and the page: the first
 * characters kept, then a line saying that the rest was cut and how much there was, the whole at
 * most the bound. The MCP client and the tool runner both cut with it, so a result the client
 * already cut passes the runner's bound of the same size untouched. Stateless.
 */
public final class ResultBound {
    /** The start of the line a cut result ends with. */
    public static final String MARK = "[result truncated by sluice: ";
    /** The smallest bound: room for the line and some of the result. */
    public static final int MIN_CHARS = 1024;

    private ResultBound() {}

    /**
     * {@return the text when it is at most {@code maxChars} long; else its start and a line saying
     * how long it was, {@code maxChars} characters in all}
     */
    public static String cut(String text, int maxChars) {
        if (text.length() <= maxChars) return text;
        return cut(text, maxChars, "it was " + text.length() + " characters");
    }

    /**
     * {@return the start of a result of which only a part arrived (the server's message was longer
     * than the client reads), and a line saying so, at most {@code maxChars} characters in all}
     */
    public static String partial(String text, int maxChars, long maxMessageBytes) {
        return cut(text, maxChars, "the server's message was longer than the " + maxMessageBytes + " bytes read of it");
    }

    private static String cut(String text, int maxChars, String why) {
        String head = "\n" + MARK + why + "; only the first ";
        String tail = " characters are above]";
        int keep = Math.max(0, Math.min(text.length(), maxChars - head.length() - tail.length() - 10));
        if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) keep--;
        return text.substring(0, keep) + head + keep + tail;
    }
}
