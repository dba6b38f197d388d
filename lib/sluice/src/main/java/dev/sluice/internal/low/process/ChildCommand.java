package dev.sluice.internal.low.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A child process whose command line stays out of what the JVM records: JDK Flight Recorder's
 * {@code jdk.ProcessStart} event, on in the JDK's own {@code default} and {@code profile} settings,
 * holds the whole command line of every process the JVM starts, so a secret among a command's
 * arguments (a {@code credential_process} that takes a password, an MCP server started with a token)
 * would be in every recording. On POSIX systems the command travels to the child in its environment,
 * which that event does not record, and a fixed {@code sh} line that names only variables starts it
 * (and takes the variables out of the environment it hands on). On Windows, whose {@code cmd.exe}
 * has no such quoting, a shell command line travels the same way ({@code %VAR%}), and a program's
 * arguments stay on its command line: turn {@code jdk.ProcessStart} off there (docs/integrations.md).
 * Stateless.
 */
public final class ChildCommand {
    /** The variable a shell command line travels in. */
    static final String LINE = "SLUICE_CHILD_COMMAND";
    /** The prefix of the variables a program and its arguments travel in, numbered from 0. */
    static final String ARGUMENT = "SLUICE_CHILD_ARG_";
    /** What a POSIX shell exports of its own (dash {@code PWD}; bash {@code SHLVL} and {@code _} too). */
    private static final List<String> SHELL_VARIABLES = List.of("PWD", "OLDPWD", "SHLVL", "_");

    private ChildCommand() {}

    /**
     * {@return a process builder running a shell command line as {@code sh -c LINE} would ({@code cmd.exe /C}
     * on Windows), with exactly this environment besides the variable the line travels in}
     *
     * @param line the command line, as a user wrote it (an AWS profile's {@code credential_process})
     * @param environment the child's environment
     */
    public static ProcessBuilder shell(String line, Map<String, String> environment) {
        Objects.requireNonNull(line, "line");
        ProcessBuilder b = windows()
                ? new ProcessBuilder("cmd.exe", "/C", "%" + LINE + "%")
                : new ProcessBuilder("sh", "-c", "c=\"$" + LINE + "\"; unset " + LINE + "; eval \"$c\"");
        environment(b, environment).put(LINE, line);
        return b;
    }

    /**
     * {@return a process builder running a program with its arguments, as {@code new ProcessBuilder(command)}
     * would, with exactly this environment besides the variables they travel in}
     *
     * @param command the program (a path, or a name looked for on the {@code PATH} of {@code environment})
     *     and its arguments
     * @param environment the child's environment
     * @throws IOException if the program is not there to run (as {@link ProcessBuilder#start()} would throw
     *     for it: the {@code sh} that starts it would only fail later, with status 127)
     * @throws IllegalArgumentException if the command is empty
     */
    public static ProcessBuilder program(List<String> command, Map<String, String> environment) throws IOException {
        if (command.isEmpty()) throw new IllegalArgumentException("the command is empty");
        if (windows()) {
            ProcessBuilder b = new ProcessBuilder(command);
            environment(b, environment);
            return b;
        }
        String program = command.get(0);
        if (!runnable(program, environment.get("PATH")))
            throw new IOException("Cannot run program \"" + program + "\": no such executable file");
        StringBuilder script = new StringBuilder("set --");
        StringBuilder unset = new StringBuilder("unset");
        for (int i = 0; i < command.size(); i++) {
            script.append(" \"$").append(ARGUMENT).append(i).append('"');
            unset.append(' ').append(ARGUMENT).append(i);
        }
        for (String added : SHELL_VARIABLES) {
            if (!environment.containsKey(added)) unset.append(' ').append(added); // the program's environment as given
        }
        script.append("; ").append(unset).append("; exec \"$@\"");
        ProcessBuilder b = new ProcessBuilder("sh", "-c", script.toString());
        Map<String, String> env = environment(b, environment);
        for (int i = 0; i < command.size(); i++) env.put(ARGUMENT + i, Objects.requireNonNull(command.get(i)));
        return b;
    }

    private static Map<String, String> environment(ProcessBuilder b, Map<String, String> environment) {
        Map<String, String> env = b.environment();
        env.clear();
        env.putAll(environment);
        return env;
    }

    /** {@return whether {@code program} names an executable file: a path, or a name on {@code path}} */
    static boolean runnable(String program, @Nullable String path) {
        if (program.indexOf('/') >= 0) return Files.isExecutable(Path.of(program));
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator, -1)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir).resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return true;
        }
        return false;
    }

    private static boolean windows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
