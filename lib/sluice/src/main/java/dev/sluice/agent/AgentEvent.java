package dev.sluice.agent;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ToolResult;
import dev.sluice.chat.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One event of a {@link ToolRunner} run, in the order it happened. A run reads:
 *
 * <pre>
 * turn_started 1
 *   chunk ... chunk                (the model's answer; tools start as soon as their call is complete)
 *   tool_approval get_weather      (only for a tool the runner's ApprovalPolicy names: the call waits)
 *   tool_approval_decided          (approved: it runs; denied or timed out: tool_failed, kind DENIED)
 *   tool_started  get_weather
 *   tool_progress get_weather 50% "asking"
 *   tool_input    get_weather      (only when the tool asks the person something: the call waits for the answer)
 *   tool_done     get_weather      (or tool_failed: the model reads the error and may try again)
 * turn_ended 1                     (the results go back to the model in the order of the calls)
 * turn_started 2
 *   chunk ... chunk
 * turn_ended 2
 * run_finished                     (the conversation, the usage of every turn added up, why it stopped)
 * </pre>
 *
 * <p>Each kind has a stable {@link #type()} name and flat fields (strings, numbers, the chat
 * records), so that it serialises simply, e.g. for a browser: {@code tool_progress} with
 * {@code id}, {@code name}, {@code message} and {@code percent}. Kinds may be added in a later
 * release: switch with a {@code default}.
 */
public sealed interface AgentEvent
        permits AgentEvent.TurnStarted,
                AgentEvent.ModelChunk,
                AgentEvent.ToolStarted,
                AgentEvent.ToolProgress,
                AgentEvent.ToolCompleted,
                AgentEvent.ToolFailed,
                AgentEvent.TurnEnded,
                AgentEvent.RunFinished,
                AgentEvent.ApprovalRequested,
                AgentEvent.ApprovalDecided,
                AgentEvent.InputRequested {

    /**
     * {@return the event's stable name: {@code turn_started}, {@code chunk}, {@code tool_approval},
     * {@code tool_approval_decided}, {@code tool_started}, {@code tool_progress}, {@code tool_input},
     * {@code tool_done}, {@code tool_failed}, {@code turn_ended}, {@code run_finished}}
     */
    String type();

    /**
     * A turn begins: the conversation so far is being sent to the model. Type {@code turn_started}.
     *
     * @param turn the turn's number, from 1
     */
    record TurnStarted(int turn) implements AgentEvent {
        @Override
        public String type() {
            return "turn_started";
        }
    }

    /**
     * A piece of the model's answer, as the provider streamed it. Type {@code chunk}.
     *
     * @param turn the turn it belongs to
     * @param chunk the chunk
     */
    record ModelChunk(int turn, MessageChunk chunk) implements AgentEvent {
        /** @throws NullPointerException if chunk is null */
        public ModelChunk {
            Objects.requireNonNull(chunk, "chunk");
        }

        /** {@return the chunk's text delta, possibly empty} */
        public String text() {
            return chunk.text();
        }

        @Override
        public String type() {
            return "chunk";
        }
    }

    /**
     * A tool's handler started (for a call whose tool exists and whose arguments are valid). Type
     * {@code tool_started}.
     *
     * @param turn the turn whose call it answers
     * @param id the tool call's id
     * @param name the tool's name
     * @param arguments the arguments as the model wrote them (JSON text)
     */
    record ToolStarted(int turn, String id, String name, String arguments) implements AgentEvent {
        /** @throws NullPointerException if a string is null */
        public ToolStarted {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arguments, "arguments");
        }

        @Override
        public String type() {
            return "tool_started";
        }
    }

    /**
     * A running tool reported progress ({@link ToolContext#progress}). Type {@code tool_progress}.
     *
     * @param turn the turn whose call it answers
     * @param id the tool call's id
     * @param name the tool's name
     * @param message what is happening
     * @param percent how far it has come, 0 to 100; null when the tool did not say (derived as
     *     100 &middot; progress / total when the tool gave a total)
     * @param progress how much is done, in the tool's own unit (steps, bytes); null when the tool
     *     gave a percent or nothing
     * @param total how much there is to do, in the same unit; null when unknown
     */
    record ToolProgress(
            int turn,
            String id,
            String name,
            String message,
            Double percent,
            @Nullable Double progress,
            @Nullable Double total)
            implements AgentEvent {
        /** @throws NullPointerException if a string is null */
        public ToolProgress {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(message, "message");
        }

        /**
         * A progress event with at most a percent (no progress or total).
         *
         * @param turn the turn whose call it answers
         * @param id the tool call's id
         * @param name the tool's name
         * @param message what is happening
         * @param percent how far it has come, 0 to 100; null when the tool did not say
         * @throws NullPointerException if a string is null
         */
        public ToolProgress(int turn, String id, String name, String message, Double percent) {
            this(turn, id, name, message, percent, null, null);
        }

        @Override
        public String type() {
            return "tool_progress";
        }
    }

    /**
     * A call of a tool that needs approval ({@link ToolRunner.Builder#approval}) waits for a person's
     * decision, given with {@link ToolApprovals#decide} under this event's {@code id}. Type
     * {@code tool_approval}. Only this call waits: the model's stream and other tools go on.
     *
     * @param turn the turn whose call it answers
     * @param id the tool call's id, the one to decide
     * @param name the tool's name
     * @param arguments the arguments as the model wrote them (JSON text, checked as for
     *     {@link ToolStarted})
     */
    record ApprovalRequested(int turn, String id, String name, String arguments) implements AgentEvent {
        /** @throws NullPointerException if a string is null */
        public ApprovalRequested {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arguments, "arguments");
        }

        @Override
        public String type() {
            return "tool_approval";
        }
    }

    /**
     * A call that waited for approval was decided, once: approved (its handler runs next) or not
     * (denied, or no one decided within the runner's approval timeout; the handler never runs and a
     * {@link ToolFailed} of kind {@link ToolFailed.Kind#DENIED} follows). Not emitted for a run
     * cancelled while the call waited. Type {@code tool_approval_decided}.
     *
     * @param turn the turn whose call it answers
     * @param id the tool call's id
     * @param name the tool's name
     * @param approved whether the handler runs
     * @param reason the decider's reason, or why it was not approved when no one decided in time;
     *     empty when none was given
     */
    record ApprovalDecided(int turn, String id, String name, boolean approved, String reason) implements AgentEvent {
        /** @throws NullPointerException if a string is null */
        public ApprovalDecided {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String type() {
            return "tool_approval_decided";
        }
    }

    /**
     * A running tool asks the person a question ({@link ToolContext#requestInput}: an MCP server's
     * elicitation, an MCP task's {@code input_required}) and waits, alone, for the answer given
     * with {@link ToolApprovals#answer} under this event's {@code id} (or declined with
     * {@link ToolApprovals#decide}, or {@link ToolApprovals#unanswered} when no one can answer).
     * Type {@code tool_input}.
     *
     * @param turn the turn whose call it answers
     * @param id the tool call's id, the one to answer
     * @param name the tool's name
     * @param message the question, for a person to read (an MCP server's, cleaned of secrets)
     * @param schema the JSON Schema of the answer: an object of primitive properties (strings,
     *     numbers, booleans, enums), in the JSON value model of {@link dev.sluice.chat.PartialJson}
     */
    record InputRequested(int turn, String id, String name, String message, Map<String, Object> schema)
            implements AgentEvent {
        /** @throws NullPointerException if an argument is null */
        public InputRequested {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(message, "message");
            schema = Map.copyOf(schema);
        }

        @Override
        public String type() {
            return "tool_input";
        }
    }

    /**
     * A tool returned; its result goes back to the model. Type {@code tool_done}.
     *
     * @param turn the turn whose call it answers
     * @param id the tool call's id
     * @param name the tool's name
     * @param result what the handler returned
     * @param elapsed how long the handler ran
     */
    record ToolCompleted(int turn, String id, String name, String result, Duration elapsed) implements AgentEvent {
        /** @throws NullPointerException if an argument is null */
        public ToolCompleted {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(elapsed, "elapsed");
        }

        @Override
        public String type() {
            return "tool_done";
        }
    }

    /**
     * A tool call failed in a way the model can act on; {@code error} goes back to the model as a
     * tool result marked as an error, and the run goes on. Type {@code tool_failed}.
     *
     * @param turn the turn whose call it answers
     * @param id the tool call's id
     * @param name the tool's name as the model wrote it
     * @param kind what went wrong
     * @param error the message the model reads
     * @param elapsed how long the handler ran; zero when it never started
     */
    record ToolFailed(int turn, String id, String name, Kind kind, String error, Duration elapsed)
            implements AgentEvent {
        /** What went wrong with a tool call. */
        public enum Kind {
            /** The model called a tool the runner does not have; the handler never ran. */
            UNKNOWN_TOOL,
            /** The arguments were not a JSON object or lacked a required property; the handler never ran. */
            INVALID_ARGUMENTS,
            /** The handler threw. */
            HANDLER_FAILED,
            /** The handler ran past the runner's per-tool timeout; it was cancelled and interrupted. */
            TIMED_OUT,
            /**
             * The call needed approval and was denied, or no one decided within the runner's
             * approval timeout; the handler never ran.
             */
            DENIED
        }

        /** @throws NullPointerException if an argument is null */
        public ToolFailed {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(elapsed, "elapsed");
        }

        @Override
        public String type() {
            return "tool_failed";
        }
    }

    /**
     * A turn is over: the model's answer is complete and, when it called tools, every call has its
     * result. Type {@code turn_ended}.
     *
     * @param turn the turn's number
     * @param response the model's complete answer in this turn
     * @param toolResults the results sent back to the model, in the order of the calls; empty when
     *     the model called no tool
     */
    record TurnEnded(int turn, ChatResponse response, List<ToolResult> toolResults) implements AgentEvent {
        /** @throws NullPointerException if an argument is null */
        public TurnEnded {
            Objects.requireNonNull(response, "response");
            toolResults = List.copyOf(toolResults);
        }

        @Override
        public String type() {
            return "turn_ended";
        }
    }

    /**
     * The run is over; the last event of a run that was not cancelled and did not fail. Type
     * {@code run_finished}.
     *
     * @param reason why it stopped
     * @param turns how many turns ran
     * @param conversation the whole conversation: the request's messages, then each turn's
     *     assistant message and tool results; send it back (with a new user message) to go on
     * @param usage every turn's usage added up; zero counts when no provider reported any
     * @param lastResponse the model's answer in the last turn
     */
    record RunFinished(
            StopReason reason, int turns, List<ChatMessage> conversation, Usage usage, ChatResponse lastResponse)
            implements AgentEvent {
        /** Why a run stopped. */
        public enum StopReason {
            /** The model ended a turn without calling tools (see the last response's finish reason). */
            MODEL_DONE,
            /** The model still called tools after the runner's last allowed turn; their results are in the conversation. */
            TURN_LIMIT
        }

        /** @throws NullPointerException if an argument is null */
        public RunFinished {
            Objects.requireNonNull(reason, "reason");
            conversation = List.copyOf(conversation);
            Objects.requireNonNull(usage, "usage");
            Objects.requireNonNull(lastResponse, "lastResponse");
        }

        /** {@return the model's last answer text} */
        public String text() {
            return lastResponse.text();
        }

        @Override
        public String type() {
            return "run_finished";
        }
    }
}
