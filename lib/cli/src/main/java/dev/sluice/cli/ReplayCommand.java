package dev.sluice.cli;

import dev.sluice.ApiException;
import dev.sluice.SluiceException;
import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.chat.WireApi;
import dev.sluice.gemini.GenerateContentResponse;
import dev.sluice.gemini.GenerateContentStream;
import dev.sluice.openai.ChatCompletion;
import dev.sluice.openai.ChatCompletionStream;
import dev.sluice.openai.Response;
import dev.sluice.openai.ResponseStream;
import dev.sluice.providers.ProviderCatalog;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code sluice replay [--provider anthropic|openai|openai-responses|gemini] [--chunk-size N] [FILE]}: reads a
 * captured streaming response body (stdin without FILE), decodes it exactly as a live stream of
 * that provider is decoded (the SSE parser, the provider's event decoder and accumulator:
 * {@link AnthropicEvents#replay}, {@link OpenAiEvents#replay}, {@link ResponseStream#replay},
 * {@link GeminiEvents#replay}), and prints the accumulated result as one JSON object in the
 * provider's own shape: an Anthropic {@code Message}, a Chat Completions {@code chat.completion},
 * a Responses API {@code response} (its output items in their own shapes, opaque strings such as
 * {@code encrypted_content} exactly as received), a Gemini
 * {@code GenerateContentResponse} with each candidate's parts merged. Exit 0 when the stream
 * reached its normal end (Anthropic {@code message_stop}, OpenAI {@code data: [DONE]}, the
 * Responses API {@code response.completed}, {@code .incomplete} or {@code .failed}, Gemini a
 * {@code finishReason}); otherwise the partial result is still printed (when there is one), one
 * line naming the cause goes to stderr, and the exit code is 1. A body that is empty, not
 * Server-Sent Events, or plainly another API's events ({@link CaptureFormat}) is not decoded: one
 * line says so and what to run instead, exit 1. An unknown provider is a usage error (exit 2).
 */
final class ReplayCommand implements Command {
    static final int DEFAULT_CHUNK_SIZE = 8192;
    /** The providers whose streams it decodes: each provider's own API (a cloud's carries one of theirs). */
    static final List<ProviderCatalog> PROVIDERS = ProviderCatalog.all().stream()
            .filter(p -> p.cloud() == ProviderCatalog.Cloud.NONE)
            .toList();

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public String summary() {
        return "decode a captured stream and print the accumulated result as JSON";
    }

    @Override
    public String usage() {
        return """
                usage: sluice replay [--provider %s] [--chunk-size N] [FILE]

                Reads a captured streaming response body (stdin when FILE is absent or '-'), runs
                it through the same SSE parsing, event decoding and accumulation as a live stream
                of that provider, and prints the accumulated result as one JSON object in the
                provider's own shape:
                  anthropic  the Message (id, type, role, model, content in index order,
                             stop_reason, stop_sequence, usage)
                  openai     the chat.completion object (id, object, created, model,
                             system_fingerprint, choices with message, logprobs and
                             finish_reason, usage); a custom tool's call in its own shape
                  openai-responses
                             the response object (id, object, created_at, status, model,
                             output items in their own shapes: messages, function and custom
                             tool calls, reasoning with its encrypted_content, shell and
                             apply_patch calls, MCP calls, approval requests, compaction;
                             usage, incomplete_details, error)
                  gemini     the GenerateContentResponse, each candidate's parts merged
                             (consecutive text joined, thoughts apart, function calls as they
                             came), with usageMetadata, modelVersion and responseId
                A tool input that is not valid JSON keeps its text and says why, beside it
                (anthropic: input_error and input_json; openai: function.arguments_error).

                  --provider P     anthropic (default), openai, openai-responses or gemini
                  --chunk-size N   feed the parser N bytes at a time (default 8192)

                Opaque strings (signatures, encrypted_content) are printed exactly as received,
                at any --chunk-size.

                Exit 0 when the stream reached its normal end (anthropic: message_stop; openai:
                data: [DONE]; openai-responses: response.completed, .incomplete or .failed;
                gemini: a finishReason); otherwise the partial result is printed
                anyway, one line starting with 'error: ' goes to stderr, and the exit code is 1.
                A FILE that is empty, not Server-Sent Events, or plainly another API's stream is
                not decoded: one 'error: ' line says so and which command reads it, exit 1.

                Capture a stream with curl -N and the provider's streaming request, for example
                  curl -sN https://api.anthropic.com/v1/messages -H "x-api-key: $ANTHROPIC_API_KEY" \\
                    -H "anthropic-version: 2023-06-01" -H "content-type: application/json" \\
                    -d '{"model": "claude-sonnet-5-5", "max_tokens": 256, "stream": true,
                         "messages": [{"role": "user", "content": "Hi"}]}' > stream.sse
                (docs/cli.md, "Capturing a stream", shows each provider's).
                """.formatted(String.join("|", ids()));
    }

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) throws UsageException {
        Args parsed = Args.parse(args, Set.of("--chunk-size", "--provider"), Set.of());
        int chunkSize = (int) parsed.getLong("--chunk-size", DEFAULT_CHUNK_SIZE, 1, 64L * 1024 * 1024);
        String id = parsed.get("--provider", Providers.DEFAULT.id());
        ProviderCatalog provider = ProviderCatalog.named(id)
                .filter(PROVIDERS::contains)
                .orElseThrow(() -> new UsageException("--provider must be "
                        + String.join(", ", ids().subList(0, PROVIDERS.size() - 1)) + " or " + ids().getLast()
                        + ", not '" + id + "'"));
        if (parsed.positional().size() > 1) {
            throw new UsageException(
                    "replay takes at most one FILE, not " + parsed.positional().size() + " arguments");
        }
        String file = parsed.positional().isEmpty() ? "-" : parsed.positional().get(0);
        try (InputStream raw = file.equals("-") ? nonClosing(in) : Files.newInputStream(Path.of(file))) {
            BufferedInputStream body = new BufferedInputStream(raw, CaptureFormat.HEAD_BYTES + 1);
            body.mark(CaptureFormat.HEAD_BYTES + 1);
            byte[] head = body.readNBytes(CaptureFormat.HEAD_BYTES);
            body.reset();
            String mismatch = mismatch(CaptureFormat.of(head, head.length), head.length, provider, file);
            if (mismatch != null) {
                err.println("error: " + mismatch);
                return 1;
            }
            out.println(replay(provider, body, chunkSize));
            return 0;
        } catch (SluiceException e) {
            Optional<String> partial = partialJson(provider, e);
            partial.ifPresent(out::println);
            out.flush();
            err.println("error: " + describe(e)
                    + (partial.isPresent()
                            ? ""
                            : provider.api() == WireApi.MESSAGES
                                    ? " (no message_start: nothing to print)"
                                    : " (nothing to print)"));
            return 1;
        } catch (NoSuchFileException e) {
            err.println("error: no such file: " + file);
            return 1;
        } catch (IOException e) {
            err.println("error: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * {@return why the body cannot be what {@code provider}'s decoder reads, with what to run
     * instead, or null when it may be} An empty body, one that is not Server-Sent Events at all,
     * or one that plainly carries another API's events.
     */
    static @Nullable String mismatch(CaptureFormat format, int length, ProviderCatalog provider, String file) {
        String what = file.equals("-") ? "the input" : file;
        if (length == 0) return what + " is empty: there is no stream to replay";
        if (!format.sse()) {
            String start = format.start().startsWith("{") || format.start().startsWith("[")
                    ? "; JSON: the response to a request made without streaming?"
                    : "";
            return what + " is not a stream of Server-Sent Events (it starts with '" + format.startShown() + "'" + start
                    + "); replay reads the body of a streaming response, lines of 'event:' and 'data:'";
        }
        return format.plainlyOtherThan(provider)
                .map(other -> {
                    String instead = "sluice replay --provider " + other + (file.equals("-") ? "" : " " + file);
                    return PROVIDERS.contains(other)
                            ? what + " looks like " + CaptureFormat.title(other) + ", not "
                                    + CaptureFormat.title(provider).replaceFirst(" stream$", " one") + ": run '"
                                    + instead + "'"
                            : what + " looks like " + CaptureFormat.title(other)
                                    + ", which replay does not decode (it reads "
                                    + String.join(", ", ids()) + "); 'sluice sse-dump"
                                    + (file.equals("-") ? "" : " " + file)
                                    + "' prints its events";
                })
                .orElse(null);
    }

    /** {@return the complete result's JSON} @throws SluiceException when the stream did not end normally */
    private static String replay(ProviderCatalog provider, InputStream body, int chunkSize) {
        return switch (provider.api()) {
            case CHAT_COMPLETIONS ->
                ChatCompletionStream.replay(body, chunkSize).toJson();
            case RESPONSES -> ResponseStream.replay(body, chunkSize).toJson();
            case GENERATE_CONTENT ->
                GenerateContentStream.replay(body, chunkSize).toJson();
            case MESSAGES -> MessageStream.replay(body, chunkSize).toJson();
            case CONVERSE -> throw new IllegalArgumentException("replay decodes no Converse stream: " + provider);
        };
    }

    /** {@return the ids of {@link #PROVIDERS}} */
    private static List<String> ids() {
        return PROVIDERS.stream().map(ProviderCatalog::id).toList();
    }

    /** {@return the JSON of the partial result a failure carries, if it carries one} */
    private static Optional<String> partialJson(ProviderCatalog provider, SluiceException e) {
        return switch (provider.api()) {
            case CHAT_COMPLETIONS -> e.partial(ChatCompletion.class).map(ChatCompletion::toJson);
            case RESPONSES -> e.partial(Response.class).map(Response::toJson);
            case GENERATE_CONTENT -> e.partial(GenerateContentResponse.class).map(GenerateContentResponse::toJson);
            case MESSAGES, CONVERSE -> e.partial(Message.class).map(Message::toJson);
        };
    }

    private static @Nullable String describe(SluiceException e) {
        if (e instanceof ApiException api) {
            return "the stream carried an API error event: " + api.errorType()
                    + (api.errorMessage().isEmpty() ? "" : ": " + api.errorMessage());
        }
        return e.getMessage();
    }

    private static InputStream nonClosing(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {
                // stdin belongs to the caller
            }
        };
    }
}
