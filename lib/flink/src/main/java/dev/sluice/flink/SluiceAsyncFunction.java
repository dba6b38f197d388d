package dev.sluice.flink;

import dev.sluice.SluiceException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.ChunkAggregator;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ProviderClient;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.jspecify.annotations.Nullable;

/**
 * Streams one prompt per record through Sluice, for {@code AsyncDataStream.unorderedWait} or
 * {@code orderedWait}:
 *
 * <pre>{@code
 * ClientSpec spec = ClientSpec.builder().provider("anthropic").maxConcurrentStreams(64).build();
 * DataStream<Completion> replies = AsyncDataStream.unorderedWait(prompts,
 *         new SluiceAsyncFunction(spec, "claude-sonnet-4-5", 512), 60, TimeUnit.SECONDS, 100);
 * replies.filter(Completion::ok)...;          // and route the others: !c.ok()
 * }</pre>
 *
 * <ul>
 *   <li>Each record's stream runs, blocking, on a virtual thread of its own; Flink's task thread
 *       only starts it. The async operator's capacity bounds the records in flight per subtask.</li>
 *   <li>One client per task manager ({@link ClientSpec}: equal specs share it), with its
 *       connection pool and a limit of {@link ClientSpec#maxConcurrentStreams()} streams open at
 *       once over all the subtasks in that task manager; a record waits for a permit on its
 *       virtual thread. The last subtask to close closes the client.</li>
 *   <li>Flink's timeout ({@link #timeout}) cancels the record's stream (its connection is closed
 *       at once) and emits a {@link Completion.Status#TIMED_OUT} record with the text so far.</li>
 *   <li>A failure (an API error after Sluice's retries, a lost connection, a Sluice timeout) is
 *       emitted as a {@link Completion.Status#FAILED} record naming the exception, with the text
 *       received before it; it never fails the job, so a job routes failures as data.</li>
 *   <li>{@link #close()} (the job is cancelled, fails over or ends) cancels every stream still
 *       open in the subtask.</li>
 * </ul>
 *
 * <p>Threading: Flink calls {@code asyncInvoke}, {@code timeout} and {@code close} on the task
 * thread; each record's virtual thread owns its stream. {@code calls} is a concurrent map from
 * each in-flight record's {@link ResultFuture} (identity) to its call; a call completes its
 * future once, whichever of the stream's end, the timeout or the close comes first.
 */
public class SluiceAsyncFunction extends RichAsyncFunction<Prompt, Completion> {
    private static final long serialVersionUID = 1L;
    private static final AtomicLong THREAD_NUMBERS = new AtomicLong();

    private final ClientSpec spec;
    private final String model;
    private final int maxTokens;

    private transient TaskManagerClients.@Nullable Shared<ProviderClient> shared;

    @SuppressWarnings("NullAway.Init") // set by open(), which Flink calls before any record
    private transient Map<ResultFuture<Completion>, Call> calls;

    /**
     * @param spec how each task manager builds its shared client
     * @param model the model to ask
     * @param maxTokens the most output tokens per reply, positive
     * @throws IllegalArgumentException if maxTokens is not positive or the model is blank
     */
    public SluiceAsyncFunction(ClientSpec spec, String model, int maxTokens) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.model = Objects.requireNonNull(model, "model");
        if (model.isBlank()) throw new IllegalArgumentException("model must not be blank");
        if (maxTokens <= 0) throw new IllegalArgumentException("maxTokens must be positive: " + maxTokens);
        this.maxTokens = maxTokens;
    }

    @Override
    public void open(OpenContext context) {
        calls = new ConcurrentHashMap<>();
        shared = TaskManagerClients.lease(spec);
    }

    @Override
    public void asyncInvoke(Prompt prompt, ResultFuture<Completion> result) {
        Call call = new Call(prompt, result);
        calls.put(result, call);
        Thread.ofVirtual()
                .name("sluice-flink-" + THREAD_NUMBERS.incrementAndGet())
                .start(call);
    }

    /** Flink's timeout for the record expired: cancels its stream and emits it as TIMED_OUT. */
    @Override
    public void timeout(Prompt prompt, ResultFuture<Completion> result) {
        Call call = calls.remove(result);
        if (call == null) return; // it ended just now and completed its future
        call.controller.cancel("Flink's async timeout expired");
        call.complete(new Completion(
                prompt.id(),
                Completion.Status.TIMED_OUT,
                call.aggregator.snapshot().text(),
                0,
                "",
                "timeout",
                "Flink's async timeout expired before the reply ended; the stream was cancelled",
                ""));
    }

    /** Cancels every stream still open in this subtask, then lets go of the shared client. */
    @Override
    public void close() {
        if (calls != null) {
            for (Call c : calls.values())
                c.controller.cancel("the Flink task is closing (the job was cancelled or failed over)");
            calls.clear();
        }
        if (shared != null) {
            TaskManagerClients.release(spec, shared);
            shared = null;
        }
    }

    /** {@return how many records of this subtask are in flight} For tests and metrics. */
    int inFlight() {
        return calls == null ? 0 : calls.size();
    }

    /** {@return the text received so far for the record of {@code result}, empty when none} For tests. */
    String partialTextForTest(ResultFuture<Completion> result) {
        Call c = calls.get(result);
        return c == null ? "" : c.aggregator.snapshot().text();
    }

    /** One record's stream, run on its virtual thread. */
    private final class Call implements Runnable {
        final Prompt prompt;
        final ResultFuture<Completion> result;
        final StreamController controller = StreamController.create();
        final ChunkAggregator aggregator = new ChunkAggregator();
        final AtomicBoolean completed = new AtomicBoolean();
        final TaskManagerClients.Shared<ProviderClient> client =
                Objects.requireNonNull(shared, "open() was not called");

        Call(Prompt prompt, ResultFuture<Completion> result) {
            this.prompt = prompt;
            this.result = result;
        }

        @Override
        public void run() {
            try {
                client.streams.acquire();
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (controller.isCancelled()) return;
                stream();
            } finally {
                client.streams.release();
                calls.remove(result, this);
            }
        }

        private void stream() {
            ChatRequest request = ChatRequest.builder()
                    .model(model)
                    .maxTokens(maxTokens)
                    .addMessage(ChatMessage.user(prompt.text()))
                    .build();
            try (EventStream<MessageChunk> chunks = client.client.stream(request, controller)) {
                for (MessageChunk c : chunks) aggregator.accept(c);
                if (chunks.endReason().orElse(EndReason.COMPLETED) == EndReason.CANCELLED) return; // timeout or close
                ChatResponse r = aggregator.result();
                complete(new Completion(
                        prompt.id(),
                        Completion.Status.OK,
                        r.text(),
                        r.usage() != null ? r.usage().outputTokens() : 0,
                        r.finishReason() != null ? r.finishReason().kind().name() : "",
                        "",
                        "",
                        ""));
            } catch (SluiceException e) {
                complete(new Completion(
                        prompt.id(),
                        Completion.Status.FAILED,
                        aggregator.snapshot().text(),
                        0,
                        "",
                        e.getClass().getSimpleName(),
                        String.valueOf(e.getMessage()),
                        e.requestId().orElse("")));
            } catch (IllegalStateException e) { // the client was closed under it
                if (controller.isCancelled()) return;
                complete(new Completion(
                        prompt.id(),
                        Completion.Status.FAILED,
                        aggregator.snapshot().text(),
                        0,
                        "",
                        e.getClass().getSimpleName(),
                        String.valueOf(e.getMessage()),
                        ""));
            }
        }

        void complete(Completion c) {
            if (completed.compareAndSet(false, true)) result.complete(List.of(c));
        }
    }
}
