package dev.sluice.relay.protocol;

import dev.sluice.objects.ObjectSchema;
import dev.sluice.relay.StartRequest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a frontend protocol's request asks of its turn, one or the other: {@link Start} a stream, or
 * give the {@link Decisions} that the running stream waits for (its tool calls' approvals, its
 * tools' questions' answers). Both the Vercel AI SDK's chat body ({@link UiChatRequest#turn()}) and
 * an AG-UI run ({@link AgUiRunInput#turn()}) carry one; the relay's HTTP side {@code switch}es over
 * it.
 */
public sealed interface TurnInput permits TurnInput.Start, TurnInput.Decisions {

    /**
     * Starts a stream: the conversation and options to stream, with a text answer or a structured
     * one.
     *
     * @param request what the relay streams
     * @param schema the structured answer's JSON Schema, or null for a text answer
     */
    record Start(StartRequest request, @Nullable ObjectSchema<Map<String, Object>> schema) implements TurnInput {
        /** @throws NullPointerException if request is null */
        public Start {
            Objects.requireNonNull(request, "request");
        }

        /**
         * A start with a text answer.
         *
         * @param request what the relay streams
         * @throws NullPointerException if request is null
         */
        public Start(StartRequest request) {
            this(request, null);
        }
    }

    /**
     * Decides what the running stream waits for, and starts nothing: the response continues that
     * stream.
     *
     * @param approvals the answers to tool approval requests; empty for none
     * @param answers the answers to tools' questions; empty for none
     */
    record Decisions(List<ToolApprovalResponse> approvals, List<ToolInputResponse> answers) implements TurnInput {
        /**
         * Copies the lists.
         *
         * @throws NullPointerException if a list or an element is null
         * @throws IllegalArgumentException if both lists are empty
         */
        public Decisions {
            approvals = List.copyOf(approvals);
            answers = List.copyOf(answers);
            if (approvals.isEmpty() && answers.isEmpty())
                throw new IllegalArgumentException("decisions need an approval or an answer");
        }
    }
}
