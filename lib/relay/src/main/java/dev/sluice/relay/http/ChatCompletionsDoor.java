package dev.sluice.relay.http;

import dev.sluice.chat.WireApi;
import dev.sluice.relay.protocol.GatewayAnswerWriter;
import dev.sluice.relay.protocol.GatewayRequest;
import dev.sluice.relay.protocol.GatewayWriter;
import dev.sluice.relay.protocol.PassthroughWriter;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/** OpenAI Chat Completions, {@code POST /v1/chat/completions}: {@link GatewayRequest#parse}, {@link GatewayWriter}. */
final class ChatCompletionsDoor implements Door {
    @Override
    public String path() {
        return "/v1/chat/completions";
    }

    @Override
    public WireApi api() {
        return WireApi.CHAT_COMPLETIONS;
    }

    @Override
    public String idPrefix() {
        return "chatcmpl-";
    }

    @Override
    public List<String> maxTokensMembers() {
        return List.of("max_completion_tokens", "max_tokens");
    }

    @Override
    public GatewayRequest parse(String json) {
        return GatewayRequest.parse(json);
    }

    @Override
    public GatewayAnswerWriter writer(Completion.Translated c, OutputStream out) {
        return c.stream()
                ? GatewayWriter.streaming(out, c.id(), c.model(), c.created(), c.includeUsage(), c.answerTool())
                : GatewayWriter.collecting(c.id(), c.model(), c.created(), c.maxAnswerBytes(), c.answerTool());
    }

    @Override
    public GatewayAnswerWriter writer(Completion.PassedThrough c, OutputStream out) {
        return c.stream()
                ? PassthroughWriter.chatCompletions(out, !c.includeUsage())
                : PassthroughWriter.chatCompletionsCollecting(c.maxAnswerBytes());
    }

    /** Refuses an {@code n} other than 1, as the translation does: the gateway streams one choice. */
    @Override
    public void checkPassthrough(Map<?, ?> body) {
        Object n = body.get("n");
        if (n != null && !(n instanceof Long one && one == 1))
            throw DoorLimits.invalid("'n' must be 1: this gateway streams one choice", "n");
    }
}
