package dev.sluice.cli;

import dev.sluice.ObjectException;
import dev.sluice.SluiceException;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.Usage;
import dev.sluice.client.RetryPolicy;
import dev.sluice.client.StreamObserver;
import dev.sluice.objects.ObjectSchema;
import dev.sluice.objects.ObjectStream;
import dev.sluice.objects.Partial;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.StreamController;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code sluice object --schema FILE.json [--partials] [flags] PROMPT}: streams a structured answer
 * through an {@link ObjectStream} and prints the validated JSON on stdout (indented, as {@code jq}
 * prints it), or with {@code --partials} one compact JSON line per partial as it grows, the last
 * being the final object. stderr gets what {@code stream}'s does: notices, the status line
 * (terminals only), the figures or the {@code error:} line. Exit 0 a valid object, 1 failed
 * (truncated, refused, not JSON, not matching, or the stream failed), 2 usage error (the schema
 * file included), before anything is sent.
 *
 * <p>Threading: as {@link StreamCommand}'s.
 */
final class ObjectCommand implements Command {
    /** The largest schema file read. */
    static final int MAX_SCHEMA_BYTES = 1 << 20;

    private static final Set<String> VALUED = valued();

    private final Map<String, String> env;
    private final Supplier<Terminal> terminal;
    private final boolean shutdownHook;

    ObjectCommand() {
        this(System.getenv(), Terminal::detect, true);
    }

    /** For tests: the environment, the terminal, and whether to install the Ctrl-C hook. */
    ObjectCommand(Map<String, String> env, Supplier<Terminal> terminal, boolean shutdownHook) {
        this.env = Map.copyOf(env);
        this.terminal = terminal;
        this.shutdownHook = shutdownHook;
    }

    private static Set<String> valued() {
        Set<String> s = new HashSet<>(StreamCommand.VALUED);
        s.add("--schema");
        return Set.copyOf(s);
    }

    @Override
    public String name() {
        return "object";
    }

    @Override
    public String summary() {
        return "stream a JSON object matching --schema FILE.json in answer to PROMPT";
    }

    @Override
    public String usage() {
        return """
                usage: sluice object --schema FILE.json [--partials] [flags] PROMPT...

                Asks for an answer to PROMPT as JSON matching the schema in FILE.json (an object schema;
                its name for the provider is the file's name without .schema.json or .json), streams it,
                validates it and prints it.
                  --schema FILE.json         the JSON Schema of the answer (required)
                  --partials                 print the object as it grows: one compact JSON line per
                                             partial, each extending the one before, the last one the
                                             validated object
                  --provider, --model, --max-tokens, --system, --first-event-timeout, --idle-timeout,
                  --total-timeout, --max-retries, --max-chunks, --fallback, --effort, --thinking,
                  --cache, --file
                                             as for 'sluice stream' (see 'sluice stream --help')

                Environment: as for 'sluice stream'; with no key or base URL the embedded fake server
                answers with JSON valid against the schema, filled from the prompt.

                stdout: the validated object, indented by two spaces, then a newline; with --partials,
                        JSON lines (no final indented copy). Nothing when the object fails without
                        --partials: stdout holds only a valid object.
                stderr: notices; on a terminal a live status line; then, on success, the figures of
                        'sluice stream' (time to first token, tokens/s, usage, stop reason, request id);
                        on failure one line 'error: <cause>' (the path and the rule for a mismatch),
                        then 'request id: ...' when known.
                exit:   0 a valid object; 1 it failed: cut off by --max-tokens, refused, not JSON, not
                        matching the schema, or the stream failed (with --partials, the lines printed
                        stay, the last one is not the final object); 2 usage error (a schema file that
                        is missing, not JSON or not an object schema too), nothing sent.
                """;
    }

    /** The parsed command line. */
    private record Options(StreamCommand.Options stream, ObjectSchema<Map<String, Object>> schema, boolean partials) {}

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) throws UsageException {
        Options o = parse(args);
        Double fakeRate = Endpoint.fakeRate(env);
        Endpoint.checkBaseUrls(
                env, StreamCommand.providers(o.stream().provider(), o.stream().fallbacks()));
        Efforts.noticeRetirements(
                err, Efforts.models(o.stream().request().model(), o.stream().fallbacks()));
        Terminal term = terminal.get();
        StatusLine status = new StatusLine(err, term, System::nanoTime);
        try (Endpoint endpoint = Endpoint.open(env, o.stream().provider(), fakeRate, err)) {
            ChatBackend backend;
            try {
                StreamObserver notices = StreamCommand.notices(o.stream(), status::println, () -> "");
                backend = StreamCommand.chat(
                        o.stream(),
                        endpoint,
                        env,
                        fakeRate,
                        RetryPolicy.defaults().withMaxRetries(o.stream().maxRetries()),
                        notices,
                        err);
            } catch (IllegalArgumentException | IllegalStateException e) {
                err.println("error: " + e.getMessage());
                return 1;
            }
            try (backend) {
                return stream(backend, o, status, out, err);
            }
        }
    }

    private int stream(ChatBackend backend, Options o, StatusLine status, PrintStream out, PrintStream err) {
        StreamController controller = o.stream().controller();
        Thread hook = shutdownHook
                ? new Thread(() -> controller.cancel("interrupted by Ctrl-C or SIGTERM"), "sluice-object-shutdown")
                : null;
        if (hook != null) Runtime.getRuntime().addShutdownHook(hook);
        Figures figures = new Figures(status);
        ChatProvider provider = ChatProvider.peeking(backend.provider(), figures);
        long start = System.nanoTime();
        status.start();
        try (ObjectStream<Map<String, Object>> objects =
                ObjectStream.of(provider, ChatBackend.request(o.stream().request()), o.schema(), controller)) {
            String last = null;
            for (Partial<Map<String, Object>> p : objects) {
                if (!o.partials() || p.value() == null) continue;
                String line = Json.write(p.value(), false);
                if (line.equals(last)) continue;
                if (print(out, status, controller, line + "\n")) last = line;
            }
            figures.thinking.flush();
            if (out.checkError()) { // stdout closed (`| head`): a Unix tool's normal end, said by nothing
                status.stop();
                return 0;
            }
            if (objects.endReason().orElse(EndReason.COMPLETED) == EndReason.CANCELLED) {
                status.stop();
                err.println("error: cancelled (" + controller.cancelReason().orElse("cancelled") + ")");
                objects.requestId().ifPresent(id -> err.println("request id: " + id));
                return 1;
            }
            Map<String, Object> result = objects.result();
            if (o.partials()) {
                String line = Json.write(result, false);
                if (!line.equals(last)) print(out, status, controller, line + "\n");
            } else {
                print(out, status, controller, Json.write(result, true) + "\n");
            }
            status.stop();
            if (out.checkError()) return 0; // as above
            StreamCommand.summary(
                    err,
                    figures.outcome(objects),
                    figures.deltas,
                    figures.firstDeltaNanos,
                    start,
                    System.nanoTime(),
                    controller);
            if (figures.answeredBy != null) err.println("answered by: " + figures.answeredBy);
            return 0;
        } catch (SluiceException e) {
            status.stop();
            if (out.checkError()) return 0; // stdout closed, so we cancelled: a failure after that is its echo
            err.println("error: " + describe(e, figures.refusal));
            e.requestId().ifPresent(id -> err.println("request id: " + id));
            return 1;
        } finally {
            status.stop();
            out.flush();
            err.flush();
            if (hook != null) Endpoint.removeShutdownHook(hook);
        }
    }

    /** Prints to stdout and flushes; {@return false, having cancelled the stream, when nobody reads stdout any more} */
    private static boolean print(PrintStream out, StatusLine status, StreamController controller, String text) {
        status.beforeText();
        out.print(text);
        out.flush();
        if (!out.checkError()) return true;
        controller.cancel("stdout was closed");
        return false;
    }

    /**
     * {@return the cause of a failure, worded for the command line: an object's failure names its
     * kind, path and rule}
     *
     * @param refusal the model's words refusing, from its finish reason, or null
     */
    static String describe(SluiceException e, @Nullable String refusal) {
        if (!(e instanceof ObjectException o)) return StreamCommand.describe(e);
        return switch (o.kind()) {
            case TRUNCATED ->
                "the answer was cut off before the object was complete (raise --max-tokens): " + o.getMessage();
            case REFUSED ->
                "the model refused: "
                        + (refusal == null ? o.getMessage() : oneLine(refusal) + " (" + o.getMessage() + ")");
            case INVALID_JSON -> "the answer is not valid JSON: " + o.getMessage();
            case SCHEMA_MISMATCH ->
                "the answer does not match the schema at "
                        + o.path().map(p -> p.isEmpty() ? "/" : p).orElse("/")
                        + o.rule().map(r -> " (rule " + r + ")").orElse("") + ": " + o.getMessage();
        };
    }

    /** {@return the text on one line, cut to 300 characters} */
    private static String oneLine(String text) {
        String s = text.strip().replaceAll("\\s+", " ");
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    /** Counts what the chunks carry for the figures, on the consuming thread; tells of a failover on stderr. */
    private static final class Figures implements Consumer<MessageChunk> {
        private final StatusLine status;
        long deltas;
        long firstDeltaNanos;

        @Nullable
        String stopReason;

        @Nullable
        String refusal;

        @Nullable
        Usage usage;

        @Nullable
        String answeredBy;

        /** {@code --thinking}: the thinking's lines on stderr (never asked for without the flag). */
        final ThinkingLines thinking;

        Figures(StatusLine status) {
            this.status = status;
            this.thinking = new ThinkingLines(status::println);
        }

        @Override
        public void accept(MessageChunk chunk) {
            if (chunk.failover() != null) {
                status.println("sluice: " + Fallbacks.describe(chunk.failover()));
                answeredBy = chunk.failover().to();
            }
            if (!chunk.thinking().isEmpty()) thinking.add(chunk.thinking());
            if (!chunk.text().isEmpty() || !chunk.toolCalls().isEmpty()) thinking.flush();
            int n = (chunk.text().isEmpty() ? 0 : 1)
                    + (chunk.thinking().isEmpty() ? 0 : 1)
                    + chunk.toolCalls().size();
            for (int i = 0; i < n; i++) {
                if (deltas++ == 0) firstDeltaNanos = System.nanoTime();
                status.delta();
            }
            if (chunk.finishReason() != null) {
                stopReason = chunk.finishReason().raw();
                String words = chunk.finishReason().message();
                if (words != null && !words.isBlank()) refusal = words;
            }
            if (chunk.usage() != null) usage = chunk.usage();
        }

        StreamBackend.Outcome outcome(ObjectStream<?> objects) {
            return new StreamBackend.Outcome(
                            EndReason.COMPLETED,
                            Optional.ofNullable(stopReason),
                            usage == null ? OptionalLong.empty() : OptionalLong.of(usage.inputTokens()),
                            usage == null ? OptionalLong.empty() : OptionalLong.of(usage.outputTokens()),
                            objects.requestId())
                    .withCache(usage);
        }
    }

    private Options parse(List<String> args) throws UsageException {
        Args parsed = Args.parse(args, VALUED, Set.of("--partials", "--thinking", "--cache"));
        String file = parsed.get("--schema");
        if (file == null)
            throw new UsageException("--schema FILE.json is required: the JSON Schema of the object to ask for");
        StreamCommand.Options stream = StreamCommand.parse(parsed);
        return new Options(stream, schema(file), parsed.has("--partials"));
    }

    /**
     * {@return the schema in the file, named after it}
     *
     * @throws UsageException (one line, no pointer to help) when the file is missing, unreadable,
     *     too large, not UTF-8, not JSON or not an object schema
     */
    static ObjectSchema<Map<String, Object>> schema(String file) throws UsageException {
        Path path;
        try {
            path = Path.of(file);
        } catch (InvalidPathException e) {
            throw new UsageException("--schema: '" + file + "' is not a file name", false);
        }
        String text;
        try {
            if (Files.isDirectory(path))
                throw new UsageException("--schema: " + file + " is a directory, not a schema file", false);
            if (Files.size(path) > MAX_SCHEMA_BYTES) {
                throw new UsageException("--schema: " + file + " is larger than " + MAX_SCHEMA_BYTES + " bytes", false);
            }
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(Files.readAllBytes(path)))
                    .toString();
        } catch (NoSuchFileException e) {
            throw new UsageException("--schema: no such file: " + file, false);
        } catch (CharacterCodingException e) {
            throw new UsageException("--schema: " + file + " is not UTF-8 text", false);
        } catch (IOException e) {
            throw new UsageException("--schema: cannot read " + file + ": " + e.getMessage(), false);
        }
        try {
            return ObjectSchema.parse(schemaName(path), text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(
                    "--schema " + file + ": " + String.valueOf(e.getMessage()).replace('\n', ' '), false);
        }
    }

    /** {@return the schema's name: the file's name without {@code .schema.json} or {@code .json}, only {@code A-Z a-z 0-9 _ -}, at most 64} */
    static String schemaName(Path file) {
        Path last = file.getFileName();
        String n = last == null ? "" : last.toString();
        for (String suffix : new String[] {".schema.json", ".json"}) {
            if (n.endsWith(suffix)) {
                n = n.substring(0, n.length() - suffix.length());
                break;
            }
        }
        n = n.replaceAll("[^A-Za-z0-9_-]", "_");
        if (n.isEmpty()) n = "object";
        return n.length() > 64 ? n.substring(0, 64) : n;
    }
}
