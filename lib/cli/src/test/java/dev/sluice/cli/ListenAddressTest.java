package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ListenAddressTest {
    /** A server that lost the port after the check (Jetty wraps the bind failure twice) says the same line. */
    @Test
    void throwIfBindFailure_bindFailureAmongTheCauses_throwsThePortInUseLine() {
        UncheckedIOException serverStart = new UncheckedIOException(new IOException("cannot serve on 0.0.0.0:8080",
                new IOException("Failed to bind to /0.0.0.0:8080", new BindException("Address already in use"))));
        UsageException e = assertThrows(UsageException.class, () -> new ListenAddress("0.0.0.0", 8080).throwIfBindFailure(serverStart));
        assertEquals("port 8080 on 0.0.0.0 is in use; choose another with --port N", e.getMessage());
        assertFalse(e.pointsToHelp());
    }

    @Test
    void throwIfBindFailure_otherBindFailure_namesItsCause() {
        UsageException e = assertThrows(UsageException.class,
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
        try (ServerSocket s = CliAssertions.holdAPort()) {
            port = s.getLocalPort();
        }
        new ListenAddress("127.0.0.1", port).checkFree();
        new ListenAddress("127.0.0.1", port).checkFree(); // the probe let go of it
    }
}
