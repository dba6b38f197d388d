package dev.sluice.relay.http;

import dev.sluice.RelayException;
import dev.sluice.chat.ChatProvider;
import dev.sluice.relay.protocol.AgUiWriter;
import dev.sluice.relay.protocol.AgUiRunInput;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayWriter;
import dev.sluice.relay.RelaySource;
import dev.sluice.relay.Subscription;
import dev.sluice.relay.protocol.UiChatRequest;
import dev.sluice.relay.protocol.UiMessageStreamWriter;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The HTTP side of the frontend protocols, without a server library, over {@link RelayHttp} (so
 * every limit and refusal of {@code POST /api/streams} holds for them too):
 *
 * <ul>
 * <li>{@code POST /api/chat} — the Vercel AI SDK's chat transport ({@link UiChatRequest}), answered
 *     with the UI message stream ({@link UiMessageStreamWriter}) and the header
 *     {@value #UI_MESSAGE_STREAM_HEADER}{@code : v1}.</li>
 * <li>{@code GET /api/chat/ID/stream} — the SDK's resume: the chat's running stream again from its
 *     start (the SDK replays it in place of the partial message), or nothing ({@code 204}) when the
 *     chat runs none.</li>
 * <li>{@code POST /api/ag-ui} — an AG-UI run ({@link AgUiRunInput}), answered with AG-UI events
 *     ({@link AgUiWriter}). A run that declares tools streams from the provider's client with those
 *     tools (frontend tools only: the server's tool runner is not used), and a call of one ends the
 *     run for the frontend to answer; a run without tools streams from the relay's registered
 *     source (in {@code sluice serve}, the tool runner with the server's tools).</li>
 * </ul>
 *
 * <p>Threading: safe from any thread; a chat's running stream is forgotten on the stream's thread
 * when it ends.
 */
public final class ProtocolHttp {
    /** The response header that marks the UI message stream; its value is {@code v1}. */
    public static final String UI_MESSAGE_STREAM_HEADER = "x-vercel-ai-ui-message-stream";

    private final RelayHttp http;
    private final Map<String, ChatProvider> clients; // provider name -> its client, for frontend tools
    private final ConcurrentHashMap<String, String> chats = new ConcurrentHashMap<>(); // chat id -> its running stream's id

    /**
     * The protocols over a relay's HTTP side, without frontend tools (an AG-UI run that declares
     * tools is refused).
     *
     * @param http the relay's HTTP side
     */
    public ProtocolHttp(RelayHttp http) {
        this(http, Map.of());
    }

    /**
     * The protocols over a relay's HTTP side, with the providers' clients that stream AG-UI runs
     * declaring frontend tools.
     *
     * @param http the relay's HTTP side
     * @param clients the providers' clients by the relay's provider names (for a fallback chain, a
     *     {@link ChatProvider} that builds the chain per request)
     */
    public ProtocolHttp(RelayHttp http, Map<String, ChatProvider> clients) {
        this.http = Objects.requireNonNull(http, "http");
        this.clients = Map.copyOf(clients);
    }

    /**
     * A stream ready to deliver: the subscription and the protocol's writer for a response body.
     *
     * @param subscription the subscription, to deliver
     * @param writer makes the protocol's writer for the response body
     */
    public record Answer(Subscription subscription, Function<OutputStream, RelayWriter> writer) {}

    /**
     * {@code POST /api/chat}: starts the chat's stream and attaches to it.
     *
     * @param json the body (read with {@link RelayHttp#readJson})
     * @param clientAddress the client's address
     * @return the stream to deliver as the UI message stream
     * @throws HttpError 400 {@code invalid_request} for a body that is not the transport's, or as
     *     {@link RelayHttp#start(String, String)}
     */
    public Answer chat(String json, String clientAddress) {
        UiChatRequest request = parse(() -> UiChatRequest.parse(json));
        AtomicBoolean ended = new AtomicBoolean();
        AtomicReference<String> started = new AtomicReference<>();
        String id = http.start(request.start(), null, clientAddress, last -> {
            ended.set(true);
            String s = started.get();
            if (s != null) chats.remove(request.chatId(), s);
        });
        started.set(id);
        chats.put(request.chatId(), id);
        if (ended.get()) chats.remove(request.chatId(), id); // it ended before it was remembered
        return uiAnswer(http.subscribe(id, null));
    }

    /**
     * {@code GET /api/chat/ID/stream}: the chat's running stream from its first event, as the SDK
     * resumes (it replays the stream in place of what it had).
     *
     * @param chatId the chat's id
     * @return the stream to deliver, or empty ({@code 204}) when the chat runs none
     */
    public Optional<Answer> resumeChat(String chatId) {
        String streamId = chats.get(chatId);
        if (streamId == null) return Optional.empty();
        try {
            return Optional.of(uiAnswer(http.subscribe(streamId, null)));
        } catch (HttpError e) {
            chats.remove(chatId, streamId);
            if (e.status() == 404) return Optional.empty();
            throw e;
        }
    }

    /**
     * {@code POST /api/ag-ui}: starts the run's stream and attaches to it.
     *
     * @param json the body (read with {@link RelayHttp#readJson})
     * @param clientAddress the client's address
     * @return the stream to deliver as AG-UI events
     * @throws HttpError 400 {@code invalid_request} for a body that is not a {@code RunAgentInput}
     *     or that declares tools for a provider this server has no client of, or as
     *     {@link RelayHttp#start(String, String)}
     */
    public Answer agUi(String json, String clientAddress) {
        AgUiRunInput input = parse(() -> AgUiRunInput.parse(json));
        Relay.SourceFactory source = null;
        if (!input.tools().isEmpty()) {
            Map<String, String> providers = http.relay().providers();
            String name = input.start().provider() == null ? providers.keySet().iterator().next() : input.start().provider();
            ChatProvider client = clients.get(name);
            if (client == null && providers.containsKey(name)) {
                throw new HttpError(400, "invalid_request", "this server runs no frontend tools for " + name
                        + ": send the run without \"tools\"");
            }
            if (client != null) { // else an unknown provider, which the admission refuses as for every stream
                source = (admitted, controller) -> RelaySource.chat(admitted.provider(), admitted.model(),
                        client.stream(input.toChatRequest(admitted), controller));
            }
        }
        String id = http.start(input.start(), source, clientAddress, null);
        return new Answer(http.subscribe(id, null), out -> new AgUiWriter(out, input.threadId(), input.runId()));
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
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(streamId.getBytes(StandardCharsets.UTF_8));
            return "msg-" + HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static <T> T parse(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (RelayException e) {
            throw HttpError.of(e);
        }
    }
}
