package dev.sluice.relay.http;

import dev.sluice.relay.DirectRun;
import dev.sluice.relay.protocol.GatewayAnswerWriter;
import dev.sluice.relay.protocol.GatewayRequest;
import java.io.OutputStream;
import org.jspecify.annotations.Nullable;

/**
 * A started answer of the gateway's, to deliver ({@link GatewayHttp#deliver}): translated from the
 * door's API to the provider's and back, or passed through as it came.
 */
sealed interface Completion permits Completion.Translated, Completion.PassedThrough {
    /**
     * {@return the admitted run, to deliver: straight from the upstream to the caller, with no relay
     * stream (these clients do not resume)}
     */
    DirectRun run();

    /** {@return the front door it came through, whose API its answer speaks} */
    Door door();

    /** {@return whether the caller asked for events} */
    boolean stream();

    /**
     * {@return the most bytes of a collected answer (not streamed), as JSON: the relay's
     * {@linkplain dev.sluice.relay.RelayLimits#maxReplayBytes() replay bound}, which a stream's events
     * are held to as well}
     */
    long maxAnswerBytes();

    /**
     * {@return the writer that writes it in its door's API: events to {@code out}, or (not streamed)
     * one object, then {@code out} unused}
     *
     * @param out the response body
     */
    GatewayAnswerWriter writer(OutputStream out);

    /**
     * An answer translated: the request parsed into a neutral one, the provider's chunks written in
     * the door's API.
     *
     * @param run the admitted run
     * @param door the front door
     * @param id the answer's id (the door's {@linkplain Door#idPrefix prefix} and 29 random letters and
     *     digits, as the providers' look), unrelated to the stream's id
     * @param model the model as answers name it: {@code provider/model}, or the route's alias
     * @param created the epoch second the request came in
     * @param maxAnswerBytes the most bytes of a collected answer
     * @param request the request as parsed: whether it streams, its usage chunk, its response format
     *     and its Responses {@code custom} and namespace tools
     */
    record Translated(
            DirectRun run,
            Door door,
            String id,
            String model,
            long created,
            long maxAnswerBytes,
            GatewayRequest request)
            implements Completion {
        @Override
        public boolean stream() {
            return request.stream();
        }

        /** {@return whether Chat Completions chunks end with usage} */
        boolean includeUsage() {
            return request.includeUsage();
        }

        /** {@return the name of the request's response format, whose tool calls are the answer's content; null for none} */
        @Nullable
        String answerTool() {
            return request.responseFormat() == null
                    ? null
                    : request.responseFormat().name();
        }

        @Override
        public GatewayAnswerWriter writer(OutputStream out) {
            return door.writer(this, out);
        }
    }

    /**
     * An answer passed through: the upstream speaks the door's API and its events pass as they came
     * ({@link dev.sluice.relay.protocol.PassthroughWriter}).
     *
     * @param run the admitted run
     * @param door the front door
     * @param stream whether the caller asked for events
     * @param includeUsage whether Chat Completions chunks end with usage: whether the caller's own
     *     {@code stream_options} came with the body, so that the upstream's usage chunk is its
     * @param maxAnswerBytes the most bytes of a collected answer
     */
    record PassedThrough(DirectRun run, Door door, boolean stream, boolean includeUsage, long maxAnswerBytes)
            implements Completion {
        @Override
        public GatewayAnswerWriter writer(OutputStream out) {
            return door.writer(this, out);
        }
    }
}
