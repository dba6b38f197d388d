package dev.sluice.relay.http;

import dev.sluice.ProtocolException;
import dev.sluice.relay.Relay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Records what the socket sends; every send completes at once. */
final class RecordingPeer implements RelaySocket.Peer {
    /**
     * {@return a relay's HTTP side that starts no stream: its one model is not allowed, and its
     * source fails at once} Each frame is then read, checked and refused on the spot.
     */
    static RelayAdmission refusingEveryStart() {
        return RelayAdmission.builder(Relay.builder()
                        .source("fuzz", "model", (request, controller) -> {
                            throw new ProtocolException("this relay streams nothing", null);
                        })
                        .retention(Duration.ZERO)
                        .build())
                .models("fuzz", Set.of("no-model-of-this-relay"))
                .build();
    }

    final List<String> sent = new ArrayList<>();
    boolean open = true;

    @Override
    public void send(String text) {
        sent.add(text);
    }

    @Override
    public void sendAsync(String text, Runnable done) {
        sent.add(text);
        done.run();
    }

    @Override
    public void ping() {}

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close(int code, String reason) {
        open = false;
    }

    @Override
    public void disconnect() {
        open = false;
    }
}
