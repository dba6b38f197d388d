package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class McpServersTest {

    @Test
    void split_blanksQuotesAndBackslashes_wordsAsAShellSplitsThem() {
        assertEquals(List.of("node", "server.js", "stdio"), McpServers.split("  node\tserver.js   stdio "));
        assertEquals(
                List.of("uvx", "mcp-server-fetch", "--user-agent", "a b"),
                McpServers.split("uvx mcp-server-fetch --user-agent 'a b'"));
        assertEquals(
                List.of("run", "say \"hi\" \\ $x", "it's"),
                McpServers.split("run \"say \\\"hi\\\" \\\\ \\$x\" it\\'s"));
        assertEquals(
                List.of("a\\nb"),
                McpServers.split("\"a\\nb\""),
                "a backslash before another character stays in double quotes");
        assertEquals(List.of("x", "", "ab"), McpServers.split("x '' a'b'"));
        assertEquals(
                List.of("$HOME", "|", "~/x"), McpServers.split("$HOME | ~/x"), "nothing is expanded or interpreted");
    }

    @Test
    void split_openQuoteTrailingBackslashOrNothing_refusedWithWhere() {
        assertEquals(
                "the single quote at character 6 is not closed",
                assertThrows(IllegalArgumentException.class, () -> McpServers.split("node 'x"))
                        .getMessage());
        assertEquals(
                "the double quote at character 3 is not closed",
                assertThrows(IllegalArgumentException.class, () -> McpServers.split("a \"b"))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> McpServers.split("node \\"));
        assertThrows(IllegalArgumentException.class, () -> McpServers.split("   "));
    }

    @Test
    void parse_urlOrCommand_httpSchemesAreUrlsAnythingElseACommand() throws UsageException {
        McpServers.Spec http = McpServers.parse("https://mcp.example.com/mcp");
        assertEquals(URI.create("https://mcp.example.com/mcp"), http.url());
        assertEquals(List.of(), http.command());
        McpServers.Spec local = McpServers.parse("HTTP://127.0.0.1:3001/mcp");
        assertEquals(URI.create("HTTP://127.0.0.1:3001/mcp"), local.url());
        McpServers.Spec command = McpServers.parse("npx -y @modelcontextprotocol/server-everything stdio");
        assertNull(command.url());
        assertEquals(List.of("npx", "-y", "@modelcontextprotocol/server-everything", "stdio"), command.command());
        assertEquals("--mcp 'npx -y @modelcontextprotocol/server-everything stdio'", command.describe());
    }

    @Test
    void describe_urlWithCredentials_namedWithoutThem() throws UsageException {
        assertEquals(
                "--mcp 'https://mcp.example.com:8443/mcp?…'",
                McpServers.parse("https://admin:hunter22@mcp.example.com:8443/mcp?access_token=tok-0123456789")
                        .describe());
        assertEquals(
                "--mcp 'http://h.example/a@b'",
                McpServers.parse("http://h.example/a@b").describe());
        assertEquals(
                "--mcp 'http://exa mple.com/?…' is not a valid URL: Illegal character in authority",
                assertThrows(UsageException.class, () -> McpServers.parse("http://exa mple.com/?token=x"))
                        .getMessage());
    }

    @Test
    void variables_namesOfThisEnvironment_passedOnByNameAndUnsetOnesRefused() throws UsageException {
        Map<String, String> env =
                Map.of("GITHUB_TOKEN", "ghp_0123456789", "REGION", "eu", "ANTHROPIC_API_KEY", "sk-ant-x");
        assertEquals(
                Map.of("GITHUB_TOKEN", "ghp_0123456789", "REGION", "eu"),
                McpServers.variables(List.of("GITHUB_TOKEN", "REGION"), env));
        assertEquals(
                Map.of("GITHUB_TOKEN", "ghp_0123456789", "REGION", "eu"),
                McpServers.variables(List.of("GITHUB_TOKEN,REGION"), env));
        assertEquals(Map.of(), McpServers.variables(List.of(), env));
        assertEquals(
                "--mcp-env NOPE: no such variable in this environment",
                assertThrows(UsageException.class, () -> McpServers.variables(List.of("NOPE"), env))
                        .getMessage());
        assertTrue(assertThrows(UsageException.class, () -> McpServers.variables(List.of("REGION=us"), env))
                .getMessage()
                .startsWith("--mcp-env takes the name of a variable of this environment"));
    }

    @Test
    void parse_blankBadUrlOrOpenQuote_usageError() {
        assertTrue(assertThrows(UsageException.class, () -> McpServers.parse(" "))
                .getMessage()
                .startsWith("--mcp needs a URL"));
        assertEquals(
                "--mcp 'http://exa mple.com/' is not a valid URL: Illegal character in authority",
                assertThrows(UsageException.class, () -> McpServers.parse("http://exa mple.com/"))
                        .getMessage());
        assertEquals(
                "--mcp 'https:///mcp' names no host",
                assertThrows(UsageException.class, () -> McpServers.parse("https:///mcp"))
                        .getMessage());
        assertEquals(
                "--mcp 'node \"x': the double quote at character 6 is not closed",
                assertThrows(UsageException.class, () -> McpServers.parse("node \"x"))
                        .getMessage());
    }
}
