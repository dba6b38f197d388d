package dev.sluice.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ProviderClient;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderChainTest {
    /** A client that counts its closes; it never streams. */
    static final class Client implements ProviderClient {
        final ProviderCatalog provider;
        int closes;

        Client(ProviderCatalog provider) {
            this.provider = provider;
        }

        @Override
        public String providerName() {
            return provider.id();
        }

        @Override
        public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
            throw new UnsupportedOperationException("not streamed in these tests");
        }

        @Override
        public void close() {
            closes++;
        }
    }

    @Test
    void build_targetsOfTwoProviders_oneClientConnectedEachAndClosedOnceWithTheChain() {
        List<Client> connected = new ArrayList<>();
        ProviderChain chain = ProviderChain.builder()
                .connect(p -> {
                    Client c = new Client(p);
                    connected.add(c);
                    return c;
                })
                .target(ProviderCatalog.ANTHROPIC, "claude-a")
                .target(ProviderCatalog.OPENAI, "gpt-b")
                .target(ProviderCatalog.ANTHROPIC, "claude-c")
                .target(ProviderCatalog.ANTHROPIC, "claude-a") // a target again: left out
                .build();
        assertEquals(
                List.of("anthropic:claude-a", "openai:gpt-b", "anthropic:claude-c"),
                chain.chain().targetNames());
        assertEquals(
                List.of(ProviderCatalog.ANTHROPIC, ProviderCatalog.OPENAI),
                connected.stream().map(c -> c.provider).toList());
        chain.close();
        chain.close();
        assertEquals(List.of(1, 1), connected.stream().map(c -> c.closes).toList());
    }

    @Test
    void build_clientsGiven_runTheirTargetsAndAreNeverClosed() {
        Client given = new Client(ProviderCatalog.ANTHROPIC);
        Client own = new Client(ProviderCatalog.ANTHROPIC);
        List<Client> connected = new ArrayList<>();
        ProviderChain chain = ProviderChain.builder()
                .client(ProviderCatalog.ANTHROPIC, given)
                .connect(p -> {
                    Client c = new Client(p);
                    connected.add(c);
                    return c;
                })
                .target(ProviderCatalog.ANTHROPIC, "claude-a", own)
                .target(ProviderCatalog.ANTHROPIC, "claude-b")
                .build();
        assertEquals(List.of(), connected, "every target had a client");
        chain.close();
        assertEquals(0, given.closes + own.closes);
    }

    @Test
    void build_aConnectFails_closesTheClientsItOpenedAndThrowsTheFailure() {
        Client first = new Client(ProviderCatalog.ANTHROPIC);
        IllegalStateException failure = new IllegalStateException("set OPENAI_API_KEY");
        ProviderChain.Builder b = ProviderChain.builder()
                .connect(p -> {
                    if (p == ProviderCatalog.OPENAI) throw failure;
                    return first;
                })
                .target(ProviderCatalog.ANTHROPIC, "claude-a")
                .target(ProviderCatalog.OPENAI, "gpt-b");
        assertSame(failure, assertThrows(IllegalStateException.class, b::build));
        assertEquals(1, first.closes);
    }

    @Test
    void build_aProviderWithoutAClientOrConnect_refusedNamingIt() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> ProviderChain.builder()
                        .target(ProviderCatalog.GEMINI, "g")
                        .build());
        assertEquals("no client for gemini: call client(..) or connect(..)", e.getMessage());
    }
}
