package dev.sluice.examples.cli;

import dev.sluice.ApiException;
import dev.sluice.SluiceException;
import dev.sluice.anthropic.AnthropicEvents;
import dev.sluice.anthropic.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code sluice replay [--chunk-size N] [FILE]}: reads a captured Anthropic streaming response body
 * (stdin without FILE), decodes it exactly as a live stream is decoded
 * ({@link AnthropicEvents#replay}: the SSE parser, the event decoder and the
 * {@code MessageAccumulator}), and prints the accumulated message as one JSON object in the API's
 * shape. Exit 0 when {@code message_stop} arrived; otherwise the partial message is still printed,
 * one line naming the cause goes to stderr, and the exit code is 1.
 */
final class ReplayCommand implements Command {
    static final int DEFAULT_CHUNK_SIZE = 8192;

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public String summary() {
        return "decode a captured Anthropic stream and print the accumulated message as JSON";
    }

    @Override
    public String usage() {
        return """
                usage: sluice replay [--chunk-size N] [FILE]

                Reads a captured Anthropic Messages streaming response body (stdin when FILE is
                absent or '-'), runs it through the same SSE parsing, event decoding and message
                accumulation as a live stream, and prints the accumulated message as one JSON
                object in the API's own shape.

                  --chunk-size N   feed the parser N bytes at a time (default 8192)

                Exit 0 when the stream completed (message_stop); otherwise the partial message is
                printed anyway, one line starting with 'error: ' goes to stderr, and the exit code is 1.
                """;
    }

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) throws UsageException {
        Args parsed = Args.parse(args, Set.of("--chunk-size"), Set.of());
        int chunkSize = (int) parsed.getLong("--chunk-size", DEFAULT_CHUNK_SIZE, 1, 64L * 1024 * 1024);
        if (parsed.positional().size() > 1) {
            throw new UsageException("replay takes at most one FILE, not " + parsed.positional().size() + " arguments");
        }
        String file = parsed.positional().isEmpty() ? "-" : parsed.positional().get(0);
        try (InputStream body = file.equals("-") ? nonClosing(in) : Files.newInputStream(Path.of(file))) {
            Message message = AnthropicEvents.replay(body, chunkSize);
            out.println(message.toJson());
            return 0;
        } catch (SluiceException e) {
            Optional<Message> partial = e.partial(Message.class);
            partial.ifPresent(m -> out.println(m.toJson()));
            out.flush();
            err.println("error: " + describe(e) + (partial.isPresent() ? "" : " (no message_start: nothing to print)"));
            return 1;
        } catch (NoSuchFileException e) {
            err.println("error: no such file: " + file);
            return 1;
        } catch (IOException e) {
            err.println("error: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
    }

    private static String describe(SluiceException e) {
        if (e instanceof ApiException api) {
            return "the stream carried an API error event: " + api.errorType()
                    + (api.errorMessage().isEmpty() ? "" : ": " + api.errorMessage());
        }
        return e.getMessage();
    }

    private static InputStream nonClosing(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
                // stdin belongs to the caller
            }
        };
    }
}
