package dev.sluice.bedrock;

import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import dev.sluice.chat.Usage;
import dev.sluice.internal.call.stream.BodyFraming;
import dev.sluice.internal.call.stream.StreamProtocol;
import dev.sluice.internal.low.aws.AwsJsonErrors;
import dev.sluice.internal.low.eventstream.EventStreamMessage;
import dev.sluice.internal.low.http.ErrorBodyParser;
import dev.sluice.sse.SseEvent;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The rules of a ConverseStream response, for the shared streaming call. The body is AWS's event
 * stream ({@link BodyFraming#AWS_EVENT_STREAM}), each frame decoded by {@link BedrockDecoder}.
 * Converse has no terminal event: after {@code messageStop} (then {@code metadata}) the end of the
 * body is the normal end; a body that ends before it is an {@link IncompleteStreamException}. An
 * exception frame is the event stream's in-band error of its {@code :exception-type}, read by the call
 * before any decoding; before any content, {@link AwsJsonErrors#RETRYABLE_FRAMES} reopen the stream. A tool-use block's start is content but not
 * substance (it carries no input yet), as {@code messageStart} is neither.
 */
final class BedrockStreamDecoding {
    static final BedrockDecoder DECODER = new BedrockDecoder();

    private BedrockStreamDecoding() {}

    /** Stateless: one instance serves every stream of a client; it stamps each event with when it was received. */
    static final class Protocol implements StreamProtocol<BedrockEvent> {
        private final InstantSource clock;
        private final LongSupplier nanoTime;

        Protocol(InstantSource clock, LongSupplier nanoTime) {
            this.clock = clock;
            this.nanoTime = nanoTime;
        }

        @Override
        public BodyFraming framing() {
            return BodyFraming.AWS_EVENT_STREAM;
        }

        @Override
        public void decode(EventStreamMessage message, Consumer<? super BedrockEvent> out) {
            out.accept(DECODER.decode(message, clock.instant(), nanoTime.getAsLong()));
        }

        /** Never called: the body is an event stream, not Server-Sent Events. */
        @Override
        public void decode(SseEvent event, Consumer<? super BedrockEvent> out) {
            throw new UnsupportedOperationException("a ConverseStream body is an AWS event stream");
        }

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
