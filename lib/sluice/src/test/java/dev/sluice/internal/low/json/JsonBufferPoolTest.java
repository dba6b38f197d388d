package dev.sluice.internal.low.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.RecyclerPool;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Jackson's buffers are reused across the virtual threads Sluice parses on, and the pool stays bounded. */
class JsonBufferPoolTest {

    private static void parseAndWrite() {
        try (JsonParser p = Json.FACTORY.createParser("{\"type\":\"message_stop\"}")) {
            while (p.nextToken() != null) {
                // read it all
            }
            try (JsonGenerator g = Json.FACTORY.createGenerator(new StringWriter())) {
                g.writeStartObject();
                g.writeEndObject();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void factory_parsersOnSuccessiveVirtualThreads_reuseOnePooledBufferSet() throws InterruptedException {
        RecyclerPool<?> pool = Json.FACTORY._getRecyclerPool();
        for (int i = 0; i < 5; i++)
            Thread.ofVirtual().start(JsonBufferPoolTest::parseAndWrite).join();
        // Jackson's default per-thread pool reports -1 here and gives every new virtual thread new buffers.
        int pooled = pool.pooledCount();
        assertTrue(pooled >= 1 && pooled <= 2, "pooled: " + pooled);
    }

    @Test
    void factory_burstOfConcurrentParsers_poolKeepsAtMostItsBound() throws InterruptedException {
        int threads = Json.POOL_SIZE * 3;
        CountDownLatch inside = new CountDownLatch(threads);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            started.add(Thread.ofVirtual().start(() -> {
                try (JsonParser p = Json.FACTORY.createParser("[1,2,3]")) {
                    p.nextToken();
                    inside.countDown();
                    release.await(); // every parser holds its buffers at once
                    while (p.nextToken() != null) {
                        // read it all
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        assertTrue(inside.await(10, java.util.concurrent.TimeUnit.SECONDS));
        release.countDown();
        for (Thread t : started) t.join();
        assertEquals(Json.POOL_SIZE, Json.FACTORY._getRecyclerPool().pooledCount());
    }
}
