package dev.sluice.cli;

import dev.sluice.chat.Effort;
import dev.sluice.chat.Usage;
import dev.sluice.client.ClientOptions;
import dev.sluice.client.Failover;
import dev.sluice.client.Hedge;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.StreamController;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * One provider as {@code sluice stream} sees it: a connected client that streams one reply's text
 * into a {@link Sink}. Providers differ only in how they are built ({@link Providers}); the command
 * does the rest (flags, environment, output, exit codes) once for all of them.
 */
interface StreamBackend extends AutoCloseable {

    /**
     * Streams one reply under {@code controller}, handing each piece to {@code sink} as it arrives.
     *
     * @return how the stream ended
     * @throws dev.sluice.SluiceException when the request or the stream fails
     */
    Outcome stream(Request request, StreamController controller, Sink sink);

    /** Closes the client; never throws. */
    @Override
    void close();

    /** Builds a backend from the client options: the provider's key, its base URL (or none: the provider's), retries, observers. */
    @FunctionalInterface
    interface Factory {
        StreamBackend connect(ClientOptions options);
    }

    /**
     * What to ask for. {@code system} may be null.
     *
     * @param thinking {@code --thinking}: the model's thinking asked for, to stream to {@link Sink#thinking}
     * @param cache {@code --cache}: the system prompt and the prompt marked for the provider's prompt
     *     cache ({@link PromptCaching})
     * @param files {@code --file}: the files attached to the prompt
     */
    record Request(
            String model,
            int maxTokens,
            @Nullable String system,
            String prompt,
            @Nullable Effort effort,
            boolean thinking,
            boolean cache,
            Attachments files) {

        /** A request whose thinking is not shown. */
        Request(String model, int maxTokens, @Nullable String system, String prompt, @Nullable Effort effort) {
            this(model, maxTokens, system, prompt, effort, false, false, Attachments.NONE);
        }
    }

    /** Receives the stream's pieces on the consuming thread, in order. */
    interface Sink {
        /** A text delta, to go to stdout as it is. */
        void text(String delta);

        /** A delta that is not answer text (thinking, tool input): counted, not printed. */
        void otherDelta();

        /** A delta of the model's thinking: counted, and shown where {@code --thinking} asks for it. */
        default void thinking(String delta) {
            otherDelta();
        }

        /** A fallback chain (--fallback) moved the answer to its next target. */
        default void failover(Failover failover) {}

        /** A hedging fallback chain (--hedge-after) raced its next target and names the one that answers. */
        default void hedge(Hedge hedge) {}
    }

    /**
     * How a stream that did not fail ended.
     *
     * @param endReason completed, cancelled or chunk limit
     * @param stopReason the provider's stop reason, when it sent one
     * @param inputTokens the input tokens the provider reported, if any
     * @param outputTokens the output tokens the provider reported, if any
     * @param requestId the provider's request id, when known
     * @param resumes how often the stream was continued after losing its connection (--resume)
     * @param cacheReadTokens input tokens the provider read from its prompt cache, 0 if none or unreported
     * @param cacheWriteTokens input tokens the provider wrote to its prompt cache, 0 if none or unreported
     */
    record Outcome(
            EndReason endReason,
            Optional<String> stopReason,
            OptionalLong inputTokens,
            OptionalLong outputTokens,
            Optional<String> requestId,
            int resumes,
            long cacheReadTokens,
            long cacheWriteTokens) {

        /** An outcome without cache counts. */
        Outcome(
                EndReason endReason,
                Optional<String> stopReason,
                OptionalLong inputTokens,
                OptionalLong outputTokens,
                Optional<String> requestId,
                int resumes) {
            this(endReason, stopReason, inputTokens, outputTokens, requestId, resumes, 0, 0);
        }

        /** {@return the outcome with the cache counts of {@code usage}, where there is one} */
        Outcome withCache(@Nullable Usage usage) {
            if (usage == null) return this;
            return new Outcome(
                    endReason,
                    stopReason,
                    inputTokens,
                    outputTokens,
                    requestId,
                    resumes,
                    usage.cacheReadTokens(),
                    usage.cacheWriteTokens());
        }

        /** An outcome without resumes. */
        Outcome(
                EndReason endReason,
                Optional<String> stopReason,
                OptionalLong inputTokens,
                OptionalLong outputTokens,
                Optional<String> requestId) {
            this(endReason, stopReason, inputTokens, outputTokens, requestId, 0);
        }
    }
}
