package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListenAddressTest {
    /**
     * A port another socket holds: one line naming it and the flag that changes it, exit 2, and
     * nothing else on stderr ({@code serve} checks before it starts the fake server, whose line
     * would come first).
     */
    @ParameterizedTest
    @ValueSource(strings = {"serve", "serve-fake", "sse-contract-service"})
    void serverCommand_portInUse_exits2InOneLineBeforeStartingAnything(String command) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, Command> commands = new java.util.HashMap<>(Sluice.commands());
        commands.put("serve", new ServeCommand(Map.of())); // no keys: it would start the fake server
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            int code = CliAssertions.exitCodeWithin10s(() -> Sluice.run(
                    commands,
                    List.of(command, "--port", String.valueOf(port)),
                    new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)));
            assertEquals(
                    "error: port " + port + " on 127.0.0.1 is in use; choose another with --port N\n",
                    err.toString(StandardCharsets.UTF_8));
            assertEquals(2, code);
            assertEquals("", out.toString(StandardCharsets.UTF_8));
        }
    }

    /** A server that lost the port after the check (Jetty wraps the bind failure twice) says the same line. */
    @Test
    void throwIfBindFailure_bindFailureAmongTheCauses_throwsThePortInUseLine() {
        UncheckedIOException serverStart = new UncheckedIOException(new IOException(
                "cannot serve on 0.0.0.0:8080",
                new IOException("Failed to bind to /0.0.0.0:8080", new BindException("Address already in use"))));
        UsageException e = assertThrows(
                UsageException.class, () -> new ListenAddress("0.0.0.0", 8080).throwIfBindFailure(serverStart));
        assertEquals("port 8080 on 0.0.0.0 is in use; choose another with --port N", e.getMessage());
        assertFalse(e.pointsToHelp());
    }

    @Test
    void throwIfBindFailure_otherBindFailure_namesItsCause() {
        UsageException e = assertThrows(
                UsageException.class,
                () -> new ListenAddress("127.0.0.1", 80).throwIfBindFailure(new BindException("Permission denied")));
        assertEquals("cannot listen on 127.0.0.1:80 (Permission denied); choose another with --port N", e.getMessage());
    }

    @Test
    void throwIfBindFailure_noBindFailure_returns() throws UsageException {
        new ListenAddress("127.0.0.1", 8080).throwIfBindFailure(new IOException("connection reset"));
    }

    @Test
    void checkFree_portFreeAgain_passes() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        new ListenAddress("127.0.0.1", port).checkFree();
        new ListenAddress("127.0.0.1", port).checkFree(); // the probe let go of it
    }
}
