package dev.sluice.relay.http;

import dev.sluice.chat.WireApi;
import dev.sluice.relay.protocol.GatewayAnswerWriter;
import dev.sluice.relay.protocol.GatewayRequest;
import dev.sluice.relay.protocol.PassthroughWriter;
import dev.sluice.relay.protocol.ResponsesWriter;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI Responses, {@code POST /v1/responses}: {@link GatewayRequest#parseResponses},
 * {@link ResponsesWriter} (with the request's custom and namespace tools), a bare OpenAI model id to
 * OpenAI's Responses API, a route passed through when it carries encrypted reasoning
 * ({@link RouteState}), and its WebSocket mode ({@link ResponsesSocket}).
 */
final class ResponsesDoor implements Door {
    @Override
    public String path() {
        return "/v1/responses";
    }

    @Override
    public WireApi api() {
        return WireApi.RESPONSES;
    }

    @Override
    public String idPrefix() {
        return "resp_";
    }

    @Override
    public List<String> maxTokensMembers() {
        return List.of("max_output_tokens");
    }

    @Override
    public GatewayRequest parse(String json) {
        return GatewayRequest.parseResponses(json);
    }

    @Override
    public GatewayAnswerWriter writer(Completion.Translated c, OutputStream out) {
        return c.stream()
                ? ResponsesWriter.streaming(out, c.id(), c.model(), c.created(), c.maxAnswerBytes(), c.answerTool())
                        .customTools(c.request().customTools())
                        .namespaces(c.request().namespaces())
                : ResponsesWriter.collecting(c.id(), c.model(), c.created(), c.maxAnswerBytes(), c.answerTool())
                        .customTools(c.request().customTools())
                        .namespaces(c.request().namespaces());
    }

    @Override
    public GatewayAnswerWriter writer(Completion.PassedThrough c, OutputStream out) {
        return c.stream()
                ? PassthroughWriter.responses(out, c.maxAnswerBytes())
                : PassthroughWriter.responsesCollecting(c.maxAnswerBytes());
    }

    @Override
    public WireApi ownOpenAiApi() {
        return WireApi.RESPONSES;
    }

    @Override
    public boolean routePassesThrough(Map<?, ?> body) {
        return RouteState.encryptedReasoning(body);
    }

    @Override
    public Optional<SocketMode> socket() {
        return Optional.of(ResponsesSocket::new);
    }
}
