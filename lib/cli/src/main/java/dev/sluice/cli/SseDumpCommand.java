package dev.sluice.cli;

import dev.sluice.LimitExceededException;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.sse.SseListener;
import dev.sluice.sse.SseParser;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code sse-dump [--chunk-size N] [--max-line-bytes N] [--max-event-bytes N] [FILE]}: parses raw
 * SSE bytes and prints one JSON object per dispatched event, one a line, keys in this order:
 * {@code {"event":"message","data":"...","id":null,"retry":null}}. {@code id} is the last event ID
 * in effect at dispatch (null when none was ever set), {@code retry} the reconnection time from
 * the valid {@code retry} fields seen so far (null when none), a JSON number.
 *
 * <p>The input is fed to the parser in pieces of exactly N bytes (the last may be shorter), so a
 * run is reproducible whatever the pipe delivers. Output is UTF-8 and flushed after each piece.
 * Exit 0; 1 when a limit is exceeded or the input cannot be read (the events before the failure
 * are printed first, then one {@code error: } line on stderr); 2 for a usage error.
 */
final class SseDumpCommand implements Command {
    static final int DEFAULT_CHUNK_SIZE = 8192;
    /** The largest --chunk-size: a piece is one buffer, and 64 MiB is plenty for any experiment. */
    static final int MAX_CHUNK_SIZE = 64 * 1024 * 1024;

    @Override
    public String name() {
        return "sse-dump";
    }

    @Override
    public String summary() {
        return "parse raw Server-Sent Events and print each event as one JSON line";
    }

    @Override
    public String usage() {
        return """
                usage: sluice sse-dump [--chunk-size N] [--max-line-bytes N] [--max-event-bytes N] [FILE]

                Reads raw Server-Sent Events bytes from FILE (stdin when FILE is absent or '-'),
                feeds them to the parser N bytes at a time, and prints one JSON object per
                dispatched event, one a line:
                  {"event":"message","data":"...","id":null,"retry":null}
                id is the last event ID in effect (null if none was set), retry the reconnection
                time in milliseconds from valid retry fields so far (null if none).

                flags:
                  --chunk-size N       bytes per feed, 1 to %d (default %d)
                  --max-line-bytes N   the parser's line limit in bytes (default %d)
                  --max-event-bytes N  the parser's event limit in bytes (default %d)

                Exit 0; 1 when a limit is exceeded or the input cannot be read (events before
                that are printed, then one 'error: ' line on stderr); 2 for a usage error.
                A provider's stream is captured with curl -sN and its streaming request, as
                'sluice replay --help' shows (docs/cli.md, "Capturing a stream").
                """.formatted(
                        MAX_CHUNK_SIZE, DEFAULT_CHUNK_SIZE, SseLimits.DEFAULT_MAX_BYTES, SseLimits.DEFAULT_MAX_BYTES);
    }

    @Override
    public int run(List<String> argList, InputStream stdin, PrintStream out, PrintStream err) throws UsageException {
        Args args = Args.parse(argList, Set.of("--chunk-size", "--max-line-bytes", "--max-event-bytes"), Set.of());
        int chunkSize = (int) args.getLong("--chunk-size", DEFAULT_CHUNK_SIZE, 1, MAX_CHUNK_SIZE);
        int maxLine = (int) args.getLong("--max-line-bytes", SseLimits.DEFAULT_MAX_BYTES, 1, Integer.MAX_VALUE - 8);
        int maxEvent = (int) args.getLong("--max-event-bytes", SseLimits.DEFAULT_MAX_BYTES, 1, Integer.MAX_VALUE - 8);
        List<String> files = args.positional();
        if (files.size() > 1) throw new UsageException("at most one FILE, not " + files.size() + ": " + files);
        String file = files.isEmpty() ? "-" : files.get(0);

        JsonLines lines = new JsonLines();
        SseParser parser = new SseParser(new SseLimits(maxLine, maxEvent), lines);
        String source = file.equals("-") ? "stdin" : file;
        try (InputStream in = file.equals("-") ? nonClosing(stdin) : Files.newInputStream(Path.of(file))) {
            byte[] piece = new byte[chunkSize];
            boolean end = false;
            while (!end) {
                // fill a whole piece; bytes read before a failure are still parsed
                int n = 0;
                IOException failure = null;
                while (n < chunkSize) {
                    int r;
                    try {
                        r = in.read(piece, n, chunkSize - n);
                    } catch (IOException e) {
                        failure = e;
                        break;
                    }
                    if (r < 0) {
                        end = true;
                        break;
                    }
                    n += r;
                }
                try {
                    if (n > 0) parser.feed(piece, 0, n);
                } finally {
                    lines.drainTo(out);
                }
                if (failure != null) throw failure;
            }
            parser.finish();
            return 0;
        } catch (LimitExceededException e) {
            out.flush();
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException | InvalidPathException e) {
            lines.drainTo(out);
            out.flush();
            err.println("error: cannot read " + source + ": " + describe(e));
            return 1;
        }
    }

    private static String describe(Exception e) {
        if (e instanceof NoSuchFileException) return "no such file";
        if (e instanceof AccessDeniedException) return "permission denied";
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static InputStream nonClosing(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {}
        };
    }

    /** Collects the JSON line of each event as UTF-8 bytes; written out after each piece. */
    private static final class JsonLines implements SseListener {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final StringBuilder line = new StringBuilder();
        private @Nullable Long retry;

        @Override
        public void onEvent(SseEvent event) {
            line.setLength(0);
            line.append("{\"event\":");
            Json.appendString(line, event.type());
            line.append(",\"data\":");
            Json.appendString(line, event.data());
            line.append(",\"id\":");
            if (event.lastEventId() == null) line.append("null");
            else Json.appendString(line, event.lastEventId());
            line.append(",\"retry\":")
                    .append(retry == null ? "null" : retry.toString())
                    .append("}\n");
            buffer.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void onRetry(long millis) {
            retry = millis;
        }

        void drainTo(PrintStream out) {
            if (buffer.size() == 0) return;
            out.write(buffer.toByteArray(), 0, buffer.size());
            out.flush();
            buffer.reset();
        }
    }
}
