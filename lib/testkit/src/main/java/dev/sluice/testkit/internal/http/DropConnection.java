package dev.sluice.testkit.internal.http;

import java.io.IOException;

/**
 * The connection must be cut (or has been) without ending the response properly. An
 * {@code IOException}, so that a response body's stream can throw it where a fault strikes.
 */
public final class DropConnection extends IOException {
    private static final long serialVersionUID = 1L;

    public DropConnection() {
        this("connection dropped on purpose (fake-drop or fake-stall)");
    }

    public DropConnection(String message) {
        super(message);
    }
}
