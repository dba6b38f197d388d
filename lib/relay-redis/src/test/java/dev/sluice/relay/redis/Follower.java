package dev.sluice.relay.redis;

import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.RelayWriter;
import dev.sluice.relay.Subscription;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A client that records what a subscription delivers to it, on its own virtual thread. */
final class Follower implements RelayWriter {
    record Got(long id, RelayEvent event) {}

    final List<Got> got = new CopyOnWriteArrayList<>();
    volatile Subscription.Outcome outcome;
    private final Subscription subscription;

    private Follower(Subscription s) {
        this.subscription = s;
    }

    static Follower follow(Subscription s) {
        Follower f = new Follower(s);
        Thread.ofVirtual().name("follower").start(() -> f.outcome = s.deliver(f));
        return f;
    }

    void leave() {
        subscription.close();
    }

    @Override
    public void send(long id, RelayEvent event) {
        got.add(new Got(id, event));
    }

    @Override
    public void heartbeat() {}

    @Override
    public void flush() {}

    long lastId() {
        return got.isEmpty() ? 0 : got.getLast().id();
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        for (Got g : got) if (g.event() instanceof RelayEvent.Delta d) sb.append(d.text());
        return sb.toString();
    }

    RelayEvent last() {
        return got.isEmpty() ? null : got.getLast().event();
    }

    List<Long> ids() {
        return got.stream().map(Got::id).toList();
    }
}
