package dev.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.SseRelayWriter;
import dev.sluice.relay.StartRequest;
import dev.sluice.relay.Subscription;
import dev.sluice.relay.redis.server.RedisServer;
import dev.sluice.testkit.FakeLlmServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The relay-on-many-nodes recipe against a real redis-server: a stream started on one node is read to its end on the other. */
class RelayOnManyNodesTest {

    @Test
    void relay_twoNodesOnOneRedis_theOtherNodeServesTheStream() throws Exception {
        try (RedisServer redis = RedisServer.start();
                FakeLlmServer fake = FakeLlmServer.start();
                AnthropicClient anthropic = AnthropicClient.builder()
                        .apiKey("test")
                        .baseUrl(fake.baseUrl().toString())
                        .build()) {
            Relay a = RelayOnManyNodes.relay(anthropic, redis.url());
            Relay b = RelayOnManyNodes.relay(anthropic, redis.url());
            try {
                String id = a.start(StartRequest.parse("{\"prompt\":\"Tell me about the ocean\"}"));
                ByteArrayOutputStream sse = new ByteArrayOutputStream();
                assertEquals(
                        Subscription.Outcome.COMPLETE, b.subscribe(id, null).deliver(new SseRelayWriter(sse)));
                assertTrue(sse.toString(StandardCharsets.UTF_8).contains("event: done"));
            } finally {
                a.close();
                b.close();
                a.store().close();
                b.store().close();
            }
        }
    }
}
