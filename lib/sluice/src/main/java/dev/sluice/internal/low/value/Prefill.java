package dev.sluice.internal.low.value;

/**
 * The answer so far as an assistant prefill, and the alignment of its continuation: the prefill is
 * the text without its trailing whitespace (Anthropic refuses a final assistant message that ends
 * in whitespace), and the whitespace it left out is dropped from the continuation's first text
 * when the model repeats it, so that every character reaches the user once. Shared by the resume
 * of one stream ({@code AnthropicResume}) and the fallback chain's continue mode.
 *
 * <p>Threading: one owner (a stream's producer thread).
 */
public final class Prefill {
    private final String text;
    private String pending; // the trimmed whitespace the continuation may repeat

    private Prefill(String text, String pending) {
        this.text = text;
        this.pending = pending;
    }

    /** {@return the prefill of the answer so far} */
    public static Prefill of(String sofar) {
        String text = sofar.stripTrailing();
        return new Prefill(text, sofar.substring(text.length()));
    }

    /** {@return a prefill with nothing to align, for a continuation whose whitespace no longer matters} */
    public static Prefill none() {
        return new Prefill("", "");
    }

    /** {@return the text to send as the assistant's message: the answer so far without trailing whitespace} */
    public String text() {
        return text;
    }

    /** {@return whether the continuation's text is delivered as it comes from now on} */
    public boolean aligned() {
        return pending.isEmpty();
    }

    /**
     * {@return the continuation's next text without the whitespace already delivered that it repeats}
     * Once the continuation goes on with anything else, the rest of the whitespace is forgotten.
     */
    public String align(String t) {
        int i = 0;
        while (!pending.isEmpty() && i < t.length() && t.charAt(i) == pending.charAt(0)) {
            pending = pending.substring(1);
            i++;
        }
        if (i < t.length()) pending = ""; // the continuation goes on with something else
        return t.substring(i);
    }

    /** Forgets the whitespace: what follows is not text the prefill continues (a tool call, say). */
    public void stop() {
        pending = "";
    }
}
