package dev.sluice.stream;

import dev.sluice.TransportException;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/**
 * The Reactive Streams TCK on {@link EventStream#publisher()}: every required rule and the optional
 * ones that apply to a one-subscriber, possibly infinite publisher. TestNG tests, run on the JUnit
 * Platform by the TestNG engine (so they count in Surefire's summary like the rest).
 */
public class EventStreamPublisherTckTest extends FlowPublisherVerification<Long> {

    public EventStreamPublisherTckTest() {
        super(new TestEnvironment(500, 100), 1000);
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return EventStream.<Long>builder()
                .capacity(16)
                .generate(out -> {
                    for (long i = 0; i < elements; i++) {
                        if (!out.emit(i)) return;
                    }
                })
                .publisher();
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return EventStream.<Long>builder()
                .generate(out -> {
                    throw new TransportException("the connection to 127.0.0.1:1 was lost (a test failure)", null);
                })
                .publisher();
    }

    /** Infinite streams are supported: a producer that never ends is ended by the subscriber's cancel. */
    @Override
    public long maxElementsFromPublisher() {
        return Long.MAX_VALUE - 1;
    }
}
