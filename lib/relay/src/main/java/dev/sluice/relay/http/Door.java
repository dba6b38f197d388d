package dev.sluice.relay.http;

import dev.sluice.chat.WireApi;
import dev.sluice.relay.protocol.GatewayAnswerWriter;
import dev.sluice.relay.protocol.GatewayRequest;
import dev.sluice.relay.protocol.GatewayWriter;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A front door of the gateway: one wire API its clients speak, as one strategy per format (the way
 * Spring's {@code HttpMessageConverter} owns both the read and the write of its format, picked from a
 * list). A door holds all that differs between doors: its path, the API a client of which its bodies
 * pass through to, its request's parse, the writers of its answer (translated or passed through,
 * streamed or whole), its error body, its answers' id prefix and the request members that bound the
 * answer's tokens. {@link GatewayHttp} runs every door's request the same way (one admission, one
 * model resolution, one delivery); {@link RelayHttpApi}'s route table takes each door of
 * {@link Doors#ALL}; {@link ErrorShape} answers a refusal at a door's path in its error body.
 *
 * <p>Adding a door is one class implementing this, listed in {@link Doors#ALL}.
 *
 * <p>Implementations are stateless and safe from any thread.
 */
interface Door {
    /** {@return the door's path, which it answers {@code POST} on: {@code /v1/chat/completions}} */
    String path();

    /** {@return the API its requests are written in; a provider whose passthrough speaks it is passed them as they came} */
    WireApi api();

    /** {@return the prefix of its answers' ids, such as {@code chatcmpl-}, before 29 random letters and digits} */
    String idPrefix();

    /** {@return the request's members that bound the answer's tokens, the one set when none is given first} */
    List<String> maxTokensMembers();

    /**
     * {@return the request parsed as this door's API writes it}
     *
     * @param json the request's body
     * @throws dev.sluice.RelayException 400 when malformed
     */
    GatewayRequest parse(String json);

    /**
     * {@return the writer of a translated answer in this door's API: events to {@code out}, or (not
     * streamed) one object, then {@code out} unused}
     *
     * @param c the answer
     * @param out the response body
     */
    GatewayAnswerWriter writer(Completion.Translated c, OutputStream out);

    /**
     * {@return the writer of an answer passed through, its upstream's events (or its one JSON answer)
     * as they came; {@code out} unused when not streamed}
     *
     * @param c the answer
     * @param out the response body
     */
    GatewayAnswerWriter writer(Completion.PassedThrough c, OutputStream out);

    /**
     * {@return a refusal's body in this door's shape} OpenAI's by default,
     * {@code {"error":{"message","type","param","code"}}}: the refusal's type as the {@code code},
     * OpenAI's kind of it ({@link GatewayWriter#openAiType}) as the {@code type}, and the member at
     * fault as the {@code param} (null when it names none).
     *
     * @param refusal the refusal
     */
    default String errorJson(HttpRefusal refusal) {
        return GatewayWriter.errorJson(
                refusal.message(), GatewayWriter.openAiType(refusal.type()), refusal.param(), refusal.type());
    }

    /**
     * {@return of OpenAI's two APIs, the one a bare model id that both offer goes to from this door}
     * Chat Completions by default.
     */
    default WireApi ownOpenAiApi() {
        return WireApi.CHAT_COMPLETIONS;
    }

    /**
     * {@return whether a request to a route (a fallback chain whose targets all speak this door's API)
     * passes through rather than being translated: when it asks for or carries opaque state the chain
     * routes ({@link RouteState}): Messages' thinking, Responses' encrypted reasoning; false by default}
     *
     * @param body the request's JSON
     */
    default boolean routePassesThrough(Map<?, ?> body) {
        return false;
    }

    /**
     * Checks a body to pass through for what this door's translation refuses besides the limits
     * ({@link DoorLimits}); nothing by default.
     *
     * @param body the request's JSON
     * @throws HttpRefusals.Refused 400 {@code invalid_request_error} naming the member
     */
    default void checkPassthrough(Map<?, ?> body) {}

    /**
     * {@return the caller's beta names sent on with a body passed through (Anthropic's
     * {@code anthropic-beta}); none by default}
     *
     * @param headers the request's headers by name
     */
    default List<String> betas(Function<String, @Nullable String> headers) {
        return List.of();
    }

    /** {@return the door's WebSocket mode, when it has one: a {@code GET} of its path upgraded} */
    default Optional<SocketMode> socket() {
        return Optional.empty();
    }

    /** A door's WebSocket mode: the session of a request upgraded at its path. */
    @FunctionalInterface
    interface SocketMode {
        /**
         * {@return the session of an upgraded request}
         *
         * @param gateway the gateway its requests run on
         * @param clientAddress the client's address
         * @param headers the upgrade's credentials by (lower-case) name, for the door's own checks
         * @param caller the minted key the upgrade came with; null for none
         * @param peer the socket
         */
        SocketSession open(
                GatewayHttp gateway,
                String clientAddress,
                Function<String, @Nullable String> headers,
                @Nullable KeyCaller caller,
                RelaySocket.Peer peer);
    }
}
