package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.objects.ObjectSchema;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A structured answer's relay source, when its client leaves: the work on the object stops with the stream. */
class ObjectRelaySourceTest {

    @Test
    void cancel_clientLeftMidObject_noPieceAfterAndTheModelsStreamEnds() throws Exception {
        AtomicLong emitted = new AtomicLong();
        CountDownLatch ended = new CountDownLatch(1);
        ChatProvider endless = new ChatProvider() { // the object's one string grows without end
                    @Override
                    public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
                        long t0 = System.nanoTime();
                        return EventStream.<MessageChunk>builder()
                                .controller(controller)
                                .generate(out -> {
                                    try {
                                        if (!out.emit(TestProvider.chunk(t0, "m")
                                                .text("{\"title\": \"")
                                                .build())) return;
                                        while (out.emit(TestProvider.chunk(t0, "m")
                                                .text("x")
                                                .build())) emitted.incrementAndGet();
                                    } finally {
                                        ended.countDown();
                                    }
                                });
                    }
                };
        ObjectSchema<?> schema =
                ObjectSchema.parse("s", "{\"type\": \"object\", \"properties\": {\"title\": {\"type\": \"string\"}}}");
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("hi"))
                .build();
        RelaySource source = RelaySource.object("p", "m", endless, request, schema, StreamController.create());
        try {
            assertInstanceOf(RelayEvent.Start.class, source.next().orElseThrow());
            for (int i = 0; i < 3; i++)
                assertInstanceOf(RelayEvent.ObjectDelta.class, source.next().orElseThrow());
            source.cancel("client left"); // what the relay does when the stream's last client is gone
            assertEquals(Optional.empty(), source.next(), "no piece of the object, and no end, after the cancel");
            assertTrue(ended.await(10, TimeUnit.SECONDS), "the model's stream ends with it");
        } finally {
            source.close();
        }
    }
}
