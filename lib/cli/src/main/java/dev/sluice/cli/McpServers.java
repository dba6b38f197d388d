package dev.sluice.cli;

import dev.sluice.agent.AgentTool;
import dev.sluice.agent.McpTools;
import dev.sluice.mcp.McpClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The MCP servers named by {@code --mcp URL|COMMAND} (repeatable) on {@code agent} and {@code serve}.
 * A value starting with {@code http://} or {@code https://} is a server reached over Streamable
 * HTTP; anything else is a command line, split into words as a POSIX shell splits a simple command
 * ({@link #split}), whose program is started and spoken to over stdio, in a clean environment
 * ({@code PATH}, {@code HOME}, the locale: {@link McpClient.Builder#environment}) plus the variables
 * {@code --mcp-env NAME} passes on by name. Each tool's result is bounded by {@code --max-tool-result}.
 *
 * <p>Threading: {@link #start} on the command's thread; {@link #close} from any thread (a
 * shutdown hook's too), once or many times.
 */
final class McpServers implements AutoCloseable {
    private final List<McpClient> clients;
    private final List<AgentTool> tools;

    private McpServers(List<McpClient> clients, List<AgentTool> tools) {
        this.clients = List.copyOf(clients);
        this.tools = List.copyOf(tools);
    }

    /** No server: no tools, nothing to close. */
    static final McpServers NONE = new McpServers(List.of(), List.of());

    /**
     * Starts each server in order (a command's program, or the first request to a URL) and lists its
     * tools.
     *
     * @throws IllegalStateException naming the server that could not start or be listed, or the two
     *     servers offering one tool name; the servers started before it are closed
     */
    static McpServers start(List<Spec> specs, Map<String, String> variables, int maxResultChars) {
        if (specs.isEmpty()) return NONE;
        List<McpClient> clients = new ArrayList<>();
        try {
            for (Spec spec : specs) {
                try {
                    McpClient.Builder b = McpClient.builder().maxResultChars(maxResultChars);
                    McpClient client = (spec.url() != null
                                    ? b.http(spec.url())
                                    : b.stdio(spec.command()).environment(variables))
                            .build();
                    clients.add(client);
                    client.tools(); // the server answers now, or the command fails before anything is sent to a model
                } catch (RuntimeException e) {
                    throw new IllegalStateException(
                            spec.describe() + " could not start: "
                                    + AgentCommand.printable(String.valueOf(e.getMessage())),
                            e);
                }
            }
            List<AgentTool> tools;
            try {
                tools = McpTools.of(clients.toArray(McpClient[]::new));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            return new McpServers(clients, tools);
        } catch (RuntimeException e) {
            clients.forEach(McpServers::closeQuietly);
            throw e;
        }
    }

    /** {@return every server's tools, in the order of the --mcp flags} */
    List<AgentTool> tools() {
        return tools;
    }

    /** {@return one line per server for stderr: its name and its tools} */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (McpClient c : clients) {
            List<String> names = tools.stream()
                    .filter(t -> t.source().equals(c.name()))
                    .map(AgentTool::name)
                    .toList();
            lines.add("sluice: MCP server " + AgentCommand.printable(c.name()) + ": " + names.size() + " tools ("
                    + AgentCommand.printable(String.join(", ", names)) + ")");
        }
        return lines;
    }

    /**
     * Closes every server: a command's process is killed, an HTTP session ended. Each call returns
     * once they are: a second one, from a shutdown hook while the command's thread is closing them,
     * waits for that close ({@code McpClient.close}) rather than letting the JVM halt first.
     */
    @Override
    public void close() {
        clients.forEach(McpServers::closeQuietly);
    }

    private static void closeQuietly(McpClient c) {
        try {
            c.close();
        } catch (RuntimeException e) {
            // closing on the way out: nothing left to report to
        }
    }

    /**
     * One {@code --mcp} value, checked.
     *
     * @param given the value as typed, to name the server in messages
     * @param url the server's URL, or null for a command
     * @param command the command's words, empty for a URL
     */
    record Spec(String given, @Nullable URI url, List<String> command) {
        Spec {
            command = List.copyOf(command);
        }

        /** {@return how a message names this server: {@code --mcp 'VALUE'}, a URL without its user information, query or fragment} */
        String describe() {
            return "--mcp '" + AgentCommand.printable(url != null ? shown(given) : given) + "'";
        }
    }

    /**
     * {@return a URL as typed, as messages show it: without its user information, and its query or
     * fragment as {@code ?…}} (The library cleans what servers send; this is the operator's own value.)
     */
    static String shown(String url) {
        String s = url.replaceFirst("[?#].*", "?…");
        int scheme = s.indexOf("://");
        int slash = s.indexOf('/', scheme + 3);
        int at = s.lastIndexOf('@', slash < 0 ? s.length() - 1 : slash);
        return scheme >= 0 && at > scheme ? s.substring(0, scheme + 3) + s.substring(at + 1) : s;
    }

    /**
     * {@return the variables {@code --mcp-env NAME} (repeatable, or NAME,NAME) passes to stdio servers, from this environment}
     *
     * @throws UsageException for a name that is not set here
     */
    static Map<String, String> variables(List<String> values, Map<String, String> env) throws UsageException {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String value : values) {
            for (String name : value.split(",")) {
                String n = name.strip();
                if (n.isEmpty() || n.contains("=")) {
                    throw new UsageException("--mcp-env takes the name of a variable of this environment, not '"
                            + AgentCommand.printable(n)
                            + "' (its value is passed on, never written on the command line)");
                }
                String v = env.get(n);
                if (v == null)
                    throw new UsageException(
                            "--mcp-env " + AgentCommand.printable(n) + ": no such variable in this environment");
                variables.put(n, v);
            }
        }
        return variables;
    }

    /** @throws UsageException for a blank value, a malformed URL or a command line with an open quote */
    static List<Spec> parse(List<String> values) throws UsageException {
        List<Spec> specs = new ArrayList<>();
        for (String v : values) specs.add(parse(v));
        return specs;
    }

    static Spec parse(String value) throws UsageException {
        String v = value.strip();
        if (v.isEmpty())
            throw new UsageException("--mcp needs a URL (http:// or https://) or a command line, not a blank value");
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            URI uri;
            try {
                uri = new URI(v);
            } catch (URISyntaxException e) {
                throw new UsageException(
                        "--mcp '" + AgentCommand.printable(shown(v)) + "' is not a valid URL: " + e.getReason());
            }
            if (uri.getHost() == null)
                throw new UsageException("--mcp '" + AgentCommand.printable(shown(v)) + "' names no host");
            return new Spec(v, uri, List.of());
        }
        List<String> words;
        try {
            words = split(v);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--mcp '" + AgentCommand.printable(v) + "': " + e.getMessage());
        }
        return new Spec(v, null, words);
    }

    /**
     * Splits a command line into words as a POSIX shell splits a simple command, without expanding
     * anything: blanks separate words; {@code '...'} keeps everything in it as is; {@code "..."} keeps
     * everything but {@code \"}, {@code \\}, {@code \$} and {@code \`}, which lose their backslash; a
     * backslash outside quotes keeps the character after it. Variables, {@code ~}, globs, pipes and
     * redirections are not interpreted: {@code $HOME} or {@code |} reach the program as written (run
     * {@code sh -c '...'} for those).
     *
     * @throws IllegalArgumentException for an unclosed quote, a trailing backslash or no word at all
     */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            switch (c) {
                case ' ', '\t', '\n', '\r' -> {
                    if (inWord) words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                case '\'' -> {
                    int end = line.indexOf('\'', i + 1);
                    if (end < 0)
                        throw new IllegalArgumentException(
                                "the single quote at character " + (i + 1) + " is not closed");
                    word.append(line, i + 1, end);
                    inWord = true;
                    i = end;
                }
                case '"' -> {
                    int j = i + 1;
                    for (; j < line.length() && line.charAt(j) != '"'; j++) {
                        char d = line.charAt(j);
                        if (d == '\\' && j + 1 < line.length() && "\"\\$`".indexOf(line.charAt(j + 1)) >= 0)
                            d = line.charAt(++j);
                        word.append(d);
                    }
                    if (j >= line.length())
                        throw new IllegalArgumentException(
                                "the double quote at character " + (i + 1) + " is not closed");
                    inWord = true;
                    i = j;
                }
                case '\\' -> {
                    if (i + 1 >= line.length())
                        throw new IllegalArgumentException("the command line ends with a backslash");
                    word.append(line.charAt(++i));
                    inWord = true;
                }
                default -> {
                    word.append(c);
                    inWord = true;
                }
            }
        }
        if (inWord) words.add(word.toString());
        if (words.isEmpty()) throw new IllegalArgumentException("the command line names no program");
        return words;
    }
}
