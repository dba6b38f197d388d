package dev.sluice.openai;

import dev.sluice.SluiceException;
import dev.sluice.chat.PartialJson;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.sse.SseParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The captured Chat Completions streams under {@code openai/} and helpers to replay and compare them. */
final class OpenAiFixtures {
    static final List<String> NAMES = List.of(
            "text-basic",
            "tool-use-weather",
            "tool-calls-parallel",
            "error-mid-stream",
            "truncated-before-done",
            "deepseek-reasoning-content-tool",
            "vllm-reasoning",
            "ollama-reasoning",
            "openrouter-reasoning-details",
            "openrouter-reasoning-summary-encrypted");

    private OpenAiFixtures() {}

    static byte[] sse(String name) {
        return resource("openai/" + name + ".sse");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> expected(String name) {
        PartialJson.Result r =
                PartialJson.parse(new String(resource("openai/" + name + ".expected.json"), StandardCharsets.UTF_8));
        if (!r.isValid()) throw new IllegalStateException(name + ".expected.json: " + r.error());
        return (Map<String, Object>) r.value();
    }

    static byte[] resource(String path) {
        try (InputStream in = OpenAiFixtures.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing test resource " + path);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The events of a capture, decoded, up to and including [DONE] (an error object is kept as an ChatCompletionErrorEvent). */
    static List<ChatCompletionEvent> events(byte[] body, int readSize) {
        List<ChatCompletionEvent> events = new ArrayList<>();
        SseParser parser =
                new SseParser(SseLimits.defaults(), (SseEvent e) -> events.add(OpenAiStreamDecoding.decode(e)));
        for (int off = 0; off < body.length; off += readSize)
            parser.feed(body, off, Math.min(readSize, body.length - off));
        parser.finish();
        return events;
    }

    /** The outcome of replaying a capture as a live stream would: the completion, or the failure with its partial. */
    record Outcome(String kind, ChatCompletion completion, SluiceException failure) {}

    static Outcome replay(byte[] body, int readSize) {
        ChatCompletionAccumulator acc = new ChatCompletionAccumulator();
        for (ChatCompletionEvent e : events(body, readSize)) {
            switch (e) {
                case ChatCompletionErrorEvent err -> {
                    return new Outcome(
                            "error",
                            acc.snapshot(),
                            OpenAiStreamDecoding.inBandError(err).exception(200, java.util.Map.of()));
                }
                case DoneEvent d -> {
                    acc.accept(d);
                    return new Outcome("complete", acc.result(), null);
                }
                default -> acc.accept(e);
            }
        }
        return new Outcome("incomplete", acc.snapshot(), OpenAiStreamDecoding.incomplete());
    }

    /** {@return a completion in the fixtures' JSON shape (value model)} */
    static Map<String, Object> json(ChatCompletion c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("object", "chat.completion");
        m.put("created", c.created());
        m.put("model", c.model());
        m.put("system_fingerprint", c.systemFingerprint());
        m.put("service_tier", c.serviceTier());
        List<Object> choices = new ArrayList<>();
        for (ChatCompletion.Choice ch : c.choices()) {
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", (long) ch.index());
            Map<String, Object> msg = new LinkedHashMap<>();
            msg.put("role", ch.message().role());
            msg.put("content", ch.message().content());
            msg.put("refusal", ch.message().refusal());
            List<Object> calls = new ArrayList<>();
            for (ChatCompletion.FunctionToolCall t : ch.message().toolCalls()) {
                Map<String, Object> call = new LinkedHashMap<>();
                call.put("index", (long) t.index());
                call.put("id", t.id());
                call.put("type", t.type());
                call.put("name", t.name());
                call.put("arguments", t.arguments());
                call.put("parsed_arguments", t.parsedArguments());
                call.put("arguments_error", t.argumentsError());
                calls.add(call);
            }
            msg.put("tool_calls", calls);
            if (ch.message().reasoningContent() != null)
                msg.put("reasoning_content", ch.message().reasoningContent());
            if (ch.message().reasoning() != null)
                msg.put("reasoning", ch.message().reasoning());
            if (!ch.message()
                    .reasoningDetails()
                    .isEmpty()) { // through JSON text, so numbers compare as the expected file's
                msg.put(
                        "reasoning_details",
                        PartialJson.parse(dev.sluice.internal.low.json.JsonOut.write(
                                        ch.message().reasoningDetails()))
                                .value());
            }
            choice.put("message", msg);
            choice.put("finish_reason", ch.finishReason());
            choices.add(choice);
        }
        m.put("choices", choices);
        if (c.usage() == null) {
            m.put("usage", null);
        } else {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("prompt_tokens", c.usage().promptTokens());
            u.put("completion_tokens", c.usage().completionTokens());
            u.put("total_tokens", c.usage().totalTokens());
            u.put("cached_tokens", c.usage().cachedTokens());
            u.put("reasoning_tokens", c.usage().reasoningTokens());
            m.put("usage", u);
        }
        return m;
    }
}
