package dev.sluice.testkit.internal.wire.bedrock;

import dev.sluice.testkit.internal.http.SseEvent;
import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.internal.json.ObjectNode;
import dev.sluice.testkit.internal.wire.ApiError;
import dev.sluice.testkit.internal.wire.CarriedWire;
import dev.sluice.testkit.internal.wire.FakeRequest;
import dev.sluice.testkit.internal.wire.OpaqueSigner;
import dev.sluice.testkit.internal.wire.Reply;
import dev.sluice.testkit.internal.wire.WireFormat;
import dev.sluice.testkit.internal.wire.anthropic.AnthropicWire;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Anthropic's Messages API on Amazon Bedrock, {@code POST /model/{modelId}/invoke-with-response-stream}:
 * the Messages request body with {@code "anthropic_version": "bedrock-2023-05-31"} and neither
 * {@code model} (the path names it) nor {@code stream}, checked otherwise as {@link AnthropicWire}
 * checks it; answered as an AWS event stream of {@code chunk} events whose payload
 * {@code {"bytes":"<base64>","p":...}} carries one Anthropic stream event each, the very events the
 * Anthropic fake sends (thinking with its signature, tool use, stop reasons), the last,
 * {@code message_stop}, with the {@code amazon-bedrock-invocationMetrics} the service adds.
 * Authentication and errors: {@link BedrockWire}.
 */
public class BedrockAnthropicWire extends BedrockWire implements CarriedWire {
    static final String SUFFIX = "/invoke-with-response-stream";
    static final String VERSION = "bedrock-2023-05-31";
    private final AnthropicWire anthropic;

    /** @param opaque the server's issuer of opaque values (thinking signatures) */
    public BedrockAnthropicWire(OpaqueSigner opaque) {
        this.anthropic = new AnthropicWire(opaque);
    }

    /**
     * {@code POST /model/{modelId}/invoke}, InvokeModel: the same body, answered whole with the
     * Anthropic message (JSON), as Bedrock answers it.
     */
    public static final class Invoke extends BedrockAnthropicWire {
        static final String SUFFIX = "/invoke";

        public Invoke(OpaqueSigner opaque) {
            super(opaque);
        }

        @Override
        String suffix() {
            return SUFFIX;
        }

        @Override
        boolean streams() {
            return false;
        }
    }

    @Override
    public WireFormat carried() {
        return anthropic;
    }

    @Override
    String suffix() {
        return SUFFIX;
    }

    /** {@return whether this route streams (invoke-with-response-stream) or answers whole (invoke)} */
    boolean streams() {
        return true;
    }

    @Override
    public FakeRequest peek(String path, JsonNode body) {
        anthropic.countForeignTurns(body);
        return FakeRequest.lenient(model(path), body, streams(), true);
    }

    @Override
    public FakeRequest peekStructured(String path, JsonNode body) {
        return peek(path, body).withConversation(tools(body), turns(body)).withOutput(toolChoice(body), format(body));
    }

    @Override
    public FakeRequest parse(String path, JsonNode body) throws ApiError {
        if (body == null || !body.isObject())
            throw ApiError.invalid("Malformed input request, please reformat your input and try again.");
        for (String extraneous : List.of("model", "stream")) {
            if (body.has(extraneous)) {
                throw ApiError.invalid("Malformed input request: #: extraneous key [" + extraneous
                        + "] is not permitted," + " please reformat your input and try again.");
            }
        }
        if (!VERSION.equals(body.path("anthropic_version").asText(""))) {
            throw ApiError.invalid("Malformed input request: #/anthropic_version: expected \"" + VERSION + "\", got "
                    + (body.has("anthropic_version") ? Json.write(body.required("anthropic_version")) : "none")
                    + ", please reformat your input and try again.");
        }
        ObjectNode asMessages = ((ObjectNode) body).deepCopy();
        asMessages.remove("anthropic_version");
        asMessages.put("model", model(path));
        if (streams()) asMessages.put("stream", true);
        return anthropic.parse(AnthropicWire.PATH, asMessages);
    }

    @Override
    public StreamRenderer streamRenderer(FakeRequest request, Reply reply) {
        StreamRenderer events = anthropic.streamRenderer(request, reply);
        long start = System.nanoTime();
        return new StreamRenderer() {
            private long firstByte = -1;

            @Override
            public List<SseEvent> begin() {
                firstByte = millisSince(start);
                return chunks(events.begin());
            }

            @Override
            public List<SseEvent> blockStart(int index, Reply.Block block) {
                return chunks(events.blockStart(index, block));
            }

            @Override
            public @Nullable SseEvent delta(int index, Reply.Block block, String piece) {
                SseEvent e = events.delta(index, block, piece);
                return e == null ? null : chunk(e.data());
            }

            @Override
            public List<SseEvent> blockEnd(int index, Reply.Block block) {
                return chunks(events.blockEnd(index, block));
            }

            @Override
            public List<SseEvent> end() {
                List<SseEvent> out = new ArrayList<>();
                for (SseEvent e : events.end()) {
                    if (!"message_stop".equals(e.type())) {
                        out.add(chunk(e.data()));
                        continue;
                    }
                    ObjectNode stop = Json.object();
                    stop.put("type", "message_stop");
                    ObjectNode metrics = stop.putObject("amazon-bedrock-invocationMetrics");
                    metrics.put("inputTokenCount", reply.inputTokens());
                    metrics.put("outputTokenCount", reply.outputTokens());
                    metrics.put("invocationLatency", millisSince(start));
                    metrics.put("firstByteLatency", Math.max(1, firstByte));
                    out.add(chunk(Json.write(stop)));
                }
                return out;
            }

            @Override
            public SseEvent midStreamError(@Nullable String type, @Nullable String message) {
                return modelStreamError(type, message);
            }
        };
    }

    private static List<SseEvent> chunks(List<SseEvent> anthropicEvents) {
        List<SseEvent> out = new ArrayList<>(anthropicEvents.size());
        for (SseEvent e : anthropicEvents) out.add(chunk(e.data()));
        return out;
    }

    private static SseEvent chunk(String anthropicEvent) {
        ObjectNode payload = Json.object();
        payload.put("bytes", Base64.getEncoder().encodeToString(anthropicEvent.getBytes(StandardCharsets.UTF_8)));
        return SseEvent.of("chunk", padded(payload));
    }
}
