package dev.sluice.testkit;

import java.io.IOException;

/**
 * The connection must be cut (or has been) without ending the response properly. An
 * {@code IOException}, so that a response body's stream can throw it where a fault strikes.
 */
final class DropConnection extends IOException {
    private static final long serialVersionUID = 1L;

    DropConnection() {
        this("connection dropped on purpose (fake-drop or fake-stall)");
    }

    DropConnection(String message) {
        super(message);
    }
}
