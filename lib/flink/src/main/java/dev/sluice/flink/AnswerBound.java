package dev.sluice.flink;

import dev.sluice.LimitExceededException;
import dev.sluice.chat.ChatProvider;

/**
 * A record's answer bounded by its {@code max-tokens}: an upstream that ignores the limit it was sent
 * ends the record's call with a {@link LimitExceededException} naming {@code max-tokens} once the
 * answer's text passes {@value #CHARS_PER_TOKEN} characters a token, and its stream is closed, rather
 * than fill a task manager's heap with one record (a 50 MiB answer is held as text, then as the row).
 * For the SQL provider's rows and the DataStream function's records alike.
 */
final class AnswerBound {
    /** The most characters of an answer per token of {@code max-tokens}: far more than any tokenizer's tokens hold. */
    static final int CHARS_PER_TOKEN = 64;

    private AnswerBound() {}

    /**
     * {@return {@code provider} for one record's call, its answer bounded by {@code maxTokens}} The count
     * is the call's own: made for each record, read on the thread that reads its stream.
     */
    static ChatProvider of(ChatProvider provider, int maxTokens) {
        long bound = (long) maxTokens * CHARS_PER_TOKEN;
        long[] chars = {0};
        return ChatProvider.peeking(provider, chunk -> {
            chars[0] += chunk.text().length();
            if (chars[0] > bound) {
                throw new LimitExceededException(
                        "max-tokens",
                        maxTokens,
                        "an answer of more than " + bound + " characters (" + CHARS_PER_TOKEN + " a token)");
            }
        });
    }
}
