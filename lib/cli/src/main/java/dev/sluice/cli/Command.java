package dev.sluice.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/** One subcommand of the {@code sluice} tool. */
interface Command {
    /** {@return the name typed on the command line} */
    String name();

    /** {@return one line for the tool's help} */
    String summary();

    /** {@return the command's own usage text, several lines} */
    String usage();

    /**
     * Runs the command.
     *
     * @return the exit code: 0 success, 1 failure, 2 usage error
     * @throws UsageException for a bad flag or argument (exit 2: one line, then where to get help)
     */
    int run(List<String> args, InputStream in, PrintStream out, PrintStream err) throws Exception;
}
