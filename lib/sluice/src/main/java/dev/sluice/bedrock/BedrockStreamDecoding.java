package dev.sluice.bedrock;

import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import dev.sluice.chat.Usage;
import dev.sluice.internal.call.stream.EventStreamFraming;
import dev.sluice.internal.call.stream.StreamRules;
import dev.sluice.internal.low.aws.AwsJsonErrors;
import dev.sluice.internal.low.eventstream.EventStreamMessage;
import dev.sluice.internal.low.http.ErrorBodyParser;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The rules of a ConverseStream response ({@link #RULES}) and its framing ({@link Frames}), for the
 * shared streaming call. The body is AWS's event stream ({@link EventStreamFraming}), each event
 * frame decoded by {@link BedrockDecoder}.
 * Converse has no terminal event: after {@code messageStop} (then {@code metadata}) the end of the
 * body is the normal end; a body that ends before it is an {@link IncompleteStreamException}. An
 * exception frame is the event stream's in-band error of its {@code :exception-type}, read by the call
 * before any decoding; before any content, {@link AwsJsonErrors#RETRYABLE_FRAMES} reopen the stream. A tool-use block's start is content but not
 * substance (it carries no input yet), as {@code messageStart} is neither.
 */
final class BedrockStreamDecoding {
    static final BedrockDecoder DECODER = new BedrockDecoder();

    private BedrockStreamDecoding() {}

    /** The rules above. */
    static final StreamRules<BedrockEvent> RULES = new Rules();

    /** The body's frames: thread-safe, one instance serves every stream of a client; it stamps each event with when it was received. */
    static final class Frames extends EventStreamFraming<BedrockEvent> {
        private final InstantSource clock;
        private final LongSupplier nanoTime;

        Frames(InstantSource clock, LongSupplier nanoTime) {
            this.clock = clock;
            this.nanoTime = nanoTime;
        }

        @Override
        public void decode(EventStreamMessage message, Consumer<? super BedrockEvent> out) {
            out.accept(DECODER.decode(message, clock.instant(), nanoTime.getAsLong()));
        }
    }

    /** {@link #RULES}. Stateless. */
    private static final class Rules implements StreamRules<BedrockEvent> {
        @Override
        public boolean isContent(BedrockEvent e) {
            return e.isContent();
        }

        @Override
        public boolean isSubstance(BedrockEvent e) {
            return e.isContent()
                    && !(e.event() instanceof ConverseEvent.ContentBlockStart)
                    && !(e.event() instanceof ConverseEvent.ContentBlockStop);
        }

        @Override
        public boolean isTerminal(BedrockEvent e) {
            return false;
        }

        @Override
        public boolean completesAtEndOfInput(BedrockEvent e) {
            return e.event() instanceof ConverseEvent.MessageStop || e.event() instanceof ConverseEvent.Metadata;
        }

        @Override
        public Optional<InBandError> inBandError(BedrockEvent e) {
            return Optional.empty(); // Converse has no error event: an exception frame is the framing's
        }

        @Override
        public Optional<SluiceException> endOfInput() {
            return Optional.of(new IncompleteStreamException("the ConverseStream body ended before messageStop: the"
                    + " connection closed early; the partial response is attached"));
        }

        @Override
        public @Nullable Usage usage(BedrockEvent e) {
            return e.event() instanceof ConverseEvent.Metadata m ? BedrockChunks.usage(m.usage()) : null;
        }
    }

    /** Bedrock's error responses: see {@link AwsJsonErrors}. */
    static final ErrorBodyParser ERRORS = AwsJsonErrors.PARSER;
}
