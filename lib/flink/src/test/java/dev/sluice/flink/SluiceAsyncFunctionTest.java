package dev.sluice.flink;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SluiceAsyncFunctionTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static FakeLlmServer server;

    @BeforeAll
    static void startServer() {
        server = FAKE.server();
    }

    @AfterAll
    static void stopServer() {}

    private static ClientSpec spec(int maxConcurrent) {
        return ClientSpec.builder()
                .provider("anthropic")
                .baseUrl(server.baseUrl().toString())
                .apiKey("fake")
                .maxConcurrentStreams(maxConcurrent)
                .build();
    }

    private static List<Prompt> prompts(String prefix, int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> new Prompt(prefix + i, "Tell me about rivers, part " + i))
                .toList();
    }

    @Test
    void unorderedWait_thousandPromptsAtParallelismTwo_oneCompletionEachAndFailuresAsRecords() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        ClientSpec spec = spec(64);
        long before = server.requestCount();
        DataStream<Completion> ok = AsyncDataStream.unorderedWait(
                env.fromData(prompts("p", 1000)),
                new SluiceAsyncFunction(spec, "claude-sonnet-4-5", 1024),
                30,
                TimeUnit.SECONDS,
                100);
        DataStream<Completion> failing = AsyncDataStream.orderedWait(
                env.fromData(prompts("f", 10)),
                new SluiceAsyncFunction(spec, "fake-error-mid-stream", 256),
                30,
                TimeUnit.SECONDS,
                10);
        List<Completion> all = new ArrayList<>();
        try (CloseableIterator<Completion> it = ok.union(failing).executeAndCollect()) {
            it.forEachRemaining(all::add);
        }
        assertEquals(1010, all.size());
        List<Completion> good = all.stream().filter(Completion::ok).toList();
        assertEquals(
                prompts("p", 1000).stream().map(Prompt::id).collect(Collectors.toSet()),
                good.stream().map(Completion::promptId).collect(Collectors.toSet()));
        assertTrue(
                good.stream()
                        .allMatch(c -> !c.text().isEmpty()
                                && c.outputTokens() > 0
                                && c.finishReason().equals("STOP")
                                && c.errorType().isEmpty()),
                () -> good.get(0).toString());
        List<Completion> failed = all.stream().filter(c -> !c.ok()).toList();
        assertEquals(10, failed.size());
        for (Completion c : failed) {
            assertTrue(c.promptId().startsWith("f"));
            assertEquals(Completion.Status.FAILED, c.status());
            assertEquals("ApiException", c.errorType(), c::toString);
            assertFalse(c.text().isEmpty(), "the text before the error is kept: " + c);
            assertTrue(c.requestId().startsWith("req_"), c::toString);
        }
        assertEquals(1010, server.requestCount() - before);
        await().until(() -> TaskManagerClients.clients() == 0); // the last subtask closed the shared client
    }

    @Test
    void jobCancel_whileStreamsStall_cancelsEveryStream() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        ClientSpec spec = spec(8);
        AsyncDataStream.unorderedWait(
                        env.fromData(prompts("s", 6)),
                        new SluiceAsyncFunction(spec, "fake-stall", 256),
                        5,
                        TimeUnit.MINUTES,
                        10)
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("stalling streams");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> leased(spec) != null && leased(spec).streams.availablePermits() == 2);
        TaskManagerClients.Shared<?> shared = leased(spec);
        job.cancel().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> job.getJobStatus().get() == JobStatus.CANCELED);
        // every stream's virtual thread ended and gave its permit back: the stalled streams were cancelled
        await().atMost(Duration.ofSeconds(10)).until(() -> shared.streams.availablePermits() == 8);
        await().until(() -> TaskManagerClients.clients() == 0);
    }

    private static TaskManagerClients.Shared<?> leased(ClientSpec spec) {
        return TaskManagerClients.leasedForTest(spec);
    }

    @Test
    void timeout_cancelsTheStreamAndEmitsTimedOutWithTheTextSoFar() throws Exception {
        ClientSpec spec = spec(4);
        SluiceAsyncFunction f = new SluiceAsyncFunction(spec, "fake-stall", 256);
        f.open(DefaultOpenContext.INSTANCE);
        try {
            Prompt p = new Prompt("t1", "Tell me about rivers");
            Collecting result = new Collecting();
            f.asyncInvoke(p, result);
            TaskManagerClients.Shared<?> shared = TaskManagerClients.leasedForTest(spec);
            await().until(() -> shared.streams.availablePermits() == 3); // the stream is open and stalls
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !f.partialTextForTest(result).isEmpty());
            f.timeout(p, result);
            Completion c = result.done.get(10, TimeUnit.SECONDS).iterator().next();
            assertEquals(Completion.Status.TIMED_OUT, c.status());
            assertEquals("t1", c.promptId());
            assertFalse(c.text().isEmpty());
            // the stalled stream was cancelled: its thread ended and gave its permit back (else 5 minutes)
            await().atMost(Duration.ofSeconds(10)).until(() -> shared.streams.availablePermits() == 4);
            assertEquals(0, f.inFlight());
        } finally {
            f.close();
        }
    }

    /** A ResultFuture that keeps the first completion. */
    static final class Collecting implements ResultFuture<Completion> {
        final CompletableFuture<Collection<Completion>> done = new CompletableFuture<>();

        @Override
        public void complete(Collection<Completion> result) {
            done.complete(result);
        }

        @Override
        public void completeExceptionally(Throwable error) {
            done.completeExceptionally(error);
        }

        @Override
        public void complete(org.apache.flink.streaming.api.functions.async.CollectionSupplier<Completion> supplier) {
            try {
                done.complete(supplier.get());
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        }
    }

    @Test
    void clientSpec_toString_hidesTheKey() {
        ClientSpec s =
                ClientSpec.builder().provider("openai").apiKey("sk-secret").build();
        assertFalse(s.toString().contains("sk-secret"), s::toString);
        assertEquals(
                Set.of(s),
                Set.of(ClientSpec.builder()
                        .provider("openai")
                        .apiKey("sk-secret")
                        .build()));
    }
}
