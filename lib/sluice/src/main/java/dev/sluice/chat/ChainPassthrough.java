package dev.sluice.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.SluiceException;
import dev.sluice.StreamTimeoutException.Timeout;
import dev.sluice.client.Failover;
import dev.sluice.internal.low.json.Json;
import dev.sluice.sse.SseEvent;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A {@link FallbackChain}'s passthrough ({@link ChatProvider#passthrough}), when every target
 * passes one API through, Anthropic's Messages API or OpenAI's Responses API: the caller's body goes
 * to the first target that opens, as it came but for the model and the opaque state another target
 * issued, and that target's events come back as they came. The state rule of {@link ProviderState}
 * holds on the wire. Messages: each thinking block's {@code signature} (a redacted one's
 * {@code data}) that a target's answer carries is remembered as that target's (a digest, not the
 * text), and a body sent to a target keeps only the thinking blocks it issued; where it loses one
 * of the tool loop in progress, thinking is turned off for it (as {@link FallbackRun#loopFromElsewhere}
 * does), since the API wants that loop's thinking back. Responses: each output item's
 * {@code encrypted_content} (a reasoning item's, a compaction item's) is remembered the same way, and
 * a body sent to a target keeps only the input items whose {@code encrypted_content} it issued (the
 * API refuses another's; without it, the model reasons afresh).
 * A target whose stream does not open (refused, overloaded, unreachable: the failures of
 * {@link FallbackRun#reasonOf}, after its client's own retries before content) moves the call on;
 * once it opened, nothing can be handed on again: a failure is the stream's, as the target's was,
 * and after an event passed the target is {@linkplain FallbackChain.Builder#cooldown cooled down}.
 * No hedge runs.
 *
 * <p>Threading: any thread; the remembered signatures are behind a lock, each stream's fields its
 * producer's.
 */
final class ChainPassthrough {
    private static final int REMEMBERED = 65_536; // signatures: 16 bytes each and their target's name
    private static final AtomicLong STREAMS = new AtomicLong();

    private final FallbackChain chain;
    private final boolean responses; // the Responses API's encrypted_content, else Anthropic's thinking signatures
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Digest, String> issued = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Digest, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    /**
     * @param chain the chain whose targets it passes to
     * @param api the API every target passes through ({@link #api}); null for none
     */
    ChainPassthrough(FallbackChain chain, @Nullable WireApi api) {
        this.chain = chain;
        this.responses = api == WireApi.RESPONSES;
    }

    /**
     * {@return the API every target passes through, when it is one whose opaque state is routed
     * here (Anthropic's Messages API: thinking signatures; the Responses API: encrypted reasoning);
     * else empty (the chain translates)}
     */
    static Optional<WireApi> api(List<FallbackChain.Target> targets) {
        Optional<WireApi> api = targets.getFirst().provider().passthrough().map(Passthrough::api);
        if (!api.equals(Optional.of(WireApi.MESSAGES)) && !api.equals(Optional.of(WireApi.RESPONSES)))
            return Optional.empty();
        for (FallbackChain.Target t : targets) {
            if (!t.provider().passthrough().map(Passthrough::api).equals(api)) return Optional.empty();
        }
        return api;
    }

    /** As {@link ChatProvider#passthrough}, over the chain's targets. */
    @SuppressWarnings("ReferenceEquality") // identity: the defaults' one instance means no options of its own
    EventStream<SseEvent> stream(String body, List<String> betas, StreamController controller) {
        StreamOptions own = controller.options() == StreamOptions.defaults() ? null : controller.options();
        controller.start(StreamOptions.defaults()); // claims it; throws if it belongs to a stream already
        StreamController outer = StreamController.create();
        controller.onCancel(() -> outer.cancel(controller.cancelReason().orElse("cancelled")));
        List<FallbackChain.Target> order = chain.order();
        List<String> failures = new ArrayList<>(0);
        List<SluiceException> causes = new ArrayList<>(0);
        for (int i = 0; ; i++) {
            FallbackChain.Target t = order.get(i);
            StreamController attempt = own != null ? StreamController.of(own) : StreamController.create();
            outer.onCancel(() -> attempt.cancel(outer.cancelReason().orElse("cancelled")));
            EventStream<SseEvent> events;
            try {
                events = own(t).stream(bodyFor(body, t.name()), t.model(), betas, attempt);
            } catch (SluiceException e) {
                moveOn(e, outer.isCancelled(), order, i, failures, causes);
                continue;
            }
            return EventStream.<SseEvent>builder()
                    .controller(outer)
                    .options((own != null ? own : StreamOptions.defaults())
                            .toBuilder()
                                    .noTimeout(Timeout.FIRST_EVENT)
                                    .noTimeout(Timeout.IDLE)
                                    .build())
                    .threadName("sluice-fallback-passthrough-" + STREAMS.incrementAndGet())
                    .onEnd(events::close)
                    .generate(out -> {
                        out.attach(events::close);
                        boolean passed = false;
                        try {
                            for (SseEvent e : events) {
                                remember(e, t.name());
                                passed = true;
                                if (!out.emit(e)) return;
                            }
                        } catch (SluiceException e) {
                            if (passed && FallbackRun.reasonOf(e) != null && !outer.isCancelled())
                                chain.failedMidAnswer(t);
                            throw e;
                        }
                    });
        }
    }

    /** As {@link Passthrough#answer}, over the chain's targets. */
    String answer(String body, List<String> betas, StreamController controller, long maxBytes) {
        List<FallbackChain.Target> order = chain.order();
        List<String> failures = new ArrayList<>(0);
        List<SluiceException> causes = new ArrayList<>(0);
        StreamOptions options = controller.options();
        for (int i = 0; ; i++) {
            FallbackChain.Target t = order.get(i);
            StreamController attempt = StreamController.of(options);
            controller.onCancel(() -> attempt.cancel(controller.cancelReason().orElse("cancelled")));
            try {
                String answer = own(t).answer(bodyFor(body, t.name()), t.model(), betas, attempt, maxBytes);
                if (read(answer) instanceof Map<?, ?> m
                        && m.get(responses ? "output" : "content") instanceof List<?> l) {
                    for (Object block : l) remember(block, t.name());
                }
                return answer;
            } catch (SluiceException e) {
                moveOn(e, controller.isCancelled(), order, i, failures, causes);
            }
        }
    }

    /** A target failed before its first event: tells the chain's observers of the switch, or throws when it was the last. */
    private void moveOn(
            SluiceException e,
            boolean cancelled,
            List<FallbackChain.Target> order,
            int i,
            List<String> failures,
            List<SluiceException> causes) {
        Failover.Reason reason = FallbackRun.reasonOf(e);
        String name = order.get(i).name();
        if (reason == null || cancelled || i + 1 >= order.size())
            throw FallbackRun.finalFailure(e, reason, cancelled, name, failures, causes);
        Failover f = new Failover(
                name,
                order.get(i + 1).name(),
                reason,
                Failover.Mode.CONTINUE,
                "",
                0,
                0,
                e.requestId().orElse(null));
        chain.report(f);
        failures.add(name + ": " + f.reasonName());
        causes.add(e);
    }

    /** Remembers the opaque state an event or a content block carries as target {@code name}'s. */
    private void remember(SseEvent event, String name) {
        String data = event.data();
        if (responses) { // an item done, a response completed: the items' encrypted_content
            if (!data.contains("\"encrypted_content\"") || !(read(data) instanceof Map<?, ?> m)) return;
            remember(m.get("item"), name);
            if (m.get("response") instanceof Map<?, ?> r && r.get("output") instanceof List<?> output) {
                for (Object item : output) remember(item, name);
            }
            return;
        }
        boolean signature = event.type().equals("content_block_delta") && data.contains("signature_delta");
        boolean redacted = event.type().equals("content_block_start") && data.contains("redacted_thinking");
        boolean started = event.type().equals("content_block_start") && data.contains("\"signature\"");
        if (!signature && !redacted && !started) return;
        if (!(read(data) instanceof Map<?, ?> m)) return;
        if (m.get("delta") instanceof Map<?, ?> delta && delta.get("signature") instanceof String s) remember(s, name);
        if (m.get("content_block") != null) remember(m.get("content_block"), name);
    }

    private void remember(@Nullable Object block, String name) {
        String state = state(block);
        if (state != null) remember(state, name);
    }

    private void remember(String state, String name) {
        if (state.isEmpty()) return;
        Digest d = Digest.of(state);
        lock.lock();
        try {
            issued.put(d, name);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@return a thinking block's signature, a redacted one's data, a Responses item's
     * encrypted_content; null for any other block or item}
     */
    private @Nullable String state(@Nullable Object block) {
        if (!(block instanceof Map<?, ?> b)) return null;
        if (responses) return b.get("encrypted_content") instanceof String s ? s : null;
        return switch (String.valueOf(b.get("type"))) {
            case "thinking" -> b.get("signature") instanceof String s ? s : null;
            case "redacted_thinking" -> b.get("data") instanceof String s ? s : null;
            default -> null;
        };
    }

    private boolean issuedBy(String state, String name) {
        Digest d = Digest.of(state);
        lock.lock();
        try {
            return name.equals(issued.get(d));
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@return the body as target {@code name} gets it: as it came when every thinking block in it is
     * that target's; else without the others', and without {@code thinking} when the tool loop in
     * progress lost one}
     */
    String bodyFor(String body, String name) {
        if (responses) return inputFor(body, name);
        if (!body.contains("thinking")) return body; // no thinking block: nothing to check, nothing parsed
        if (!(read(body) instanceof Map<?, ?> root) || !(root.get("messages") instanceof List<?> messages)) return body;
        List<Object> kept = new ArrayList<>(messages.size());
        boolean stripped = false;
        boolean loopLost = false; // a block of the tool loop in progress (after the last user text) was stripped
        for (Object message : messages) {
            if (message instanceof Map<?, ?> m && "user".equals(m.get("role")) && !toolResults(m)) loopLost = false;
            if (!(message instanceof Map<?, ?> m)
                    || !"assistant".equals(m.get("role"))
                    || !(m.get("content") instanceof List<?> content)) {
                kept.add(message);
                continue;
            }
            List<Object> blocks = new ArrayList<>(content.size());
            for (Object block : content) {
                String state = state(block);
                if (state != null && !issuedBy(state, name)) {
                    stripped = true;
                    loopLost = true;
                } else {
                    blocks.add(block);
                }
            }
            if (blocks.size() == content.size()) {
                kept.add(message);
            } else if (!blocks.isEmpty()) {
                Map<Object, Object> copy = new LinkedHashMap<>(m);
                copy.put("content", blocks);
                kept.add(copy);
            }
        }
        if (!stripped) return body;
        Map<Object, Object> copy = new LinkedHashMap<>(root);
        copy.put("messages", kept);
        if (loopLost) copy.remove("thinking");
        return Json.write(copy);
    }

    /**
     * {@return a Responses body as target {@code name} gets it: as it came when every input item
     * with {@code encrypted_content} is that target's; else without the others'}
     */
    private String inputFor(String body, String name) {
        if (!body.contains("\"encrypted_content\"")) return body; // nothing to check, nothing parsed
        if (!(read(body) instanceof Map<?, ?> root) || !(root.get("input") instanceof List<?> input)) return body;
        List<Object> kept = new ArrayList<>(input.size());
        for (Object item : input) {
            String state = state(item);
            if (state == null || issuedBy(state, name)) kept.add(item);
        }
        if (kept.size() == input.size()) return body;
        Map<Object, Object> copy = new LinkedHashMap<>(root);
        copy.put("input", kept);
        return Json.write(copy);
    }

    /** {@return the JSON value of a text, or null when it is not JSON (the target answers that as it would)} */
    private static @Nullable Object read(String json) {
        try {
            return Json.readValue(json);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** {@return whether a user message is the tool loop's: its content holds tool results} */
    private static boolean toolResults(Map<?, ?> user) {
        if (!(user.get("content") instanceof List<?> content)) return false;
        for (Object block : content) {
            if (block instanceof Map<?, ?> b && "tool_result".equals(b.get("type"))) return true;
        }
        return false;
    }

    /** The first 16 bytes of a state's SHA-256: what is remembered of it. */
    private record Digest(long high, long low) {
        static Digest of(String state) {
            byte[] h;
            try {
                h = MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
            long high = 0;
            long low = 0;
            for (int i = 0; i < 8; i++) {
                high = (high << 8) | (h[i] & 0xFF);
                low = (low << 8) | (h[i + 8] & 0xFF);
            }
            return new Digest(high, low);
        }
    }

    /** {@return a target's own passthrough, which {@link #api} found on every target} */
    private static Passthrough own(FallbackChain.Target t) {
        return t.provider()
                .passthrough()
                .orElseThrow(() -> new IllegalStateException(t.name() + " passes nothing through"));
    }
}
