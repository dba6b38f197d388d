package dev.sluice.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.ProtocolException;
import dev.sluice.aws.AwsAccess;
import dev.sluice.internal.call.stream.BodyFraming;
import dev.sluice.internal.call.stream.EventStreamFraming;
import dev.sluice.internal.low.aws.AwsRegions;
import dev.sluice.internal.low.eventstream.EventStreamMessage;
import dev.sluice.internal.low.http.RequestAuth;
import dev.sluice.internal.low.json.Json;
import dev.sluice.sse.SseEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Claude's Messages API on Amazon Bedrock: {@code POST {endpoint}/model/{modelId}/invoke-with-response-stream}
 * (and {@code /invoke} for {@code messages.create}), the model id percent-encoded into the path as
 * {@code BedrockClient} encodes it; the body without {@code model} and {@code stream}, with
 * {@code "anthropic_version":"bedrock-2023-05-31"} first; each attempt authorized by the
 * {@link AwsAccess} (SigV4, or a Bedrock API key). The response is an AWS event stream whose
 * {@code chunk} events carry one Anthropic event each, base64 in {@code {"bytes":...}}, decoded by
 * the Anthropic decoder unchanged; an {@code exception} frame is the event stream's in-band error of
 * its type, read by the call ({@code throttlingException}, {@code serviceUnavailableException} and
 * {@code internalServerException} retried before content as a 429 or 5xx is). HTTP errors read as AWS's JSON protocol writes them
 * ({@code x-amzn-ErrorType}). {@code count_tokens} is not offered.
 *
 * @param base the endpoint without a trailing slash
 * @param access the region and the authorization
 */
record BedrockRoute(String base, AwsAccess access) implements BedrockHosted {
    /** The {@code anthropic_version} the body carries. */
    static final String VERSION = "bedrock-2023-05-31";

    /** The body's framing: an AWS event stream of chunks, each an Anthropic event. */
    static final EventStreamFraming<StreamEvent> FRAMING = new Chunks();

    private static final AnthropicEventDecoder DECODER = new AnthropicEventDecoder();

    @Override
    public URI uri(String model, boolean stream) {
        if (model.isBlank()) throw new IllegalArgumentException("model must not be blank");
        String path = URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create(base + "/model/" + path + (stream ? "/invoke-with-response-stream" : "/invoke"));
    }

    @Override
    public URI countTokensUri(String model) {
        throw new UnsupportedOperationException("count_tokens is not available for Claude through Amazon Bedrock's"
                + " InvokeModel API; count with AnthropicClient on Anthropic's API, or read the usage of a response");
    }

    /** {@inheritDoc} Every member but {@code model} and {@code stream}, in order, after {@code anthropic_version}. */
    @Override
    public String body(String messagesJson, boolean stream) {
        return body(messagesJson, stream, List.of());
    }

    /**
     * {@inheritDoc} InvokeModel reads the betas from the body: they go as {@code anthropic_beta}
     * after {@code anthropic_version}, as Anthropic's SDKs send them to Bedrock.
     */
    @Override
    public String body(String messagesJson, boolean stream, List<String> betas) {
        StringWriter out = new StringWriter(messagesJson.length() + 40);
        try (JsonParser p = Json.parser(messagesJson);
                JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            if (p.nextToken() != JsonToken.START_OBJECT)
                throw new IllegalStateException("a Messages body is a JSON object");
            g.writeStartObject();
            g.writeStringField("anthropic_version", VERSION);
            if (!betas.isEmpty()) {
                g.writeArrayFieldStart("anthropic_beta");
                for (String beta : betas) g.writeString(beta);
                g.writeEndArray();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("model")
                        || name.equals("stream")
                        || name.equals("anthropic_version")
                        || (name.equals("anthropic_beta") && !betas.isEmpty())) {
                    p.skipChildren();
                    continue;
                }
                g.writeFieldName(name);
                copy(p, g);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "rewriting the Messages body for Bedrock failed", e); // Sluice wrote it: never
        }
        return out.toString();
    }

    /** Copies the value at the parser's token, numbers as their text (no conversion through double). */
    private static void copy(JsonParser p, JsonGenerator g) throws IOException {
        int depth = 0;
        do {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) g.writeNumber(p.getText());
            else g.copyCurrentEvent(p);
            if (t.isStructStart()) depth++;
            else if (t.isStructEnd()) depth--;
        } while (depth > 0 && p.nextToken() != null);
    }

    /** {@inheritDoc} None: the version is in the body, the authorization per attempt. */
    @Override
    public Map<String, String> headers(@Nullable String apiKey, String anthropicVersion) {
        return Map.of();
    }

    /** {@inheritDoc} A {@code chunk}'s bytes, base64-decoded: the event's JSON, its type its {@code type}. */
    @Override
    public @Nullable SseEvent verbatim(EventStreamMessage message) {
        if (!message.messageType().orElse("event").equals("event")
                || !message.eventType().orElse("").equals("chunk")) return null;
        String event = Chunks.chunkJson(message.payloadText());
        Object type;
        try {
            type = Json.readValue(event) instanceof Map<?, ?> m ? m.get("type") : null;
        } catch (IOException e) {
            return null; // the framing reports it, decoding the same chunk
        }
        return type instanceof String t ? SseEvent.of(t, event) : null;
    }

    @Override
    public RequestAuth auth() {
        return RequestAuth.signing(
                access::authorization, access, AwsRegions.refusalNote(access.region(), access.regionSource()));
    }

    @Override
    public BodyFraming<StreamEvent> framing() {
        return FRAMING;
    }

    @Override
    public String provider() {
        return "bedrock-anthropic";
    }

    @Override
    public String describe() {
        return "endpoint=" + base + "/model/{model}/invoke-with-response-stream, bedrock=" + access;
    }

    /**
     * An invoke-with-response-stream body: AWS event stream frames, each {@code chunk} an Anthropic
     * event, whose meaning is the Anthropic stream's ({@link AnthropicStreamDecoding#RULES}).
     * Stateless.
     */
    private static final class Chunks extends EventStreamFraming<StreamEvent> {
        @Override
        public void decode(EventStreamMessage message, Consumer<? super StreamEvent> out) {
            if (message.eventType().orElse("").equals("chunk")) out.accept(chunk(message.payloadText()));
            // another event type (none is sent today) carries no Anthropic event
        }

        /** {@return the Anthropic event a {@code chunk}'s {@code {"bytes":"<base64>"}} carries} */
        private static StreamEvent chunk(String payload) {
            return DECODER.decode(SseEvent.of(chunkJson(payload)));
        }

        /** {@return the Anthropic event's JSON a chunk's payload carries} @throws ProtocolException when malformed */
        static String chunkJson(String payload) {
            Object bytes;
            try {
                bytes = Json.readValue(payload) instanceof Map<?, ?> m ? m.get("bytes") : null;
            } catch (IOException e) {
                throw new ProtocolException(
                        "malformed JSON in a Bedrock chunk: " + e.getMessage() + "; data: "
                                + Json.truncate(payload, AnthropicEventDecoder.SHOWN_DATA_CHARS),
                        e);
            }
            if (!(bytes instanceof String b64)) {
                throw new ProtocolException(
                        "a Bedrock chunk without its bytes; data: "
                                + Json.truncate(payload, AnthropicEventDecoder.SHOWN_DATA_CHARS),
                        null);
            }
            String event;
            try {
                event = new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ProtocolException(
                        "a Bedrock chunk's bytes are not base64; data: "
                                + Json.truncate(payload, AnthropicEventDecoder.SHOWN_DATA_CHARS),
                        e);
            }
            return event;
        }
    }
}
