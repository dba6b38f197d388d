package dev.sluice.gemini;

import dev.sluice.ProtocolException;
import dev.sluice.chat.PartialJson;
import dev.sluice.client.Accumulator;
import dev.sluice.internal.low.value.Deferred;
import dev.sluice.internal.low.value.LazyList;
import dev.sluice.internal.low.value.StringParts;
import dev.sluice.internal.low.value.TextView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Builds the whole {@link GenerateContentResponse} from the chunks of a stream (complete once every
 * candidate has its finish reason), as
 * {@code generateContent} would have returned it:
 *
 * <ul>
 *   <li>candidates by index; each candidate's parts in arrival order, where a text part directly
 *       after a text part is joined to it, and a thought part directly after a thought part likewise
 *       (unless the earlier one already carries a thought signature: a signature closes a part);
 *       function calls sent whole and unknown parts are kept as they came; the pieces of a call whose
 *       arguments stream ({@link PartialFunctionCallPart}) are joined into one {@link FunctionCallPart}
 *       at the place of its first piece (while it streams, its arguments so far, a string as far as
 *       it came), its arguments written by the paths of the {@link PartialArg}s;
 *   <li>a candidate's role is the first one given; its finish reason, finish message and safety
 *       ratings the latest ones given; citation sources are appended;
 *   <li>usage and prompt feedback are the latest ones given; the model version and the response id
 *       the first non-empty ones.
 * </ul>
 *
 * <p>Threading: one thread at a time calls {@link #accept}; {@link #snapshot()},
 * {@link #isComplete()} and {@link #result()} may be called from any thread at any time and see a consistent state
 * (a lock guards everything).
 *
 * <p>Cost: a {@link #snapshot()} costs O(candidates and parts), not O(what arrived): texts are held
 * as immutable views of append-only storage, and a candidate is built only when the snapshot's
 * {@code candidates().get(i)} (or iteration, {@code equals}, {@code toString}) first reads it, then
 * kept; reading it costs its texts' length once.
 */
public final class GenerateContentAccumulator implements Accumulator<GenerateContentResponse, GenerateContentResponse> {
    // Guarded by lock: everything below.
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<Integer, CandidateState> candidates = new TreeMap<>();
    private @Nullable PromptFeedback promptFeedback;
    private @Nullable UsageMetadata usage;
    private String modelVersion = "";
    private String responseId = "";

    private static final class CandidateState {
        final int index;
        String role = "";
        final List<Object> parts = new ArrayList<>(); // Part, MergingText for a text/thought run, or StreamingCall

        @Nullable
        StreamingCall streaming; // the call whose arguments stream, or null

        @Nullable
        String finishReason;

        @Nullable
        String finishMessage;

        List<SafetyRating> safetyRatings = List.of();
        final List<Map<String, Object>> citations = new ArrayList<>();

        CandidateState(int index) {
            this.index = index;
        }
    }

    /** A call whose arguments are streaming: joined into one {@link FunctionCallPart}. */
    private static final class StreamingCall {
        final @Nullable String id;
        final String name;

        @Nullable
        String signature;

        final StreamedArgs args = new StreamedArgs();

        StreamingCall(@Nullable String id, String name, @Nullable String signature) {
            this.id = id;
            this.name = name;
            this.signature = signature;
            args.start();
        }

        /** {@return the call as it is now: the arguments so far, a partial string as far as it came} */
        @SuppressWarnings("unchecked")
        Deferred<Part> part() {
            String text = args.text();
            String signed = signature;
            return new Deferred<>(() -> {
                Object value = PartialJson.parse(text).value();
                Map<String, Object> parsed = value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
                return new FunctionCallPart(id, name, parsed, signed);
            });
        }
    }

    private static final class MergingText {
        final boolean thought;
        final StringParts text = new StringParts();

        @Nullable
        String signature;

        MergingText(boolean thought) {
            this.thought = thought;
        }

        /** {@return the part as it is now, built on first read} */
        Deferred<Part> part() {
            TextView now = text.view();
            String signed = signature;
            return new Deferred<>(
                    () -> thought ? new ThoughtPart(now.toString(), signed) : new TextPart(now.toString(), signed));
        }
    }

    /** Creates an accumulator that has seen nothing. */
    public GenerateContentAccumulator() {}

    /**
     * Adds the next chunk.
     *
     * @param chunk the chunk
     * @throws NullPointerException if chunk is null
     */
    @Override
    public void accept(GenerateContentResponse chunk) {
        Objects.requireNonNull(chunk, "chunk");
        lock.lock();
        try {
            for (Candidate c : chunk.candidates()) {
                CandidateState state = candidates.computeIfAbsent(c.index(), CandidateState::new);
                if (state.role.isEmpty()) state.role = c.content().role();
                for (Part p : c.content().parts()) append(state, p);
                if (c.finishReason() != null) state.finishReason = c.finishReason();
                if (c.finishMessage() != null) state.finishMessage = c.finishMessage();
                if (!c.safetyRatings().isEmpty()) state.safetyRatings = c.safetyRatings();
                state.citations.addAll(c.citationSources());
            }
            if (chunk.promptFeedback() != null) promptFeedback = chunk.promptFeedback();
            if (chunk.usageMetadata() != null) usage = chunk.usageMetadata();
            if (modelVersion.isEmpty()) modelVersion = chunk.modelVersion();
            if (responseId.isEmpty()) responseId = chunk.responseId();
        } finally {
            lock.unlock();
        }
    }

    private static void append(CandidateState state, Part p) {
        if (p instanceof PartialFunctionCallPart c) {
            streamed(state, c);
            return;
        }
        if (p instanceof FunctionCallPart) state.streaming = null;
        boolean thought = p instanceof ThoughtPart;
        if (p instanceof TextPart || thought) {
            String text = thought ? ((ThoughtPart) p).text() : ((TextPart) p).text();
            String signature = thought ? ((ThoughtPart) p).thoughtSignature() : ((TextPart) p).thoughtSignature();
            Object last = state.parts.isEmpty() ? null : state.parts.get(state.parts.size() - 1);
            MergingText run;
            if (last instanceof MergingText m && m.thought == thought && m.signature == null) {
                run = m;
            } else {
                run = new MergingText(thought);
                state.parts.add(run);
            }
            run.text.append(text);
            if (signature != null) run.signature = signature;
        } else {
            state.parts.add(p);
        }
    }

    /** Joins a piece of a streamed call: a named piece starts a call, each piece adds its arguments, the last ends it. */
    private static void streamed(CandidateState state, PartialFunctionCallPart c) {
        if (c.name() != null) {
            state.streaming = new StreamingCall(c.id(), c.name(), c.thoughtSignature());
            state.parts.add(state.streaming);
        } else if (state.streaming == null) {
            if (c.partialArgs().isEmpty()) return; // the end of no call
            throw new ProtocolException("Gemini streamed function-call arguments before the call's name", null);
        } else if (c.thoughtSignature() != null) {
            state.streaming.signature = c.thoughtSignature();
        }
        StreamingCall call = state.streaming;
        for (PartialArg a : c.partialArgs()) call.args.apply(a);
        if (!c.willContinue()) {
            call.args.end();
            int at = state.parts.lastIndexOf(call);
            state.parts.set(at, call.part().get());
            state.streaming = null;
        }
    }

    /**
     * {@return the whole response}
     *
     * @throws IllegalStateException if a candidate has no finish reason yet (or none arrived): the
     *     stream has not completed; {@link #snapshot()} has the partial response
     */
    @Override
    public GenerateContentResponse result() {
        if (!isComplete()) {
            throw new IllegalStateException("the response is not complete: a candidate has no finish reason yet; "
                    + "use snapshot() for the partial response");
        }
        return snapshot();
    }

    /** {@return the response as far as it has arrived; safe from any thread, at any time} */
    @Override
    public GenerateContentResponse snapshot() {
        lock.lock();
        try {
            Object[] list = new Object[candidates.size()];
            int i = 0;
            for (CandidateState s : candidates.values()) {
                Object[] parts = new Object[s.parts.size()];
                for (int k = 0; k < parts.length; k++) {
                    Object o = s.parts.get(k);
                    parts[k] = o instanceof MergingText m ? m.part() : o instanceof StreamingCall c ? c.part() : o;
                }
                int index = s.index;
                String role = s.role, finishReason = s.finishReason, finishMessage = s.finishMessage;
                List<SafetyRating> ratings = s.safetyRatings;
                List<Map<String, Object>> citations = List.copyOf(s.citations);
                list[i++] = new Deferred<>(() -> new Candidate(
                        index,
                        new Content(role, LazyList.wrap(parts)),
                        finishReason,
                        finishMessage,
                        ratings,
                        citations));
            }
            return new GenerateContentResponse(LazyList.wrap(list), promptFeedback, usage, modelVersion, responseId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@return whether the response is whole: at least one candidate arrived and every candidate has
     * a finish reason}
     */
    @Override
    public boolean isComplete() {
        lock.lock();
        try {
            if (candidates.isEmpty()) return false;
            for (CandidateState s : candidates.values()) if (s.finishReason == null) return false;
            return true;
        } finally {
            lock.unlock();
        }
    }
}
