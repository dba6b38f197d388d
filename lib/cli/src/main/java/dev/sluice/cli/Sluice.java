package dev.sluice.cli;

import dev.sluice.providers.ProviderCatalog;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code sluice} command-line tool: {@code java -jar sluice.jar <command>} ({@code ./sluice <command>} in a clone).
 * Its output is a contract (DESIGN.md): stdout carries only the command's result, always UTF-8;
 * everything else goes to stderr. Exit codes: 0 success, 1 failure, 2 usage error.
 */
public final class Sluice {
    private Sluice() {}

    static Map<String, Command> commands() {
        Map<String, Command> m = new LinkedHashMap<>();
        for (Command c : List.<Command>of(
                // commands register here, in the order the help lists them
                new StreamCommand(),
                new ObjectCommand(),
                new AgentCommand(),
                new ServeFakeCommand(),
                new ServeCommand(),
                new SseDumpCommand(),
                new ReplayCommand(),
                new SseContractServiceCommand())) {
            m.put(c.name(), c);
        }
        return m;
    }

    /** {@return the tool's version and the Java it runs on, where it is installed} */
    static String version() {
        String v = Sluice.class.getPackage().getImplementationVersion();
        return "sluice " + (v == null ? "(development build)" : v) + "\n"
                + "java " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor")
                + ") at "
                + System.getProperty("java.home");
    }

    /** Runs the tool and exits with its code. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = run(Arrays.asList(args), System.in, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** {@return the exit code of the tool run with these arguments and streams} */
    public static int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        return run(commands(), args, in, out, err);
    }

    /** Runs one of the given commands; for tests that build commands with their own environment. */
    static int run(Map<String, Command> commands, List<String> args, InputStream in, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.print(help(commands));
            return 2;
        }
        String name = args.get(0);
        if (name.equals("--version") || name.equals("-V")) {
            out.println(version());
            out.flush();
            return 0;
        }
        if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
            out.print(help(commands));
            out.flush();
            return 0;
        }
        Command command = commands.get(name);
        if (command == null) {
            err.println("error: unknown command '" + name + "'"
                    + closest(name, commands.keySet())
                            .map(c -> " (did you mean '" + c + "'?)")
                            .orElse(""));
            err.println(
                    "commands: " + String.join(", ", commands.keySet()) + "; run 'sluice --help' for what each does");
            return 2;
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(command.usage());
            out.flush();
            return 0;
        }
        try {
            return command.run(rest, in, out, err);
        } catch (UsageException e) {
            out.flush();
            err.println("error: " + e.getMessage());
            if (e.pointsToHelp()) err.println("run 'sluice " + name + " --help' for its flags and arguments");
            return 2;
        } catch (Exception e) {
            out.flush();
            err.println("error: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
        }
    }

    /** {@return the command one or two typing slips away from {@code typed}, if there is one} */
    static Optional<String> closest(String typed, Collection<String> names) {
        String best = null;
        int bestDistance = 3;
        for (String n : names) {
            int d = distance(typed, n);
            if (d < bestDistance) {
                best = n;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    static String help(Map<String, Command> commands) {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: sluice <command> [flags] [args]\n\n");
        sb.append("Streams LLM responses over Server-Sent Events.\n\ncommands:\n");
        commands.values().forEach(c -> sb.append(String.format("  %-22s %s%n", c.name(), c.summary())));
        sb.append("\nproviders (--provider, --fallback P:M): ")
                .append(ProviderCatalog.names())
                .append(
                        "\n  each from its key and base URL, a cloud's from its cloud's variables ('sluice stream --help');"
                                + " with none set, the embedded fake server answers\n");
        sb.append(
                "\n'sluice <command> --help' shows a command's flags; 'sluice --version' the version and the Java it runs on.\n");
        return sb.toString();
    }
}
