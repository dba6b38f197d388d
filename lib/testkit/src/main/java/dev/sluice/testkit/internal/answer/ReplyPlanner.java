package dev.sluice.testkit.internal.answer;

import dev.sluice.testkit.internal.wire.ApiError;
import dev.sluice.testkit.internal.wire.FakeRequest;
import dev.sluice.testkit.internal.wire.Ids;
import dev.sluice.testkit.internal.wire.ModelRules;
import dev.sluice.testkit.internal.wire.Reply;
import dev.sluice.testkit.internal.wire.Tokens;
import dev.sluice.testkit.spi.Voice;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plans the answer to a valid request, the same for every wire format: thinking (when enabled), text, then a tool call (when
 * tools are offered and the last user turn is not a tool result; the text from the {@link Voice}, which may read the whole
 * conversation), within {@code max_tokens} (counted as {@link Tokens} estimates them) and
 * up to the earliest stop sequence. A request for structured output gets its JSON ({@link ObjectAnswer}) instead of
 * the text, or as the call of the tool it forces. Deterministic for a given prompt and seed, except the ids.
 */
public final class ReplyPlanner {
    private final long seed;

    public ReplyPlanner(long seed) {
        this.seed = seed;
    }

    /**
     * {@return the signature of a thinking text} Derived from the text, so that a later request can
     * show it was sent back intact ({@link #signatureMatches}), as the real API checks its own.
     */
    public static String signature(String thinking) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("sluice-fake-thinking:" + thinking).getBytes(StandardCharsets.UTF_8));
            byte[] signature = new byte[72];
            for (int i = 0; i < signature.length; i++) signature[i] = digest[i % digest.length];
            return Base64.getEncoder().encodeToString(signature);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    /** {@return whether a signature is the one {@link #signature} gives for the text} */
    public static boolean signatureMatches(String thinking, String signature) {
        return signature(thinking).equals(signature);
    }

    /** {@return the input tokens of a request: about a quarter of its characters, at least 1} */
    public static int inputTokens(FakeRequest request) {
        return Math.max(1, (request.promptChars() + 3) / 4);
    }

    /** {@return the estimated tokens of deltas, each at least one} */
    public static int tokens(List<String> deltas) {
        int n = 0;
        for (String d : deltas) n += Tokens.of(d);
        return n;
    }

    /**
     * {@return the longest start of the deltas that fits in {@code room} tokens} The last delta that
     * fits in part is cut after its last word that fits, so that the answer fills its budget.
     */
    public static List<String> fit(List<String> deltas, int room) {
        List<String> out = new ArrayList<>();
        for (String d : deltas) {
            int tokens = Tokens.of(d);
            if (tokens <= room) {
                out.add(d);
                room -= tokens;
                continue;
            }
            Matcher word = WORD.matcher(d);
            int end = 0;
            while (word.find() && Tokens.of(d.substring(0, word.end())) <= room) end = word.end();
            if (end > 0) out.add(d.substring(0, end));
            break;
        }
        return out;
    }

    /** A word, a number or a run of punctuation, with the space before it: where a delta may be cut. */
    private static final Pattern WORD = Pattern.compile("\\s*(?:\\p{L}+|\\p{N}+|[^\\p{L}\\p{N}\\s]+)");

    /** {@return the seed the answers are chosen with} */
    public long seed() {
        return seed;
    }

    /**
     * {@return the planned answer to a request}
     *
     * @throws ApiError never for a planned answer (a scripted structured answer's bad pointer only)
     */
    public Reply plan(FakeRequest request) throws ApiError {
        Random random = new Random(Voice.hash(request.prompt(), seed));
        int budget = request.maxTokens();
        List<Reply.Block> blocks = new ArrayList<>();
        int used = 0;
        Reply.Stop stopReason = null;
        String stopSequence = null;

        if (request.thinkingBudget() > 0) {
            List<String> chunks = Deltas.chunks(PlannedTexts.thinking(request.prompt(), seed), random);
            random.nextBytes(new byte[72]); // kept so that the rest of the random sequence stays as it was
            int tokens = tokens(chunks);
            if (tokens <= budget) {
                blocks.add(new Reply.Thinking(chunks, signature(String.join("", chunks))));
                used += tokens;
            } else {
                stopReason = Reply.Stop.MAX_TOKENS;
            }
        }

        FakeRequest.Output output = request.output();
        boolean forced = output != null && output.viaTool();
        List<ToolPlan.Call> toolCalls =
                forced || request.tools().isEmpty() || request.answersToolResult() ? List.of() : ToolPlan.of(request);
        boolean callsTool = !toolCalls.isEmpty();
        if (stopReason == null && (forced || (output != null && !callsTool))) {
            ObjectAnswer.Planned object =
                    ObjectAnswer.plan(request, ObjectAnswer.Script.GENERATED, seed, random, budget - used);
            blocks.addAll(object.blocks());
            used += object.tokens();
            stopReason = object.stop();
        } else if (stopReason == null) {
            // Structured output allows no prose before its tool calls; a free answer says what it is about to do.
            String text = callsTool
                    ? (output != null ? "" : PlannedTexts.TOOL_PREAMBLE)
                    : !request.toolResults().isEmpty()
                            ? PlannedTexts.fromToolResults(request.toolResults())
                            : Voices.current()
                                    .answer(request.prompt(), request.turns(), seed, keyVariable(request.model()));
            if (!request.prefill().isEmpty() && text.startsWith(request.prefill())) {
                text = text.substring(request.prefill().length()); // the answer goes on from the prefill
            }
            int cut = -1;
            for (String s : request.stopSequences()) {
                int at = text.indexOf(s);
                if (at >= 0 && (cut < 0 || at < cut)) {
                    cut = at;
                    stopSequence = s;
                }
            }
            List<String> chunks = Deltas.chunks(cut >= 0 ? text.substring(0, cut) : text, random);
            if (used + tokens(chunks) > budget) {
                chunks = fit(chunks, budget - used);
                stopReason = Reply.Stop.MAX_TOKENS;
                stopSequence = null;
            } else if (stopSequence != null) {
                stopReason = Reply.Stop.STOP_SEQUENCE;
            }
            if (!text.isEmpty()) blocks.add(new Reply.Text(chunks));
            used += tokens(chunks);
        }

        if (stopReason == null && callsTool) {
            for (ToolPlan.Call call : toolCalls) {
                List<String> fragments = Deltas.fragments(call.arguments(), random);
                int tokens = tokens(fragments);
                if (used + tokens > budget) {
                    stopReason = Reply.Stop.MAX_TOKENS; // a tool call that does not fit whole is left out
                    break;
                }
                blocks.add(new Reply.ToolUse(Ids.neutral(), call.name(), call.input(), fragments));
                used += tokens;
                stopReason = Reply.Stop.TOOL_USE;
            }
        }
        if (stopReason == null) stopReason = Reply.Stop.END_TURN;
        int inputTokens = inputTokens(request);
        return new Reply(Ids.neutral(), request.model(), blocks, stopReason, stopSequence, inputTokens, used, true);
    }

    /**
     * {@return the key variable of the provider a request for {@code model} came through, for the
     * voice's hint of how to reach a real model: its maker's, as the model table or its id says}
     */
    static String keyVariable(String model) {
        ModelRules.Maker maker = ModelRules.of(model).map(ModelRules::maker).orElseGet(() -> {
            String id = model.toLowerCase(Locale.ROOT);
            if (id.contains("gemini-")) return ModelRules.Maker.GOOGLE; // a model id, not a provider's
            if (id.matches("(?:.*[./])?(?:gpt-|o[0-9]|codex).*")) return ModelRules.Maker.OPENAI;
            return ModelRules.Maker.ANTHROPIC;
        });
        return switch (maker) {
            case ANTHROPIC -> "ANTHROPIC_API_KEY";
            case OPENAI -> "OPENAI_API_KEY";
            case GOOGLE -> "GEMINI_API_KEY";
        };
    }
}
