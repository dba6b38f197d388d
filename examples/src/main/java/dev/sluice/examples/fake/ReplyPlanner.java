package dev.sluice.examples.fake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Plans the answer to a valid request, the same for every wire format: thinking (when enabled), text, then a tool call (when
 * tools are offered and the last user turn is not a tool result), within {@code max_tokens} and
 * up to the earliest stop sequence. Deterministic for a given prompt and seed, except the ids.
 */
final class ReplyPlanner {
    private final long seed;

    ReplyPlanner(long seed) {
        this.seed = seed;
    }

    Reply plan(FakeRequest request) {
        Random random = new Random(Answers.hash(request.prompt(), seed));
        int budget = request.maxTokens();
        List<Reply.Block> blocks = new ArrayList<>();
        int used = 0;
        Reply.Stop stopReason = null;
        String stopSequence = null;

        if (request.thinkingBudget() > 0) {
            List<String> chunks = Answers.chunks(Answers.thinking(request.prompt(), seed), random);
            byte[] signature = new byte[72];
            random.nextBytes(signature);
            if (chunks.size() <= budget) {
                blocks.add(new Reply.Thinking(chunks, Base64.getEncoder().encodeToString(signature)));
                used += chunks.size();
            } else {
                stopReason = Reply.Stop.MAX_TOKENS;
            }
        }

        boolean callsTool = !request.tools().isEmpty() && !request.answersToolResult();
        if (stopReason == null) {
            String text = callsTool ? Answers.TOOL_PREAMBLE : Answers.answer(request.prompt(), seed);
            int cut = -1;
            for (String s : request.stopSequences()) {
                int at = text.indexOf(s);
                if (at >= 0 && (cut < 0 || at < cut)) {
                    cut = at;
                    stopSequence = s;
                }
            }
            List<String> chunks = Answers.chunks(cut >= 0 ? text.substring(0, cut) : text, random);
            if (used + chunks.size() > budget) {
                chunks = chunks.subList(0, budget - used);
                stopReason = Reply.Stop.MAX_TOKENS;
                stopSequence = null;
            } else if (stopSequence != null) {
                stopReason = Reply.Stop.STOP_SEQUENCE;
            }
            blocks.add(new Reply.Text(chunks));
            used += chunks.size();
        }

        if (stopReason == null && callsTool) {
            FakeRequest.Tool tool = request.tools().getFirst();
            ObjectNode input = SampleToolInput.of(tool.inputSchema(), request.prompt());
            List<String> fragments = Answers.fragments(Json.write(input), random);
            if (used + fragments.size() > budget) {
                stopReason = Reply.Stop.MAX_TOKENS; // a tool call that does not fit whole is left out
            } else {
                blocks.add(new Reply.ToolUse(Ids.neutral(), tool.name(), input, fragments));
                used += fragments.size();
                stopReason = Reply.Stop.TOOL_USE;
            }
        }
        if (stopReason == null) stopReason = Reply.Stop.END_TURN;
        int inputTokens = Math.max(1, (request.promptChars() + 3) / 4);
        return new Reply(Ids.neutral(), request.model(), blocks, stopReason, stopSequence, inputTokens, used);
    }
}
