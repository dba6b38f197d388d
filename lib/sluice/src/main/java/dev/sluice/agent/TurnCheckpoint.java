package dev.sluice.agent;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.Usage;
import java.util.List;
import java.util.Objects;

/**
 * Where a tool run stands once a turn's model has called tools: the request the run goes on with
 * (the model, system prompt and settings, the request's own tools, and the conversation up to the
 * model's answer with its calls, without their results), the turn's number, and the tokens the run's
 * turns used up to this one, this one's included. The run hands it to
 * its owner ({@link ToolApprovals.TaskListener#calledTools}), who may keep it with the run's task
 * handles so that, should the process running the run stop while a call's task works, another
 * process goes on with the run from it once the calls' results are in ({@link ToolRunner#resume}),
 * its usage counted on from the checkpoint's so that the run's end reports the whole run's.
 *
 * <p>It holds what the model was sent and answered, the provider's state included (thinking
 * signatures and the like, which the provider needs back): keep it where the run's own messages
 * may be kept, never where a third party reads it. {@link #toString()} shows its size and usage only.
 *
 * @param request the request; its last message is the model's, with at least one tool call
 * @param turn the turn's number, from 1
 * @param usage the tokens of the run's turns 1 to {@code turn}, added up
 */
public record TurnCheckpoint(ChatRequest request, int turn, Usage usage) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if request or usage is null
     * @throws IllegalArgumentException if turn is below 1, or the conversation does not end with the
     *     model's tool calls
     */
    public TurnCheckpoint {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(usage, "usage");
        if (turn < 1) throw new IllegalArgumentException("turn must be at least 1: " + turn);
        List<ChatMessage> messages = request.messages();
        if (messages.isEmpty()
                || messages.getLast().role() != ChatMessage.Role.ASSISTANT
                || messages.getLast().toolCalls().isEmpty()) {
            throw new IllegalArgumentException(
                    "a checkpoint's conversation ends with the model's message that calls tools");
        }
    }

    /** {@return the turn's calls, which wait for their results, in the model's order} */
    public List<ToolCall> calls() {
        return request.messages().getLast().toolCalls();
    }

    @Override
    public String toString() {
        return "TurnCheckpoint[turn=" + turn + ", messages="
                + request.messages().size() + ", calls=" + calls().size() + ", usage=" + usage + "]";
    }
}
