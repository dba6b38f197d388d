package dev.sluice.flink;

import dev.sluice.SluiceException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChunkAggregator;
import dev.sluice.chat.FallbackChain;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ProviderClient;
import dev.sluice.client.ClientOptions;
import dev.sluice.client.RetryPolicy;
import dev.sluice.objects.ObjectStream;
import dev.sluice.objects.Partial;
import dev.sluice.providers.ProviderCatalog;
import dev.sluice.providers.ProviderChain;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.FunctionContext;
import org.jspecify.annotations.Nullable;

/**
 * The predict function of {@code 'provider' = 'sluice'}: one row's call, on a virtual thread of its
 * own, through the task manager's shared chain of clients (the model, then its fallbacks; equal
 * settings share it, with its rate limits and circuit breakers). Public because Flink's generated
 * code names it; built by {@link SluiceModelProviderFactory}.
 *
 * <ul>
 *   <li>Text (one string OUTPUT column) or structured output (several columns, the schema derived
 *       from their types, the answer validated, then the columns filled; a row that cannot be
 *       filled is a failed row).</li>
 *   <li>A 429 with {@code retry-after} is waited inside the call (back pressure), up to
 *       {@code max-retries} per target, then the next target; the row's deadline
 *       ({@code total-timeout}, kept below Flink's async timeout) cancels the call, so a slow row
 *       ends as a failed row, never as Flink's timeout.</li>
 *   <li>A failed row fails the job ({@code on-error = fail}) with a message naming the error and
 *       its request id, or becomes one row of NULLs with the message in the {@code error} column
 *       ({@code on-error = null}). The keys never appear in either: every key the clients hold is
 *       redacted from the message, and the original exception is not chained.</li>
 * </ul>
 *
 * <p>Threading: Flink calls {@code open}, {@code asyncPredict} and {@code close} on the task thread;
 * each row's virtual thread completes its future once.
 */
public class SluicePredictFunction extends AsyncPredictFunction {
    private static final long serialVersionUID = 1L;
    private static final AtomicLong THREAD_NUMBERS = new AtomicLong();

    private final ModelConfig config;
    private final TaskManagerEnvironment environment;

    private transient TaskManagerClients.@Nullable Shared<Chain> shared;

    @SuppressWarnings("NullAway.Init") // set by open(), which Flink calls before any row
    private transient ScheduledExecutorService deadlines;

    @SuppressWarnings("NullAway.Init") // set by open(), which Flink calls before any row
    private transient Set<StreamController> open;

    private transient volatile boolean closing;

    /**
     * @param config the model's settings
     * @param environment where the task manager's clients read their environment variables
     */
    SluicePredictFunction(ModelConfig config, TaskManagerEnvironment environment) {
        this.config = config;
        this.environment = environment;
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        super.open(context);
        open = ConcurrentHashMap.newKeySet();
        deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-flink-deadlines");
            t.setDaemon(true);
            return t;
        });
        shared = TaskManagerClients.lease(
                config.clientKey(), () -> Chain.open(config, environment.variables()), Integer.MAX_VALUE);
    }

    @Override
    public CompletableFuture<Collection<RowData>> asyncPredict(RowData input) {
        CompletableFuture<Collection<RowData>> future = new CompletableFuture<>();
        if (input.isNullAt(0)) {
            if (config.onErrorNull()) future.complete(List.of(config.output().ofFailure("the prompt is NULL")));
            else future.completeExceptionally(new SluiceRowException("the prompt is NULL"));
            return future;
        }
        String prompt = input.getString(0).toString();
        Chain chain = Objects.requireNonNull(shared, "open() was not called").client;
        Thread.ofVirtual()
                .name("sluice-flink-sql-" + THREAD_NUMBERS.incrementAndGet())
                .start(() -> call(chain, prompt, future));
        return future;
    }

    private void call(Chain chain, String prompt, CompletableFuture<Collection<RowData>> future) {
        StreamController controller = StreamController.create();
        open.add(controller);
        ScheduledFuture<?> deadline = deadlines.schedule(
                () -> controller.cancel("the row's deadline (total-timeout) passed"),
                config.rowDeadline().toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            ChatRequest.Builder b = ChatRequest.builder()
                    .model(config.targets().getFirst().model())
                    .maxTokens(config.maxTokens())
                    .addMessage(ChatMessage.user(prompt));
            if (config.system() != null) b.system(config.system());
            if (config.temperature() != null) b.temperature(config.temperature());
            ChatProvider bounded = AnswerBound.of(chain.chain, config.maxTokens());
            RowData row = config.output().text()
                    ? text(bounded, b.build(), controller)
                    : object(bounded, b.build(), controller);
            future.complete(List.of(row));
        } catch (SluiceException e) {
            fail(
                    future,
                    chain,
                    e.getClass().getSimpleName() + ": " + e.getMessage()
                            + e.requestId()
                                    .map(id -> " (request id " + id + ")")
                                    .orElse(""));
        } catch (RuntimeException e) { // a row that cannot fill the columns, a client closed under it
            fail(future, chain, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            deadline.cancel(false);
            open.remove(controller);
        }
    }

    private RowData text(ChatProvider chain, ChatRequest request, StreamController controller) {
        ChunkAggregator aggregator = new ChunkAggregator();
        try (EventStream<MessageChunk> chunks = chain.stream(request, controller)) {
            for (MessageChunk c : chunks) aggregator.accept(c);
            if (chunks.endReason().orElse(EndReason.COMPLETED) == EndReason.CANCELLED) throw cancelled(controller);
        }
        return config.output().ofText(aggregator.result().text());
    }

    private RowData object(ChatProvider chain, ChatRequest request, StreamController controller) {
        try (ObjectStream<Map<String, Object>> objects =
                ObjectStream.of(chain, request, config.output().schema(), controller)) {
            for (Partial<Map<String, Object>> ignored : objects) {
                // the partials are not needed: the row is filled from the whole, validated object
            }
            if (objects.endReason().orElse(EndReason.COMPLETED) == EndReason.CANCELLED) throw cancelled(controller);
            return config.output().ofObject(objects.result());
        }
    }

    private static IllegalStateException cancelled(StreamController controller) {
        return new IllegalStateException(
                "cancelled: " + controller.cancelReason().orElse("the task is closing"));
    }

    private void fail(CompletableFuture<Collection<RowData>> future, Chain chain, String message) {
        if (closing)
            return; // the task is closing: the row stays in the async operator's state, sent again after a restore
        String safe = chain.redact(message);
        if (config.onErrorNull()) future.complete(List.of(config.output().ofFailure(safe)));
        else future.completeExceptionally(new SluiceRowException(safe));
    }

    /** Cancels the calls still open in this subtask, then lets go of the shared chain. */
    @Override
    public void close() throws Exception {
        closing = true;
        if (open != null) {
            for (StreamController c : open)
                c.cancel("the Flink task is closing (the job was cancelled or failed over)");
            open.clear();
        }
        if (deadlines != null) deadlines.shutdownNow();
        if (shared != null) {
            TaskManagerClients.release(config.clientKey(), shared);
            shared = null;
        }
        super.close();
    }

    /** {@return the settings} For tests. */
    ModelConfig config() {
        return config;
    }

    /**
     * The chain of one model's targets ({@link ProviderChain}): the first on its own client (the
     * model's {@code base-url} and {@code api-key}), each other on its provider's; and the options of
     * every client, whose keys {@link #redact} takes out of a failed row's message.
     */
    static final class Chain implements AutoCloseable {
        final FallbackChain chain;
        private final ProviderChain fallbacks;
        private final ProviderClient first;
        private final List<ClientOptions> options;

        private Chain(ProviderChain fallbacks, ProviderClient first, List<ClientOptions> options) {
            this.chain = fallbacks.chain();
            this.fallbacks = fallbacks;
            this.first = first;
            this.options = options;
        }

        /**
         * {@return the chain: each client from its {@link ClientSpec} (the model's options, a provider's
         * {@code PROVIDER.base-url} and {@code PROVIDER.api-key}, else the environment), with the model's
         * retries and first-token timeout}
         *
         * @throws IllegalArgumentException or IllegalStateException naming the setting refused or missing
         */
        static Chain open(ModelConfig config, Map<String, String> env) {
            List<ClientOptions> options = new ArrayList<>();
            Function<ClientSpec, ProviderClient> connect = spec -> {
                ClientOptions o = spec.options(env)
                        .retryPolicy(RetryPolicy.defaults().withMaxRetries(config.maxRetries()))
                        .streamOptions(StreamOptions.builder()
                                .firstEventTimeout(config.firstTokenTimeout())
                                .build())
                        .build();
                options.add(o);
                return ProviderCatalog.of(spec.provider()).connect(o, env);
            };
            ModelConfig.Target model = config.targets().getFirst();
            ProviderClient first = connect.apply(config.client());
            try {
                ProviderChain.Builder b = ProviderChain.builder()
                        .connect(p -> connect.apply(config.clientOf(p.id())))
                        .target(ProviderCatalog.of(model.provider()), model.model(), first);
                for (ModelConfig.Target t :
                        config.targets().subList(1, config.targets().size()))
                    b.target(ProviderCatalog.of(t.provider()), t.model());
                return new Chain(b.build(), first, List.copyOf(options));
            } catch (RuntimeException e) {
                close(first);
                throw e;
            }
        }

        /** {@return the message with every key these clients hold, and every echo of it, redacted ({@link ClientOptions#redact})} */
        String redact(String message) {
            String m = message;
            for (ClientOptions o : options) m = o.redact(m);
            return m;
        }

        @Override
        public void close() {
            fallbacks.close();
            close(first);
        }

        private static void close(ProviderClient client) {
            try {
                client.close();
            } catch (RuntimeException e) {
                System.getLogger(SluicePredictFunction.class.getName())
                        .log(
                                System.Logger.Level.WARNING,
                                "closing a Sluice client failed: "
                                        + e.getClass().getSimpleName());
            }
        }
    }
}
