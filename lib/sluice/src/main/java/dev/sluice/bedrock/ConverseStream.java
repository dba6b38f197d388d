package dev.sluice.bedrock;

import dev.sluice.chat.ChatResponse;
import dev.sluice.client.AccumulatingStream;
import dev.sluice.internal.call.stream.MappedEventStream;
import dev.sluice.internal.call.stream.StreamingCall;
import java.time.InstantSource;
import java.util.function.LongSupplier;

/**
 * A {@code ConverseStream} response: Bedrock's {@link ConverseEvent}s as they arrive (every field,
 * {@code metadata}'s latency and trace and {@code messageStop}'s additional fields included), and
 * the response they build, as a {@link ChatResponse}. Returned by
 * {@link BedrockClient#converseStream}; must be closed.
 *
 * <pre>{@code
 * try (ConverseStream stream = bedrock.converseStream(request)) {
 *     stream.text().forEach(System.out::print);
 *     ChatResponse response = stream.result();
 * }
 * }</pre>
 *
 * <p>The shape and the contract are {@link AccumulatingStream}'s. Converse has no terminal event:
 * the stream ends with the body and is complete once {@code messageStop} arrived (a body that ends
 * before is an {@link dev.sluice.IncompleteStreamException}); an exception frame is thrown as an
 * {@link dev.sluice.ApiException} of its type after the events before it. Text is the text deltas;
 * thinking the reasoning-text deltas.
 */
public final class ConverseStream extends AccumulatingStream<ConverseEvent, ChatResponse> {

    private ConverseStream(MappedEventStream<BedrockEvent, ConverseEvent> events, ConverseAccumulator accumulator) {
        super(events, accumulator, events::requestId, events::rateLimits);
    }

    static ConverseStream open(
            StreamingCall.Builder<BedrockEvent> builder,
            String model,
            LongSupplier nanoTime,
            LongSupplier requestSentNanos) {
        ConverseAccumulator accumulator =
                new ConverseAccumulator(model, InstantSource.system(), nanoTime, requestSentNanos);
        builder.partial(accumulator::snapshot);
        return new ConverseStream(
                MappedEventStream.open(builder, BedrockEvent::converse, accumulator::accept), accumulator);
    }

    @Override
    protected String textOf(ConverseEvent event) {
        return event instanceof ConverseEvent.ContentBlockDelta(int i, ConverseDelta.TextDelta(String text))
                ? text
                : "";
    }

    @Override
    protected String thinkingOf(ConverseEvent event) {
        return event instanceof ConverseEvent.ContentBlockDelta(int i, ConverseDelta.ReasoningTextDelta(String text))
                ? text
                : "";
    }
}
