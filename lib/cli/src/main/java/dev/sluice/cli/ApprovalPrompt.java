package dev.sluice.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code sluice agent --approve}'s question on the terminal: {@code approve TOOL(ARGS)? [y/N] },
 * answered {@code y} or {@code yes} (any case) to approve; anything else, an empty line or the end
 * of input denies. Also a tool's own questions (an MCP server's elicitation, an MCP task's
 * {@code input_required}): {@link #answer}. It asks on the process's controlling terminal ({@code /dev/tty}), so that it
 * works with stdout or stdin redirected, else on {@link System#console()} when that is a terminal.
 *
 * <p>Threading: one question at a time; {@link #ask} is called from the thread reading the run's
 * events, {@link #endWaitingQuestion} and {@link #close} from any thread.
 */
final class ApprovalPrompt implements AutoCloseable {
    private final BufferedReader in;
    private final PrintWriter out;
    private final AutoCloseable closer;
    private volatile boolean asking;

    ApprovalPrompt(Reader in, Writer out) {
        this(in, out, () -> {});
    }

    private ApprovalPrompt(Reader in, Writer out, AutoCloseable closer) {
        this.in = in instanceof BufferedReader b ? b : new BufferedReader(in);
        this.out = out instanceof PrintWriter p ? p : new PrintWriter(out, true);
        this.closer = closer;
    }

    /** {@return the terminal to ask on; empty when the process has none} */
    @SuppressWarnings("SystemConsoleNull") // on JDK 21, which Sluice supports, it is null without a terminal
    static Optional<ApprovalPrompt> open() {
        try {
            FileInputStream ttyIn = new FileInputStream("/dev/tty");
            try {
                FileOutputStream ttyOut = new FileOutputStream("/dev/tty");
                Charset cs = Optional.ofNullable(System.console())
                        .map(Console::charset)
                        .orElse(Charset.defaultCharset());
                return Optional.of(
                        new ApprovalPrompt(new InputStreamReader(ttyIn, cs), new OutputStreamWriter(ttyOut, cs), () -> {
                            ttyIn.close();
                            ttyOut.close();
                        }));
            } catch (IOException e) {
                ttyIn.close();
                throw e;
            }
        } catch (IOException | SecurityException e) {
            // no controlling terminal (ENXIO), or not Unix: the console, when it is a terminal
        }
        Console console = System.console();
        if (console == null || !Terminal.consoleIsTerminal()) return Optional.empty();
        return Optional.of(new ApprovalPrompt(console.reader(), console.writer()));
    }

    /**
     * Asks whether a tool call may run, and waits for the answer.
     *
     * @param lineBreak written first, so that the question starts on a line of its own
     * @param tool the tool's name
     * @param arguments the call's arguments, shown whole on one line
     * @return whether the person approved
     */
    boolean ask(String lineBreak, String tool, String arguments) {
        out.print(lineBreak + question(tool, arguments));
        out.flush();
        asking = true;
        try {
            String answer = in.readLine();
            if (answer == null) out.println(); // end of input: deny, and end the question's line
            return approves(answer);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the answer from the terminal", e);
        } finally {
            asking = false;
        }
    }

    /**
     * Asks a tool's question (an MCP server's elicitation) and waits for the answers: the tool and
     * the server's message on a line, then a prompt per field ({@link Questions}); an answer that
     * does not fit a field (a value not among an enum's, a number that is none) asks the field
     * again, up to three times; an empty answer leaves an optional field out and asks a required
     * one again.
     *
     * @param lineBreak written first, so that the question starts on a line of its own
     * @return the answer; empty when the person declined (the end of input, or no fitting answer
     *     after three tries)
     */
    Optional<Map<String, Object>> answer(String lineBreak, String tool, String message, Map<String, Object> schema) {
        out.println(lineBreak + "tool " + AgentCommand.printable(tool) + " asks: "
                + AgentCommand.printable(message).strip());
        Map<String, Object> content = Questions.content();
        asking = true;
        try {
            for (Questions.Field field : Questions.fields(schema)) {
                field.choiceLines().forEach(out::println);
                Object value = null;
                for (int tries = 0; value == null && tries < 3; tries++) {
                    out.print(field.prompt());
                    out.flush();
                    String typed = in.readLine();
                    if (typed == null) {
                        out.println(); // end of input: decline, and end the prompt's line
                        return Optional.empty();
                    }
                    if (typed.isBlank() && !field.required()) break;
                    value = typed.isBlank() ? null : field.parse(typed);
                }
                if (value == null && field.required()) return Optional.empty();
                if (value != null) content.put(field.name(), value);
            }
            return Optional.of(content);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the answer from the terminal", e);
        } finally {
            asking = false;
        }
    }

    /**
     * Ends the line of a question still waiting for its answer, so that what is printed next (the
     * Ctrl-C hook's message: the process ends without the answer) starts on a line of its own.
     *
     * @return whether a question was waiting
     */
    boolean endWaitingQuestion() {
        if (!asking) return false;
        out.println();
        out.flush();
        return true;
    }

    /** {@return the question for one call: {@code approve TOOL(ARGS)? [y/N] }, control characters made visible} */
    static String question(String tool, String arguments) {
        return "approve " + AgentCommand.printable(tool) + "(" + AgentCommand.printable(arguments.strip())
                + ")? [y/N] ";
    }

    /** {@return whether an answer approves: {@code y} or {@code yes}, any case, blanks around ignored} */
    static boolean approves(String answer) {
        if (answer == null) return false;
        String a = answer.strip().toLowerCase(Locale.ROOT);
        return a.equals("y") || a.equals("yes");
    }

    @Override
    public void close() {
        try {
            closer.close();
        } catch (Exception e) {
            // the terminal is gone already
        }
    }
}
