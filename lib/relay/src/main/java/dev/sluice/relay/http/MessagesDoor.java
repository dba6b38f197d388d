package dev.sluice.relay.http;

import dev.sluice.chat.WireApi;
import dev.sluice.relay.protocol.GatewayAnswerWriter;
import dev.sluice.relay.protocol.GatewayRequest;
import dev.sluice.relay.protocol.MessagesWriter;
import dev.sluice.relay.protocol.PassthroughWriter;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Anthropic Messages, {@code POST /v1/messages}: {@link GatewayRequest#parseMessages},
 * {@link MessagesWriter}, Anthropic's error body, the caller's {@code anthropic-beta} sent on, and a
 * route passed through when it carries thinking ({@link RouteState}).
 */
final class MessagesDoor implements Door {
    @Override
    public String path() {
        return "/v1/messages";
    }

    @Override
    public WireApi api() {
        return WireApi.MESSAGES;
    }

    @Override
    public String idPrefix() {
        return "msg_";
    }

    @Override
    public List<String> maxTokensMembers() {
        return List.of("max_tokens");
    }

    @Override
    public GatewayRequest parse(String json) {
        return GatewayRequest.parseMessages(json);
    }

    @Override
    public GatewayAnswerWriter writer(Completion.Translated c, OutputStream out) {
        return c.stream()
                ? MessagesWriter.streaming(out, c.id(), c.model(), c.answerTool())
                : MessagesWriter.collecting(c.id(), c.model(), c.maxAnswerBytes(), c.answerTool());
    }

    @Override
    public GatewayAnswerWriter writer(Completion.PassedThrough c, OutputStream out) {
        return c.stream() ? PassthroughWriter.messages(out) : PassthroughWriter.messagesCollecting(c.maxAnswerBytes());
    }

    /**
     * {@return the body in Anthropic's shape: {@code {"type":"error","error":{"type","message"}}},
     * Anthropic's kind of the refusal ({@link MessagesWriter#anthropicType}) as the {@code type}; the
     * member at fault, when it names one, is in the message}
     */
    @Override
    public String errorJson(HttpRefusal refusal) {
        return MessagesWriter.errorJson(MessagesWriter.anthropicType(refusal.type()), refusal.message());
    }

    @Override
    public boolean routePassesThrough(Map<?, ?> body) {
        return RouteState.thinking(body);
    }

    @Override
    public List<String> betas(Function<String, @Nullable String> headers) {
        List<String> betas = new ArrayList<>();
        String beta = headers.apply("anthropic-beta");
        if (beta != null) {
            for (String b : beta.split(",")) if (!b.isBlank()) betas.add(b.strip());
        }
        return betas;
    }
}
