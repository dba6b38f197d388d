package dev.sluice.mcp;

import java.util.Map;
import java.util.Optional;

/**
 * Answers a server's {@link InputRequest} for the person behind a tool call: on the terminal, in a
 * page, or by whatever means the application has. Called on the thread that made the call, which
 * waits (parked) for the answer; an interrupt of that thread (the call was cancelled) ends the
 * wait with {@link InterruptedException}.
 */
@FunctionalInterface
public interface InputHandler {

    /**
     * The handler of a call with no person to ask: it throws {@link UnsupportedOperationException}.
     * A task that asks for input is then cancelled ({@code tasks/cancel}) and the call fails saying
     * why; a plain call's question is answered {@code cancel}.
     */
    InputHandler NONE = request -> {
        throw new UnsupportedOperationException("no one can answer the server's questions in this run");
    };

    /**
     * Asks the person.
     *
     * @param request the server's question and the schema of its answer
     * @return the answer, an object matching the schema (in the JSON value model of
     *     {@link dev.sluice.chat.PartialJson}); empty when the person declined to answer
     * @throws InterruptedException when the wait was interrupted (the call was cancelled)
     * @throws UnsupportedOperationException when there is no one to ask; its message says why
     */
    Optional<Map<String, Object>> answer(InputRequest request) throws InterruptedException;
}
