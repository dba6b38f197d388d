package dev.sluice.anthropic;

/**
 * Whether, and how often, a stream that loses its connection after text has arrived is continued
 * instead of failed: the request is sent again with the text so far as an assistant prefill, and
 * the continuation is stitched onto the same stream (see {@link AnthropicClient.Builder#resume}).
 * Immutable.
 *
 * <p>What the user then sees is one unbroken message: every character exactly once (the API
 * refuses a prefill ending in whitespace, so the prefill is trimmed and the whitespace the
 * continuation repeats is dropped), the usage of the parts summed, the stop reason of the last
 * part, and {@link MessageStream#resumes()} counting the resumes and the time they took. A stream
 * is not continued, and fails as without a policy (with a message saying why), when the request
 * enables extended thinking or structured output ({@link MessageRequest.Builder#outputFormat}) or
 * ends with an assistant message of its own, when the connection was
 * lost inside or after a block that is not text (a tool call's input, thinking), or when its
 * resumes are spent.
 *
 * @param maxResumes the most continuations of one stream; 0 turns resuming off
 */
public record ResumePolicy(int maxResumes) {
    private static final ResumePolicy OFF = new ResumePolicy(0);

    /** @throws IllegalArgumentException if {@code maxResumes} is negative */
    public ResumePolicy {
        if (maxResumes < 0) throw new IllegalArgumentException("maxResumes must not be negative: " + maxResumes);
    }

    /** {@return no resuming: a lost connection after content fails the stream (the default)} */
    public static ResumePolicy off() {
        return OFF;
    }

    /**
     * {@return up to {@code maxResumes} continuations per stream}
     *
     * @throws IllegalArgumentException if {@code maxResumes} is negative
     */
    public static ResumePolicy upTo(int maxResumes) {
        return new ResumePolicy(maxResumes);
    }

    /** {@return whether streams are continued at all} */
    public boolean enabled() {
        return maxResumes > 0;
    }
}
