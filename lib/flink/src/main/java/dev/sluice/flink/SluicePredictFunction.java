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
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
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
 *       masked out of the message, and the original exception is not chained.</li>
 * </ul>
 *
 * <p>Threading: Flink calls {@code open}, {@code asyncPredict} and {@code close} on the task thread;
 * each row's virtual thread completes its future once.
 */
public class SluicePredictFunction extends AsyncPredictFunction {
    private static final long serialVersionUID = 1L;
    private static final AtomicLong THREAD_NUMBERS = new AtomicLong();
    private static final Pattern HEADER_SECRETS = Pattern.compile(
            "(?i)((?:authorization|x-api-key|api-key|x-goog-api-key)\\W{1,4})(?:bearer\\s+)?[^\\s\"',;}]+");

    /** The environment the task manager's clients read instead of {@code System.getenv()}, when set: for tests on a MiniCluster. */
    static volatile @Nullable Map<String, String> environmentForTest;

    private final ModelConfig config;

    private transient TaskManagerClients.@Nullable Shared<Chain> shared;

    @SuppressWarnings("NullAway.Init") // set by open(), which Flink calls before any row
    private transient ScheduledExecutorService deadlines;

    @SuppressWarnings("NullAway.Init") // set by open(), which Flink calls before any row
    private transient Set<StreamController> open;

    private transient volatile boolean closing;

    /**
     * @param config the model's settings
     */
    SluicePredictFunction(ModelConfig config) {
        this.config = config;
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        super.open(context);
        open = java.util.concurrent.ConcurrentHashMap.newKeySet();
        deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-flink-deadlines");
            t.setDaemon(true);
            return t;
        });
        shared = TaskManagerClients.lease(
                config.clientKey(),
                () -> {
                    Map<String, String> env = environmentForTest;
                    return Chain.open(config, env != null ? env : System.getenv());
                },
                Integer.MAX_VALUE);
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
        String safe = chain.mask(message);
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

    /** The chain of one model's targets, each on a client of its own provider, and the keys to mask. */
    static final class Chain implements AutoCloseable {
        final FallbackChain chain;
        private final List<AutoCloseable> clients;
        private final Set<String> secrets;

        private Chain(FallbackChain chain, List<AutoCloseable> clients, Set<String> secrets) {
            this.chain = chain;
            this.clients = clients;
            this.secrets = secrets;
        }

        /**
         * {@return the chain: the first target's client from the options' base URL and key, each target's
         * from its provider's options ({@code PROVIDER.base-url}, {@code PROVIDER.api-key}), else from the
         * environment}
         *
         * @throws IllegalArgumentException or IllegalStateException naming the setting refused or missing
         */
        static Chain open(ModelConfig config, Map<String, String> env) {
            List<AutoCloseable> clients = new ArrayList<>();
            Set<String> secrets = new LinkedHashSet<>();
            Map<String, ChatProvider> byProvider = new java.util.HashMap<>();
            FallbackChain.Builder b = FallbackChain.builder();
            try {
                boolean first = true;
                for (ModelConfig.Target t : config.targets()) {
                    boolean own = first; // the options' base URL and key are the first target's
                    first = false;
                    String cacheKey = own ? "\u0000" + t.provider() : t.provider();
                    ChatProvider client = byProvider.get(cacheKey);
                    if (client == null) {
                        ProviderCatalog p = ProviderCatalog.of(t.provider());
                        ClientOptions.Builder o = p.options(env)
                                .retryPolicy(RetryPolicy.defaults().withMaxRetries(config.maxRetries()))
                                .streamOptions(StreamOptions.builder()
                                        .firstEventTimeout(config.firstTokenTimeout())
                                        .build());
                        String base = own && config.baseUrl() != null
                                ? config.baseUrl()
                                : config.providerBaseUrls().get(t.provider());
                        String key = own && config.apiKey() != null
                                ? config.apiKey()
                                : config.providerApiKeys().get(t.provider());
                        if (base != null) o.baseUrl(base);
                        if (key != null) o.apiKey(key);
                        ClientOptions options = o.build();
                        options.apiKey().ifPresent(secrets::add);
                        ProviderClient connected = p.connect(options, env);
                        clients.add(connected);
                        client = connected;
                        byProvider.put(cacheKey, client);
                    }
                    b.target(t.name(), client, t.model());
                }
                return new Chain(b.build(), clients, secrets);
            } catch (RuntimeException e) {
                closeAll(clients);
                throw e;
            }
        }

        /** {@return the message with every key these clients hold, and any header-like credential, masked} */
        String mask(String message) {
            String m = String.valueOf(message);
            for (String s : secrets) if (s.length() >= 4) m = m.replace(s, "(hidden)");
            return HEADER_SECRETS.matcher(m).replaceAll("$1(hidden)");
        }

        @Override
        public void close() {
            closeAll(clients);
        }

        private static void closeAll(List<AutoCloseable> clients) {
            for (AutoCloseable c : clients) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.getLogger(SluicePredictFunction.class.getName())
                            .log(
                                    System.Logger.Level.WARNING,
                                    "closing a Sluice client failed: "
                                            + e.getClass().getSimpleName());
                }
            }
        }
    }
}
