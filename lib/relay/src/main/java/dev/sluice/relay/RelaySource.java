package dev.sluice.relay;

import dev.sluice.agent.ToolApprovals;
import dev.sluice.agent.ToolRunner;
import dev.sluice.agent.TurnCheckpoint;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ToolResult;
import dev.sluice.objects.ObjectSchema;
import dev.sluice.objects.ObjectStream;
import dev.sluice.sse.SseEvent;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a relayed stream's events come from: a model's chunks ({@link #chat}), or anything that
 * produces {@link RelayEvent}s, such as a tool runner's turns and tool progress ({@link #of}). The
 * {@link Relay} pulls from it on the stream's own virtual thread, numbers the events and hands them
 * to the connected clients; when a client is slow, the relay stops pulling, and the source's own
 * backpressure reaches the upstream socket. A {@link #chat} source is not pulled: once open, it
 * runs on the thread that reads the model's response, which appends each event to the stream as
 * it arrives and waits there while a client is slow; the stream's own thread then ends.
 *
 * <p>A source need not yield the terminal event itself: when {@link #next()} comes back empty the
 * relay ends the stream with {@code done} (or {@code cancelled} after a cancel), and when it
 * throws a {@link dev.sluice.SluiceException}, with {@code error}.
 *
 * <p>Threading: {@link #next()} is called by one thread (the relay's pump); {@link #cancel(String)}
 * and {@link #close()} from any thread.
 */
public interface RelaySource extends AutoCloseable {

    /**
     * Waits for the next event.
     *
     * @return the next event; empty when the source has ended (completed, or after a cancel)
     * @throws dev.sluice.SluiceException when the upstream failed; events returned before stay delivered
     */
    Optional<RelayEvent> next();

    /**
     * Cancels the upstream: a waiting {@link #next()} returns empty soon after. Idempotent, safe
     * from any thread, throws nothing.
     *
     * @param reason why, for logs and the {@code cancelled} event
     */
    void cancel(String reason);

    /**
     * Decides a tool call that waits for approval (one this source announced with
     * {@link RelayEvent.ToolApproval}); the source then yields {@link RelayEvent.ToolApprovalDecided}.
     * Safe from any thread; throws nothing. The default knows no call.
     *
     * @param callId the tool call's id
     * @param approved whether it may run
     * @param reason why, for the model and the page; null for none
     * @return true if the call was waiting and is now decided; false if it is unknown or was
     *     decided already
     */
    default boolean approve(String callId, boolean approved, @Nullable String reason) {
        return false;
    }

    /**
     * Answers a running tool's question (one this source announced with
     * {@link RelayEvent.ToolInput}): the tool gets the content and goes on. Safe from any thread;
     * throws nothing. The default knows no question. To decline it, {@link #approve} with false.
     *
     * @param callId the tool call's id
     * @param content the answer, an object of the question's fields, in the JSON value model of
     *     {@link dev.sluice.chat.PartialJson}
     * @return true if the call was waiting for an answer and now has it; false if it is unknown or
     *     was answered already
     */
    default boolean answer(String callId, Map<String, Object> content) {
        return false;
    }

    /** Releases the upstream (cancelling it if it still runs). Idempotent; throws nothing. */
    @Override
    void close();

    /**
     * A model's stream as relay events: {@code start} first, then {@code delta}, {@code thinking}
     * and {@code tool_call} (each piece of arguments with its call's id and name) as the chunks
     * arrive, then {@code done} with the finish reason, the usage, the time to first token (from
     * the chunks' {@link dev.sluice.chat.ChunkMetadata#sinceRequest()}) and the output tokens per
     * second (usage's output tokens, else the number of content chunks, over the time from the
     * first content to the last chunk).
     *
     * @param provider the provider's name, for {@code start}
     * @param model the model asked for, for {@code start}
     * @param chunks the running stream; the source owns it and closes it
     * @return the source
     * @throws NullPointerException if an argument is null
     */
    static RelaySource chat(String provider, String model, EventStream<MessageChunk> chunks) {
        return MappedRelaySource.chat(
                Objects.requireNonNull(provider, "provider"),
                Objects.requireNonNull(model, "model"),
                Objects.requireNonNull(chunks, "chunks"));
    }

    /**
     * A model's structured answer as relay events ({@link ObjectStream}): the request goes out with
     * the schema as its response format; the events are {@code start}, then {@code object} with each
     * piece of the object's JSON text as the object grows ({@link RelayEvent.ObjectDelta}, a reset
     * when a fallback chain restarts the answer), then {@code done} as for {@link #chat} once the
     * object is valid against the schema, or {@code error} when it is not (its type the
     * {@link dev.sluice.ObjectException}'s kind: {@code truncated}, {@code refused},
     * {@code invalid_json}, {@code schema_mismatch}).
     *
     * @param provider the provider's name, for {@code start}
     * @param model the model asked for, for {@code start}
     * @param client the provider's client (or a fallback chain)
     * @param request the model, prompt and settings, without a response format
     * @param schema the object's schema
     * @param controller the stream's cancel switch ({@link Relay.SourceFactory#open}'s)
     * @return the source; it owns the stream it opens and closes it
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the request already has a response format
     * @throws dev.sluice.SluiceException if the request fails before streaming starts
     */
    static RelaySource object(
            String provider,
            String model,
            ChatProvider client,
            ChatRequest request,
            ObjectSchema<?> schema,
            StreamController controller) {
        return ObjectRelaySource.open(
                Objects.requireNonNull(provider, "provider"),
                Objects.requireNonNull(model, "model"),
                Objects.requireNonNull(client, "client"),
                request,
                schema,
                controller);
    }

    /**
     * Any stream of relay events, as they are produced: how a tool runner's events (mapped to
     * {@link RelayEvent.ToolStarted}, {@link RelayEvent.ToolProgress}, {@link RelayEvent.ToolDone},
     * {@link RelayEvent.ToolFailed}, together with the turns' deltas) reach browsers. Build it with
     * {@code EventStream.<RelayEvent>builder().generate(emitter -> ...)}. Iteration stops after a
     * terminal event.
     *
     * @param events the running stream; the source owns it and closes it
     * @return the source
     * @throws NullPointerException if events is null
     */
    static RelaySource of(EventStream<RelayEvent> events) {
        return new EventStreamRelaySource(Objects.requireNonNull(events, "events"));
    }

    /**
     * {@return an upstream's own events ({@link dev.sluice.chat.Passthrough#stream}) as relay
     * events}: {@code start}, each event as a {@link RelayEvent.Verbatim}, then {@code done} with the
     * usage the events reported (Anthropic's {@code message_start} and {@code message_delta}, the
     * Responses API's {@code response.completed}), read from those events alone. For a
     * {@link DirectRun} to a client of the upstream's own API.
     *
     * @param provider the relay's name of the provider
     * @param model the model
     * @param events the upstream's events
     */
    static RelaySource verbatim(String provider, String model, EventStream<SseEvent> events) {
        return MappedRelaySource.verbatim(
                Objects.requireNonNull(provider, "provider"),
                Objects.requireNonNull(model, "model"),
                Objects.requireNonNull(events, "events"));
    }

    /**
     * {@return a model's whole answer ({@link ChatProvider#answer}) as relay events}: {@code start},
     * then {@code thinking}, {@code delta} and each tool call whole, as {@link #chat} makes them of
     * a stream's chunks, then {@code done} with the finish reason and the usage. For a
     * {@link DirectRun} to a client that asked for no stream.
     *
     * @param provider the relay's name of the provider
     * @param model the model
     * @param answer the answer
     * @throws NullPointerException if an argument is null
     */
    static RelaySource answer(String provider, String model, ChatResponse answer) {
        return AnswerRelaySource.of(
                Objects.requireNonNull(provider, "provider"),
                Objects.requireNonNull(model, "model"),
                Objects.requireNonNull(answer, "answer"));
    }

    /**
     * {@return an upstream's own whole answer ({@link dev.sluice.chat.Passthrough#answer}) as relay
     * events}: {@code start}, the answer as one {@link RelayEvent.Verbatim} named
     * {@value RelayEvent.Verbatim#ANSWER} holding its JSON as it came, then {@code done} with the
     * usage it reports (its top-level {@code usage}). For a {@link DirectRun} to a client of the
     * upstream's own API that asked for no stream.
     *
     * @param provider the relay's name of the provider
     * @param model the model
     * @param json the upstream's answer, its JSON body as received
     * @throws NullPointerException if an argument is null
     */
    static RelaySource verbatimAnswer(String provider, String model, String json) {
        return AnswerRelaySource.verbatim(
                Objects.requireNonNull(provider, "provider"),
                Objects.requireNonNull(model, "model"),
                Objects.requireNonNull(json, "json"));
    }

    /**
     * {@return a source that ends at once with {@code error}}: for a server that learns how a run
     * ends before any event, such as an answer that outgrew its bound while it was read whole.
     *
     * @param error the run's terminal event
     * @throws NullPointerException if error is null
     */
    static RelaySource failed(RelayEvent.Error error) {
        return AnswerRelaySource.failed(Objects.requireNonNull(error, "error"));
    }

    /**
     * A tool runner's runs as relayed streams, so that a page shows the tools at work: each stream
     * runs its request's conversation through the runner, and its events are {@code start}; the
     * model's {@code thinking}, {@code delta} and {@code tool_call} events turn after turn;
     * {@code tool_started}, {@code tool_progress}, {@code tool_done} and {@code tool_failed} as the
     * tools run; and one {@code done} at the end, with the usage of every turn added up (its finish
     * reason {@code turn_limit} when the run stopped at its turn limit). A cancel stops the run.
     * With an {@linkplain ToolRunner.Builder#approval approval policy}, a call that needs approval
     * is {@code tool_approval} and the stream waits (its heartbeats go on) until
     * {@link Relay#approve} decides it, or the runner's approval timeout does:
     * {@code tool_approval_decided}, then the tool runs ({@code tool_started}...) or is denied
     * ({@code tool_failed}). Each stream has its own {@link ToolApprovals}.
     *
     * <pre>{@code
     * ToolRunner runner = ToolRunner.builder(client).tool(weather).maxTurns(5).build();
     * Relay relay = Relay.builder().source(ProviderCatalog.ANTHROPIC.id(), ProviderCatalog.ANTHROPIC.defaultModel(), RelaySource.toolRunner(runner)).build();
     * }</pre>
     *
     * @param runner the tool runner, with its provider and tools
     * @return the factory for {@link Relay.Builder#source}
     * @throws NullPointerException if runner is null
     */
    static Relay.SourceFactory toolRunner(ToolRunner runner) {
        Objects.requireNonNull(runner, "runner");
        return new Relay.SourceFactory() {
            @Override
            public RelaySource open(StartRequest.Resolved request, StreamController controller) {
                ToolApprovals approvals = ToolApprovals.create();
                return MappedRelaySource.toolRun(
                        request.provider(),
                        request.model(),
                        runner.run(request.toChatRequest(), controller, approvals),
                        approvals);
            }

            @Override
            public RelaySource follow(String callId, String toolName, String taskId, StreamController controller) {
                ToolApprovals approvals = ToolApprovals.create();
                return MappedRelaySource.followed(
                        runner.follow(callId, toolName, taskId, controller, approvals), approvals, true);
            }

            @Override
            public RelaySource resume(
                    TurnCheckpoint checkpoint,
                    Map<String, String> tasks,
                    Map<String, ToolResult> results,
                    StreamController controller) {
                ToolApprovals approvals = ToolApprovals.create();
                return MappedRelaySource.followed(
                        runner.resume(checkpoint, tasks, results, controller, approvals), approvals, false);
            }
        };
    }
}
