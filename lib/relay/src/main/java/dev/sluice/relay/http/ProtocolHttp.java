package dev.sluice.relay.http;

import dev.sluice.RelayException;
import dev.sluice.chat.ChatProvider;
import dev.sluice.objects.ObjectSchema;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.RelaySource;
import dev.sluice.relay.RelayStore.ChatRecord;
import dev.sluice.relay.RelayWriter;
import dev.sluice.relay.StartRequest;
import dev.sluice.relay.Subscription;
import dev.sluice.relay.http.HttpRefusals.Refused;
import dev.sluice.relay.internal.Json;
import dev.sluice.relay.protocol.AgUiRunInput;
import dev.sluice.relay.protocol.AgUiWriter;
import dev.sluice.relay.protocol.ObjectRequest;
import dev.sluice.relay.protocol.ObjectTextWriter;
import dev.sluice.relay.protocol.ToolApprovalResponse;
import dev.sluice.relay.protocol.ToolInputResponse;
import dev.sluice.relay.protocol.TurnInput;
import dev.sluice.relay.protocol.UiChatRequest;
import dev.sluice.relay.protocol.UiMessageStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP side of the frontend protocols, without a server library, over {@link RelayAdmission} (so
 * every limit and refusal of {@code POST /api/streams} holds for them too):
 *
 * <ul>
 * <li>{@code POST /api/chat} — the Vercel AI SDK's chat transport ({@link UiChatRequest}), answered
 *     with the UI message stream ({@link UiMessageStreamWriter}) and the header
 *     {@value #UI_MESSAGE_STREAM_HEADER}{@code : v1}. A body with a {@code schema} asks for a
 *     structured answer from the provider's client, streamed as a {@code data-object} part.</li>
 * <li>{@code GET /api/chat/ID/stream} — the SDK's resume: the chat's running stream again from its
 *     start (the SDK replays it in place of the partial message), or nothing ({@code 204}) when the
 *     chat runs none of this client's.</li>
 * <li>{@code POST /api/object} — the Vercel AI SDK's {@code useObject}: a structured answer
 *     ({@link ObjectRequest}: the prompt and the object's JSON Schema) streamed from the provider's
 *     client, answered with the object's JSON text as it streams ({@link ObjectTextWriter}).</li>
 * <li>{@code POST /api/ag-ui} — an AG-UI run ({@link AgUiRunInput}), answered with AG-UI events
 *     ({@link AgUiWriter}). A run that declares tools streams from the provider's client with those
 *     tools (frontend tools only: the server's tool runner is not used), and a call of one ends the
 *     run for the frontend to answer; a run without tools streams from the relay's registered
 *     source (in {@code sluice serve}, the tool runner with the server's tools). A run with
 *     {@code forwardedProps.schema} asks for a structured answer from the provider's client,
 *     streamed as an activity.</li>
 * </ul>
 *
 * <p><b>Tool approvals.</b> Both protocols end their response at a tool call that waits for a
 * person's approval (the stream itself waits on, with no resume window, for at most the tool
 * runner's approval timeout), and take the decision with the next request: a
 * {@code POST /api/chat} whose last message carries the {@code approval-responded} tool part, an
 * AG-UI run whose {@code resume} answers the interrupt. The decision goes to
 * {@link Relay#approve}, and that request's response continues the same stream from where the last
 * one ended. A running tool's question ({@code tool_input}) ends the response the same way, and the
 * next request answers it: the chat's {@code data-tool-input} part with an {@code answer}, the
 * run's {@code resume} entry for the question's interrupt; the answer goes to
 * {@link Relay#answer(String, String, long, Map)}, for that question only.
 * A chat's stream is found by the chat, an AG-UI run's by its thread (the thread's
 * last stream), each its owner's only and kept until its stream ends; with a shared
 * {@link dev.sluice.relay.RelayStore} on any node, as the stream itself.
 *
 * <p>A chat belongs to the client that started its running stream: the first {@code POST /api/chat}
 * without a {@value #CHAT_COOKIE} cookie sets one holding a random secret (a browser sends it back
 * by itself; another client must too), and a chat's record keeps only the secret's hash. Another
 * client cannot resume the chat, and cannot post to it while that stream runs. An AG-UI thread
 * belongs to its client in the same way, by the same cookie set on {@code POST /api/ag-ui}. With a shared
 * {@link dev.sluice.relay.RelayStore} the record is kept there too, and the chat resumes on any
 * node.
 *
 * <p>Threading: safe from any thread; a chat's running stream is forgotten on the stream's thread
 * when it ends.
 */
final class ProtocolHttp {
    /** The response header that marks the UI message stream; its value is {@code v1}. */
    static final String UI_MESSAGE_STREAM_HEADER = "x-vercel-ai-ui-message-stream";
    /**
     * The cookie that holds a client's secret, which binds its chats to it: set by the first
     * {@code POST /api/chat} that comes without one, {@code HttpOnly; SameSite=Strict}, its
     * {@code Path} the chat routes.
     */
    static final String CHAT_COOKIE = "sluice-chat";

    private final RelayAdmission admission;
    private final Map<String, ChatProvider> clients; // provider name -> its client, for frontend tools
    private final ChatRecords chats;

    /**
     * The protocols over a relay's HTTP side, without frontend tools (an AG-UI run that declares
     * tools is refused).
     *
     * @param admission the relay's HTTP side
     */
    ProtocolHttp(RelayAdmission admission) {
        this(admission, Map.of());
    }

    /**
     * The protocols over a relay's HTTP side, with the providers' clients that stream AG-UI runs
     * declaring frontend tools.
     *
     * @param admission the relay's HTTP side
     * @param clients the providers' clients by the relay's provider names (for a fallback chain, a
     *     {@link ChatProvider} that builds the chain per request)
     */
    ProtocolHttp(RelayAdmission admission, Map<String, ChatProvider> clients) {
        this.admission = Objects.requireNonNull(admission, "admission");
        this.clients = Map.copyOf(clients);
        this.chats = new ChatRecords(admission.relay().store());
    }

    private ProtocolHttp(RelayAdmission admission, ProtocolHttp base) {
        this.admission = admission;
        this.clients = base.clients;
        this.chats = base.chats;
    }

    /**
     * {@return these protocols over another admission of the same relay (a minted key's, {@link
     * RelayAdmission#keyed}), sharing the chats' records}
     *
     * @param keyed the admission
     */
    ProtocolHttp over(RelayAdmission keyed) {
        return new ProtocolHttp(keyed, this);
    }

    /**
     * A stream ready to deliver: the subscription and the protocol's writer for a response body.
     *
     * @param subscription the subscription, to deliver
     * @param writer makes the protocol's writer for the response body
     */
    record Answer(Subscription subscription, Function<OutputStream, RelayWriter> writer) {}

    /**
     * {@code POST /api/chat}: starts the chat's stream and attaches to it, the chat bound to the
     * client that posts it; or, for a body answering approval requests, decides those calls and
     * continues the chat's running stream from where the response that asked ended. A chat whose stream runs belongs to the client that started that
     * stream: another client's post with its id is refused (409), the same client's starts the
     * chat's next stream. A chat whose stream has ended is free for whichever client posts next.
     *
     * @param json the body (read with {@link RelayAdmission#readJson})
     * @param clientAddress the client's address
     * @param ownerSecret the client's secret ({@link #CHAT_COOKIE}): what tells its chats from
     *     other clients'; only its hash is kept
     * @return the stream to deliver as the UI message stream
     * @throws HttpRefusals.Refused 400 {@code invalid_request} for a body that is not the transport's or a
     *     chat id that is not 8 to 128 letters, digits, {@code -} or {@code _}, or a {@code schema}
     *     for a provider this server has no client of; 409
     *     {@code chat_in_use} when the chat runs another client's stream; 429
     *     {@code too_many_failed_resumes} past the client's share of those
     *     ({@link RelayAdmission.Builder#maxFailedResumesPerMinute}); for a body answering approvals
     *     ({@link TurnInput.Decisions}), 404 {@code not_found} when the chat runs no stream
     *     or the stream has no such call waiting; or as {@link RelayAdmission#start(String, String)}
     */
    Answer chat(String json, String clientAddress, String ownerSecret) {
        Objects.requireNonNull(ownerSecret, "ownerSecret");
        UiChatRequest request = parse(() -> UiChatRequest.parse(json));
        String chatId = request.chatId();
        String owner = ChatRecords.hash(ownerSecret);
        Optional<ChatRecord> running = chats.running(chatId);
        if (running.isPresent() && !ChatRecords.sameOwner(running.get(), owner)) throw inUse(clientAddress);
        return switch (request.turn()) {
            case TurnInput.Decisions decisions ->
                continued(
                        running,
                        decisions,
                        clientAddress,
                        "chat \"" + chatId + "\" runs no stream waiting for an approval or an answer: it"
                                + " ended (a call waits for its approval, a tool for its answer, for a limited time), so send the message again",
                        (out, streamId, decided) -> new UiMessageStreamWriter(out, messageId(streamId), decided));
            case TurnInput.Start start -> {
                ObjectSchema<Map<String, Object>> schema = start.schema();
                Relay.SourceFactory source = schema == null ? null : objectSource(start.request(), schema);
                yield uiAnswer(admission.subscribe(
                        startRecorded(chatId, owner, start.request(), source, clientAddress), null));
            }
        };
    }

    /**
     * Starts a stream and records it as what a chat (or an AG-UI thread, under its
     * {@linkplain ChatRecords#threadKey key}) runs, until the stream ends. {@return the stream's id}
     *
     * @throws HttpRefusals.Refused 409 {@code chat_in_use} ({@code thread_in_use}) when another owner's stream
     *     took the key in the meantime; 503 {@code unavailable} when the shared store cannot be reached; or as
     *     {@link RelayAdmission#start(String, String)}
     */
    private String startRecorded(
            String key,
            String owner,
            StartRequest request,
            Relay.@Nullable SourceFactory source,
            String clientAddress) {
        AtomicBoolean ended = new AtomicBoolean();
        AtomicReference<ChatRecord> bound = new AtomicReference<>();
        String id = admission.start(request, source, clientAddress, last -> {
            ended.set(true);
            ChatRecord b = bound.get();
            if (b != null) chats.forget(key, b);
        });
        ChatRecord record = new ChatRecord(owner, id);
        boolean bind;
        try {
            bind = chats.bind(key, record);
        } catch (RelayException e) {
            admission.cancel(id);
            throw HttpRefusals.of(e);
        }
        if (!bind) { // another client's stream took the chat in the meantime
            admission.cancel(id);
            throw key.startsWith(ChatRecords.THREAD_PREFIX) ? threadInUse(clientAddress) : inUse(clientAddress);
        }
        bound.set(record);
        if (ended.get()) chats.forget(key, record); // it ended before it was bound
        return id;
    }

    /**
     * {@code GET /api/chat/ID/stream}: the chat's running stream from its first event, as the SDK
     * resumes (it replays the stream in place of what it had), for the client that started it;
     * another client gets what a chat that runs nothing gets, so that it cannot tell the two apart.
     * With a shared store, the chat resumes on any node.
     *
     * @param chatId the chat's id
     * @param ownerSecret the client's secret ({@link #CHAT_COOKIE}), or null when it sent none
     * @param clientAddress the client's address
     * @return the stream to deliver, or empty ({@code 204}) when the chat runs none of this client's
     * @throws HttpRefusals.Refused 400 {@code invalid_request} for a chat id that is not 8 to 128 letters,
     *     digits, {@code -} or {@code _}; 429 {@code too_many_failed_resumes} when the client has
     *     had its share of resumes that found nothing ({@link RelayAdmission.Builder#maxFailedResumesPerMinute});
     *     410 {@code replay_unavailable} when the answer has outgrown the replay buffer; 503
     *     {@code unavailable} when a shared store cannot be reached
     */
    Optional<Answer> resumeChat(String chatId, @Nullable String ownerSecret, String clientAddress) {
        parse(() -> UiChatRequest.checkChatId(chatId));
        Optional<ChatRecord> record = chats.running(chatId);
        if (record.isEmpty()
                || ownerSecret == null
                || !ChatRecords.sameOwner(record.get(), ChatRecords.hash(ownerSecret))) {
            admission.failedResume(clientAddress);
            return Optional.empty();
        }
        try {
            return Optional.of(uiAnswer(admission.subscribe(record.get().streamId(), null)));
        } catch (Refused e) {
            if (e.refusal().status() != 404) throw e;
            chats.forget(chatId, record.get()); // the relay forgot the stream: it ended long ago
            return Optional.empty();
        }
    }

    private Refused inUse(String clientAddress) {
        admission.failedResume(clientAddress);
        return HttpRefusals.of(
                409,
                "chat_in_use",
                "this chat runs a stream that another client started, and a chat belongs"
                        + " to the client that started it (by the " + CHAT_COOKIE
                        + " cookie this server set for it): send that cookie,"
                        + " or start a new chat with a new id");
    }

    /**
     * {@code POST /api/ag-ui}: starts the run's stream and attaches to it, the thread bound to the
     * client that posts it as a chat is ({@link #chat}): while the thread runs a stream, another
     * client can neither start a run on it (409) nor resume it (what a thread that runs nothing
     * gets), so that a stranger's run cannot replace a run waiting for its owner's approval.
     *
     * @param json the body (read with {@link RelayAdmission#readJson})
     * @param clientAddress the client's address
     * @param ownerSecret the client's secret ({@link #CHAT_COOKIE}, the cookie set on the AG-UI
     *     route): what tells its threads from other clients'; only its hash is kept
     * @return the stream to deliver as AG-UI events
     * @throws HttpRefusals.Refused 400 {@code invalid_request} for a body that is not a {@code RunAgentInput},
     *     a thread id that is not 8 to 128 letters, digits, {@code -} or {@code _}, or a body that
     *     declares tools or a schema for a provider this server has no client of; 409
     *     {@code thread_in_use} when the thread runs another client's stream; for a run
     *     with {@code resume}, 404 {@code not_found} when the thread runs no stream of this client's
     *     (with a shared store, on no node) or the stream has no such call waiting, 429
     *     {@code too_many_failed_resumes} past the client's share of resumes of threads that run
     *     nothing ({@link RelayAdmission.Builder#maxFailedResumesPerMinute}); 503 {@code unavailable} when
     *     a shared store cannot be reached; or as {@link RelayAdmission#start(String, String)}
     */
    Answer agUi(String json, String clientAddress, String ownerSecret) {
        Objects.requireNonNull(ownerSecret, "ownerSecret");
        AgUiRunInput input = parse(() -> AgUiRunInput.parse(json));
        String thread = ChatRecords.threadKey(input.threadId());
        String owner = ChatRecords.hash(ownerSecret);
        Optional<ChatRecord> running = chats.running(thread);
        boolean another = running.isPresent() && !ChatRecords.sameOwner(running.get(), owner);
        return switch (input.turn()) {
            case TurnInput.Decisions decisions ->
                continued(
                        // another client's thread looks like one that runs nothing; thread ids are the
                        // client's: guessing them is throttled as chats' are
                        another ? Optional.empty() : running,
                        decisions,
                        clientAddress,
                        "thread \"" + Json.shorten(input.threadId(), 40) + "\" runs no stream"
                                + " waiting for an approval or an answer: it ended (a call waits for its approval, a tool for"
                                + " its answer, for a limited time), so run the thread again without \"resume\"",
                        (out, streamId, decided) -> new AgUiWriter(out, input.threadId(), input.runId(), decided));
            case TurnInput.Start start -> {
                if (another) throw threadInUse(clientAddress);
                ObjectSchema<Map<String, Object>> schema = start.schema();
                Relay.SourceFactory source = null;
                if (schema != null) {
                    source = objectSource(start.request(), schema);
                } else if (!input.tools().isEmpty()) {
                    ChatProvider client =
                            client(start.request(), "runs no frontend tools", "send the run without \"tools\"");
                    if (client != null) {
                        source = (admitted, controller) -> RelaySource.chat(
                                admitted.provider(),
                                admitted.model(),
                                client.stream(input.toChatRequest(admitted), controller));
                    }
                }
                String id = startRecorded(thread, owner, start.request(), source, clientAddress);
                yield new Answer(
                        admission.subscribe(id, null), out -> new AgUiWriter(out, input.threadId(), input.runId()));
            }
        };
    }

    private Refused threadInUse(String clientAddress) {
        admission.failedResume(clientAddress);
        return HttpRefusals.of(
                409,
                "thread_in_use",
                "this thread runs a stream that another client started, and a thread belongs"
                        + " to the client that started it (by the " + CHAT_COOKIE
                        + " cookie this server set for it): send that cookie,"
                        + " or start a new thread with a new id");
    }

    /** Makes the writer of a response that continues a stream after its decisions. */
    @FunctionalInterface
    private interface ContinuedWriter {
        /**
         * {@return the protocol's writer}
         *
         * @param out the response body
         * @param streamId the continued stream's id
         * @param decided the ids of the calls and questions decided, as the relay took them
         */
        RelayWriter writer(OutputStream out, String streamId, List<String> decided);
    }

    /**
     * A request's decisions for the stream its chat or thread runs: decides them, and continues that
     * stream from where the response that asked ended. Both protocols' decisions come here.
     *
     * @param running the record of the stream the request's chat or thread runs for this client,
     *     empty when it runs none (or another client's)
     * @param ended the 404's message when it runs none
     * @throws HttpRefusals.Refused 404 {@code not_found} when it runs none (counted as a failed
     *     resume, {@link RelayAdmission#failedResume}), or as {@link #decide}
     */
    private Answer continued(
            Optional<ChatRecord> running,
            TurnInput.Decisions decisions,
            String clientAddress,
            String ended,
            ContinuedWriter writer) {
        if (running.isEmpty()) {
            admission.failedResume(clientAddress);
            throw HttpRefusals.of(404, "not_found", ended);
        }
        String streamId = running.get().streamId();
        List<String> decided = decide(streamId, decisions);
        return new Answer(admission.subscribe(streamId, null), out -> writer.writer(out, streamId, decided));
    }

    /**
     * Decides the calls and answers the questions through the relay. {@return their ids: the calls'
     * and the questions'} A call decided before, or a question answered before (the same answer sent
     * again, after a reload), is passed over: the stream shows what became of it.
     *
     * @throws HttpRefusals.Refused 404 when the stream is gone, has no such call waiting, or no such question
     */
    private List<String> decide(String streamId, TurnInput.Decisions decisions) {
        List<String> ids = new ArrayList<>();
        for (ToolApprovalResponse a : decisions.approvals()) {
            passed(
                    () -> admission.relay().approve(streamId, a.callId(), a.approved(), a.reason()),
                    "approval",
                    "no tool call \"" + Json.shorten(a.callId(), 40) + "\" waits for approval in this stream");
            ids.add(a.callId());
        }
        for (ToolInputResponse a : decisions.answers()) {
            passed(
                    () -> admission.relay().answer(streamId, a.callId(), a.question(), a.content()),
                    "answer",
                    "no tool of call \"" + Json.shorten(a.callId(), 40) + "\" asked question " + a.question()
                            + " in this stream");
            ids.add(ToolInputResponse.questionId(a.callId(), a.question()));
        }
        return ids;
    }

    /**
     * Gives the relay a decision or an answer; what was decided before passes.
     *
     * @throws HttpRefusals.Refused 404 when the stream is gone ("this {@code what}" waited on it) or
     *     the call or question is unknown ({@code unknown}); the relay's refusal mapped to HTTP
     */
    private static void passed(Supplier<Relay.Approval> decision, String what, String unknown) {
        Relay.Approval result;
        try {
            result = decision.get();
        } catch (RelayException e) {
            throw HttpRefusals.of(e);
        }
        switch (result) {
            case DECIDED, ALREADY_DECIDED -> {}
            case NO_SUCH_STREAM ->
                throw HttpRefusals.of(
                        404, "not_found", "the stream waiting for this " + what + " has ended: send the message again");
            case NO_SUCH_CALL -> throw HttpRefusals.of(404, "not_found", unknown);
        }
    }

    /**
     * {@code POST /api/object}: starts a structured answer's stream ({@link ObjectRequest}, what
     * {@code useObject} posts) and attaches to it, for {@link ObjectTextWriter}: the object's JSON
     * text as it streams, from the provider's client with the request's schema as its response
     * format, validated against it at the end.
     *
     * @param json the body (read with {@link RelayAdmission#readJson})
     * @param clientAddress the client's address
     * @return the subscription, to deliver through an {@link ObjectTextWriter}
     * @throws HttpRefusals.Refused 400 {@code invalid_request} for a body that is not an {@link ObjectRequest}
     *     (a missing or non-object {@code schema} among them) or that names a provider this server
     *     has no client of, or as {@link RelayAdmission#start(String, String)}
     */
    Subscription object(String json, String clientAddress) {
        return admission.subscribe(startObject(json, clientAddress), null);
    }

    /**
     * {@code POST /api/streams} and a WebSocket {@code start} frame: starts a stream of the relay's
     * own protocol. A body with a {@code "schema"} member asks for a structured answer, as
     * {@link #object}: its events are {@code start}, {@code object} pieces of the JSON text
     * ({@link dev.sluice.relay.RelayEvent.ObjectDelta}), then {@code done} or {@code error}; any other
     * body is a {@link StartRequest}, as {@link RelayAdmission#start(String, String)}.
     *
     * @param json the body or frame (read with {@link RelayAdmission#readJson})
     * @param clientAddress the client's address
     * @return the stream's id
     * @throws HttpRefusals.Refused 400 {@code invalid_request} for a body that is neither, a schema that is not
     *     an {@link ObjectRequest}'s, or a structured answer asked of a provider this server has no
     *     client of; or as {@link RelayAdmission#start(String, String)}
     */
    String stream(String json, String clientAddress) {
        Map<?, ?> body = Json.object(json);
        return body != null && body.containsKey("schema")
                ? startObject(json, clientAddress)
                : admission.start(json, clientAddress);
    }

    private String startObject(String json, String clientAddress) {
        ObjectRequest request = parse(() -> ObjectRequest.parse(json));
        return admission.start(request.start(), objectSource(request.start(), request.schema()), clientAddress, null);
    }

    /**
     * {@return the source of a structured answer of the schema from the request's provider's client,
     * or null for a provider the relay does not have}
     *
     * @throws HttpRefusals.Refused 400 for one of the relay's providers that this server has no client of
     */
    private Relay.@Nullable SourceFactory objectSource(StartRequest request, ObjectSchema<Map<String, Object>> schema) {
        ChatProvider client = client(request, "streams no structured answers", "ask another provider");
        return client == null
                ? null
                : (admitted, controller) -> RelaySource.object(
                        admitted.provider(), admitted.model(), client, admitted.toChatRequest(), schema, controller);
    }

    /**
     * {@return the client of the request's provider, or null for a provider the relay does not have
     * (its admission refuses it as for every stream)}
     *
     * @throws HttpRefusals.Refused 400 for one of the relay's providers that this server has no client of
     */
    private @Nullable ChatProvider client(StartRequest request, String what, String instead) {
        Map<String, String> providers = admission.relay().providers();
        String name = request.provider() == null ? providers.keySet().iterator().next() : request.provider();
        ChatProvider client = clients.get(name);
        if (client == null && providers.containsKey(name)) {
            throw HttpRefusals.of(400, "invalid_request", "this server " + what + " for " + name + ": " + instead);
        }
        return client;
    }

    /**
     * {@code POST /api/object}: the object's JSON text as {@code text/plain; charset=utf-8}, its
     * status sent with the first byte: a failure before it is answered with a status and the JSON
     * error; one after it cuts the response (but a complete text that failed the schema, which the
     * client's own validation reports). The stream cannot be resumed: a client that leaves cancels it.
     *
     * @param exchange the request's exchange
     * @param s the object's stream, as {@link #object} started it
     * @throws IOException if the answer cannot be written
     */
    void respondObject(HttpExchange exchange, Subscription s) throws IOException {
        exchange.onClientGone(s::close);
        exchange.respond(() -> {
            ObjectTextWriter writer = new ObjectTextWriter(new HttpAnswers.HeadedOutput(exchange, () -> {
                exchange.status(200);
                exchange.header("Content-Type", "text/plain; charset=utf-8");
                exchange.header("X-Accel-Buffering", "no");
            }));
            return s.deliverAsync(writer).thenAccept(outcome -> {
                if (outcome != Subscription.Outcome.COMPLETE) cancel(s.streamId());
                Optional<RelayEvent.Error> failure = writer.failure();
                try {
                    if (!writer.written() && failure.isPresent()) {
                        RelayEvent.Error e = failure.get();
                        HttpAnswers.json(exchange, objectStatus(e), HttpRefusal.json(e.errorType(), e.message()));
                    } else if (outcome == Subscription.Outcome.DROPPED || !writer.endsCleanly()) {
                        exchange.abort();
                    } else if (!writer
                            .written()) { // an empty answer that completed: nothing a client can read as the object
                        HttpAnswers.json(
                                exchange, 502, HttpRefusal.json("invalid_json", "the model's answer held no JSON"));
                    }
                } catch (IOException gone) {
                    // the client left before its answer
                }
            });
        });
    }

    /** {@return the status of a structured answer that failed before its first byte} */
    private static int objectStatus(RelayEvent.Error e) {
        return switch (e.errorType()) {
            case "refused" -> 422;
            case "truncated", "invalid_json", "schema_mismatch" -> 502;
            default -> GatewayHttp.status(e);
        };
    }

    private void cancel(String streamId) {
        try {
            admission.cancel(streamId);
        } catch (Refused e) {
            // another node's stream and the store away: its resume window ends it
        }
    }

    private static Answer uiAnswer(Subscription s) {
        String messageId = messageId(s.streamId());
        return new Answer(s, out -> new UiMessageStreamWriter(out, messageId));
    }

    /**
     * {@return the assistant message's id for a stream}: the same for every subscription, and not
     * the stream's id (which lets its holder read and cancel the stream), so that an application
     * may store it freely
     */
    static String messageId(String streamId) {
        return "msg-" + HexFormat.of().formatHex(ChatRecords.sha256(streamId), 0, 12);
    }

    private static <T> T parse(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (RelayException e) {
            throw HttpRefusals.of(e);
        }
    }
}
