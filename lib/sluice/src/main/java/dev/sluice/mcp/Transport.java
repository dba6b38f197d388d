package dev.sluice.mcp;

import dev.sluice.LimitExceededException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * How JSON-RPC messages reach one MCP server and come back: Streamable HTTP ({@link StreamableHttp})
 * or a child process on stdio ({@link StdioProcess}). The protocol above it ({@link McpSession})
 * builds the messages; a transport only carries them.
 */
interface Transport extends AutoCloseable {

    /** What arrives for one request, in order: its notifications, then its response or why none came. */
    sealed interface Signal permits Message, Refused, Failed {}

    /**
     * A JSON-RPC message from the server, in the JSON value model; {@code truncated} when the
     * message was longer than the transport reads and this is what its start held.
     */
    record Message(Map<String, Object> json, boolean truncated) implements Signal {
        Message(Map<String, Object> json) {
            this(json, false);
        }
    }

    /** An HTTP error status instead of an answer; {@code error} is the JSON-RPC error the body held, or null. */
    record Refused(int status, @Nullable Map<String, Object> error, String body) implements Signal {}

    /**
     * The connection or the process ended before the answer came; or a message of the server's was
     * longer than the client reads ({@code cause} a {@link LimitExceededException}: not
     * worth asking again).
     */
    record Failed(String why, @Nullable Throwable cause) implements Signal {
        /** {@return whether the server sent a message longer than the client reads, rather than the connection failing} */
        boolean tooLong() {
            return cause instanceof LimitExceededException;
        }
    }

    /**
     * {@return why a message of {@code server}'s longer than {@code maxBytes} cannot be used, in
     * words that say which bound it passed and how to raise it}
     *
     * @param what the message, as far as its start tells: "a request (elicitation/create)", "a message"
     */
    static String tooLong(String server, String what, int maxBytes) {
        return "MCP server '" + server + "' sent " + what + " longer than the " + maxBytes
                + " bytes this client reads of a message (4 × maxResultChars + 64 KiB: a larger"
                + " maxResultChars, --max-tool-result on the command line, raises it)";
    }

    /** {@return the JSON-RPC error that answers a request of the server's longer than the client reads} */
    static Map<String, Object> refusalOfTooLong(Object id) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jsonrpc", "2.0");
        answer.put("id", id);
        answer.put("error", Map.of("code", -32600L, "message", "request longer than the client reads"));
        return answer;
    }

    /**
     * The messages of one request in flight. Bounded: progress notifications beyond its capacity
     * are dropped (the next one says as much), an answer or a failure always gets in.
     */
    final class Exchange {
        private static final int CAPACITY = 256;
        private final BlockingQueue<Signal> signals = new ArrayBlockingQueue<>(CAPACITY);
        private final Runnable cancel;

        Exchange(Runnable cancel) {
            this.cancel = cancel;
        }

        /** Hands over a notification; drops it when the queue is full. */
        void notification(Map<String, Object> json) {
            signals.offer(new Message(json));
        }

        /** Hands over the end of the exchange: the response, a refusal or a failure. */
        void end(Signal last) {
            while (!signals.offer(last)) signals.poll(); // make room: the end matters more than old progress
        }

        /** {@return the next signal, or null when none came within the time} */
        Signal poll(long nanos) throws InterruptedException {
            return signals.poll(nanos, TimeUnit.NANOSECONDS);
        }

        /** Stops receiving (closes the HTTP response stream; forgets the request on stdio). Idempotent. */
        void cancel() {
            cancel.run();
        }
    }

    /**
     * Sends a request (a JSON-RPC message with an {@code id}); what the server sends for it arrives
     * in the exchange.
     *
     * @param headers extra HTTP headers for this request (the mirrored {@code Mcp-*} ones); ignored on stdio
     */
    Exchange send(Map<String, Object> request, @Nullable String progressToken, Map<String, String> headers);

    /**
     * {@return an exchange that receives what the server sends about a task outside the answers to
     * requests: its status notifications ({@code notifications/tasks/status},
     * {@code notifications/tasks}) and its requests that name it ({@code _meta}'s
     * {@code io.modelcontextprotocol/related-task}); over HTTP also the progress notifications of
     * {@code progressToken}} Over a legacy HTTP session they come on the session's GET stream,
     * which the first watch opens. {@link Exchange#cancel()} stops the watch.
     */
    Exchange watch(String taskId, @Nullable String progressToken);

    /** Sends a notification or a response, waiting at most a few seconds; failures are ignored. */
    void post(Map<String, Object> message);

    /** {@return the end of a process's stderr, as it came (the session cleans it); empty for HTTP} */
    String stderrTail();

    /** {@return the most bytes of one message read; the start of a longer one is a truncated message, or a failure} */
    int maxMessageBytes();

    /** Ends the connection: the session (HTTP) or the process (stdio). Idempotent, throws nothing. */
    @Override
    void close();
}
